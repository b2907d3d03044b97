package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD's URL sources, from a server on 127.0.0.1 that the test runs. */
class DownloadsTest {
  private static final byte[] BODY = "hello from http\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private HttpServer server;
  private String base;

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/files/",
        x -> {
          if (x.getRequestURI().getPath().endsWith("/missing")) {
            x.sendResponseHeaders(404, -1);
          } else {
            x.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            x.sendResponseHeaders(200, BODY.length);
            x.getResponseBody().write(BODY);
          }
          x.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aUrl_isSaved_underItsBaseName_0600_withTheServersLastModified() throws Exception {
    Path f = Downloads.fetch(base + "/files/hello.txt?x=1", "", dir);

    assertThat(f.getFileName().toString()).isEqualTo("hello.txt");
    assertThat(Files.readAllBytes(f)).isEqualTo(BODY);
    assertThat(Files.getAttribute(f, "unix:mode")).isEqualTo(0100600);
    assertThat(Files.getLastModifiedTime(f))
        .isEqualTo(FileTime.from(Instant.parse("2015-10-21T07:28:00Z")));
  }

  @Test
  void theRightChecksum_passes_andAWrongOne_failsNamingBoth() throws Exception {
    String right = "sha256:" + sha256(BODY);
    assertThat(Downloads.fetch(base + "/files/hello.txt", right, dir)).exists();

    String wrong = "sha256:" + "0".repeat(64);
    assertThatThrownBy(() -> Downloads.fetch(base + "/files/hello.txt", wrong, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "digest mismatch for "
                + base
                + "/files/hello.txt: expected "
                + wrong
                + ", got "
                + right);
  }

  @Test
  void aMissingFile_failsWithTheStatus() {
    assertThatThrownBy(() -> Downloads.fetch(base + "/files/missing", "", dir))
        .hasMessageContaining("invalid response status 404");
  }

  @Test
  void names_asBuildKitsHttpSource() {
    assertThat(Downloads.fileName("https://example.com/a/b/c.tar.gz")).isEqualTo("c.tar.gz");
    assertThat(Downloads.fileName("https://example.com/")).isEqualTo("__unnamed__");
    assertThat(Downloads.fileName("https://example.com")).isEqualTo("__unnamed__");
    assertThat(Downloads.isGit("https://github.com/moby/buildkit.git#v0.8")).isTrue();
    assertThat(Downloads.isGit("git@github.com:moby/buildkit.git")).isTrue();
    assertThat(Downloads.isGit("https://example.com/file.txt")).isFalse();
  }

  @Test
  void aMalformedChecksum_isRefused() {
    assertThatThrownBy(() -> Downloads.checkChecksum("md5:abc")).hasMessageContaining("md5:abc");
    assertThatThrownBy(() -> Downloads.checkChecksum("sha256:abc"))
        .hasMessageContaining("sha256:abc");
    Downloads.checkChecksum("sha256:" + "a".repeat(64));
  }

  private static String sha256(byte[] b) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
  }
}

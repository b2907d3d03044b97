package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.image.internal.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against two small servers on 127.0.0.1: a registry that wants a Bearer token
 * and redirects blobs to a storage server on another port. Credentials never follow a redirect to
 * another host; content that does not match its digest is refused; transient failures are retried.
 */
class RegistryClientTest {
  @TempDir Path dir;
  HttpServer registry;
  HttpServer storage;
  final List<String> storageAuth = new CopyOnWriteArrayList<>();
  final Map<String, byte[]> storageContent = new ConcurrentHashMap<>();
  final AtomicInteger failuresToServe = new AtomicInteger();
  final AtomicInteger failuresServed = new AtomicInteger();
  byte[] layer;
  byte[] config;
  byte[] manifest;
  String registryHost;

  @BeforeEach
  void servers() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry("greeting");
      e.setSize(hello.length);
      out.putArchiveEntry(e);
      out.write(hello);
      out.closeArchiveEntry();
    }
    layer = tar.toByteArray();
    config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + Digests.of(layer)
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digests.of(config)
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + Digests.of(layer)
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    storageContent.put("/" + Digests.of(layer), layer);
    storageContent.put("/" + Digests.of(config), config);

    storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    storage.createContext(
        "/",
        ex -> {
          storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          if (failuresToServe.getAndDecrement() > 0) {
            failuresServed.incrementAndGet();
            reply(ex, 503, new byte[0]);
            return;
          }
          byte[] body = storageContent.get(ex.getRequestURI().getPath());
          reply(ex, body == null ? 404 : 200, body == null ? new byte[0] : body);
        });
    storage.start();
    registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    registryHost = "127.0.0.1:" + registry.getAddress().getPort();
    registry.createContext(
        "/token", ex -> reply(ex, 200, "{\"token\":\"T0KEN\"}".getBytes(StandardCharsets.UTF_8)));
    registry.createContext(
        "/v2/",
        ex -> {
          if (!"Bearer T0KEN".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders()
                .add(
                    "WWW-Authenticate",
                    "Bearer realm=\"http://"
                        + registryHost
                        + "/token\",service=\"test\",scope=\"repository:team/app:pull\"");
            reply(ex, 401, new byte[0]);
            return;
          }
          String path = ex.getRequestURI().getPath();
          if (path.equals("/v2/team/app/manifests/v1")) {
            ex.getResponseHeaders()
                .add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            reply(ex, 200, manifest);
          } else if (path.startsWith("/v2/team/app/blobs/")) {
            ex.getResponseHeaders()
                .add(
                    "Location",
                    "http://127.0.0.1:"
                        + storage.getAddress().getPort()
                        + "/"
                        + path.substring("/v2/team/app/blobs/".length()));
            reply(ex, 307, new byte[0]);
          } else {
            reply(
                ex,
                404,
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}"
                    .getBytes(StandardCharsets.UTF_8));
          }
        });
    registry.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    storage.stop(0);
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  private RegistryClient client(ImageStore store) {
    return new RegistryClient(store, RegistryClient.Options.defaults(), p -> {});
  }

  @Test
  void redirectToAnotherHost_carriesNoCredentials() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    String digest = client(store).pull(ImageReference.parse(registryHost + "/team/app:v1"));

    assertThat(digest).isEqualTo(Digests.of(manifest));
    assertThat(storageAuth).hasSize(2).containsOnly("null");
    assertThat(store.layer(Digests.of(layer)).orElseThrow().resolve("greeting"))
        .hasContent("hello");
  }

  @Test
  void contentThatDoesNotMatchItsDigest_isRefusedAndNotStored() {
    byte[] evil = layer.clone();
    evil[600] ^= 1;
    storageContent.put("/" + Digests.of(layer), evil);
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));

    assertThatThrownBy(
            () -> client(store).pull(ImageReference.parse(registryHost + "/team/app:v1")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(
            "blob " + Digests.of(layer) + " arrived with the content of " + Digests.of(evil));
    assertThat(store.hasBlob(Digests.of(layer))).isFalse();
    assertThat(store.tags()).isEmpty();
  }

  @Test
  void transientFailures_areRetried() {
    failuresToServe.set(2);
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    assertThat(client(store).pull(ImageReference.parse(registryHost + "/team/app:v1")))
        .isEqualTo(Digests.of(manifest));
    // The pull met both failures: the storage server answered 503 twice, then the config and the
    // layer.
    assertThat(failuresServed).as("503s served").hasValue(2);
    assertThat(storageAuth).as("requests the storage server answered").hasSize(4);
    assertThat(store.layer(Digests.of(layer))).isPresent();
  }

  @Test
  void unknownRepository_failsWithTheRegistrysWords() {
    ImageStore store = ImageStore.open(new DataRoot(dir.resolve("root")));
    assertThatThrownBy(
            () -> client(store).pull(ImageReference.parse(registryHost + "/team/other:v1")))
        .hasMessageContaining("404 NAME_UNKNOWN: repository name not known to registry");
  }

  @Test
  void layersDecompressByMediaType_gzipZstdAndPlain() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(layer);
    }
    byte[] zst = com.github.luben.zstd.Zstd.compress(layer);
    assertThat(
            RegistryClient.decompress(
                    "application/vnd.oci.image.layer.v1.tar+gzip",
                    new java.io.ByteArrayInputStream(gz.toByteArray()))
                .readAllBytes())
        .isEqualTo(layer);
    assertThat(
            RegistryClient.decompress(
                    "application/vnd.oci.image.layer.v1.tar+zstd",
                    new java.io.ByteArrayInputStream(zst))
                .readAllBytes())
        .isEqualTo(layer);
    assertThat(
            RegistryClient.decompress(
                    "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    new java.io.ByteArrayInputStream(gz.toByteArray()))
                .readAllBytes())
        .isEqualTo(layer);
    assertThat(
            RegistryClient.decompress(
                    "application/vnd.oci.image.layer.v1.tar",
                    new java.io.ByteArrayInputStream(layer))
                .readAllBytes())
        .isEqualTo(layer);
    assertThatThrownBy(
            () ->
                RegistryClient.decompress(
                    "application/vnd.oci.image.layer.v1.tar+bzip2",
                    new java.io.ByteArrayInputStream(layer)))
        .hasMessageContaining("not supported (gzip, zstd and plain tar are)");
  }

  @Test
  void references_normaliseAsDockerDoes() {
    assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
    assertThat(ImageReference.parse("localhost:5000/a/b:1").apiHost()).isEqualTo("localhost:5000");
    assertThat(ImageReference.parse("team/app@sha256:" + "a".repeat(64)).manifestReference())
        .isEqualTo("sha256:" + "a".repeat(64));
    assertThatThrownBy(() -> ImageReference.parse("Team/App"))
        .hasMessageContaining("invalid image reference 'Team/App'")
        .hasMessageContaining("expected [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST]");
  }
}

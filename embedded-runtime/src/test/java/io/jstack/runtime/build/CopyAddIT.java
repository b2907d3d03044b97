package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * COPY and ADD built by the embedded engine: what dockerd 20.10's BuildKit (0.8) supports is
 * compared with it file by file (path, type, mode, owner, size, content, link target); what it
 * predates (here-documents, {@code --link}, {@code --exclude}, {@code --parents}, {@code
 * --checksum}, symbolic {@code --chmod}) is checked against expectations taken from BuildKit's own
 * frontend tests, each cited where it is used.
 */
class CopyAddIT extends EmbeddedBuildFixture {
  private static final byte[] REMOTE = "remote content\n".getBytes(StandardCharsets.UTF_8);

  /** Lists the written trees, one line per entry, with each file's content hash. */
  private static final String TREE =
      "for p in $(find /target /work /dest /out 2>/dev/null | sort); do"
          + " stat -c '%n %F %a %u:%g %s' $p;"
          + " if [ -L $p ]; then echo \"-> $(readlink $p)\";"
          + " elif [ -f $p ]; then md5sum $p; fi; done;"
          + " for l in /app /up; do echo \"$l -> $(readlink $l)\"; done; stat -c '%n %Y' /work/url/remote.txt 2>/dev/null;"
          + " ls /x /abs /y 2>&1; true";

  private HttpServer http;
  private String url;

  /** The engine, and a server on 127.0.0.1 that ADD's URL sources fetch from. */
  @BeforeEach
  void engineAndFiles() throws Exception {
    serveAnEngine();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/files/",
        x -> {
          String path = x.getRequestURI().getPath();
          Path file = dir.resolve("served").resolve(path.substring(path.lastIndexOf('/') + 1));
          byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : REMOTE;
          x.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    http.start();
    url = "http://127.0.0.1:" + http.getAddress().getPort() + "/files/";
  }

  @AfterEach
  void stopTheFiles() {
    if (http != null) {
      http.stop(0);
    }
  }

  @Test
  void copyAndAdd_giveBuildKitsFiles() throws Exception {
    Path context =
        context(
            String.join(
                "\n",
                "FROM jstack-examples/busybox:latest AS base",
                "RUN mkdir -p /target /work && ln -s /target /app && ln -s ../../.. /up"
                    + " && echo usr:x:1500:1600::/:/bin/sh >> /etc/passwd && echo grp:x:2000: >> /etc/group",
                "FROM base AS other",
                "RUN mkdir -p /out && echo other > /out/o.txt && chown 7:8 /out/o.txt",
                "FROM base",
                "COPY a.txt /app/y",
                "COPY a.txt /up/work/z",
                "COPY a.txt /app/sub/",
                "COPY --chown=usr a.txt /work/owned-user",
                "COPY --chown=usr:grp a.txt /work/owned-both",
                "COPY --chown=1500:2000 --chmod=0750 dir /work/dir-owned",
                "COPY --from=other /out/o.txt /work/from-stage",
                "COPY --from=1 /out/o.txt /work/from-index",
                "COPY --from=jstack-examples/busybox:latest /bin/busybox /work/from-image",
                "COPY top-link.txt dir /work/links/",
                "COPY a.txt dir/b.txt /work/multi",
                "ADD t.tar /work/plain/",
                "ADD t.tar.gz /work/gz/",
                "ADD t.tar.bz2 /work/bz2/",
                "ADD t.tar.xz /work/xz/",
                "ADD notar.tar /work/notar/",
                "ADD " + url + "remote.txt /work/url/",
                "ADD --chown=usr " + url + "named /work/url-file",
                "WORKDIR /app/wd",
                ""));
    List<String> ours = build(host, context);
    List<String> kit = build(BUILDKIT, context);

    assertThat(ours).isEqualTo(kit);
    assertThat(ours)
        .contains(
            "/target/y regular file 644 0:0 2",
            "/work/z regular file 644 0:0 2",
            "/target/sub/a.txt regular file 644 0:0 2",
            "/work/owned-user regular file 644 1500:1600 2",
            "/work/owned-both regular file 644 1500:2000 2",
            "/work/from-stage regular file 644 7:8 6",
            "/work/gz/top/in.txt regular file 640 1234:1234 3",
            "/work/xz/top/in.txt regular file 640 1234:1234 3",
            "/work/url/remote.txt regular file 600 0:0 15",
            "/work/url/remote.txt 1445412480",
            "/work/url-file regular file 600 1500:1600 15",
            "/target/wd directory 755 0:0 4096",
            "/work/links/top-link.txt regular file 644 0:0 2",
            "/work/links/link.txt symbolic link 777 0:0 5",
            "3b5d5c3712955042212316173ccf37be  /work/multi")
        .contains("/app -> /target", "/up -> ../../..");
  }

  @Test
  void aBreakoutArchive_landsInsideItsDestination_onBoth_andAHardLinkOut_failsBoth()
      throws Exception {
    Path context =
        context("FROM jstack-examples/busybox:latest\nRUN mkdir /dest\nADD evil.tar /dest/\n");
    List<String> ours = build(host, context);

    assertThat(ours).isEqualTo(build(BUILDKIT, context));
    assertThat(ours)
        .contains(
            "/dest/x regular file 644 0:0 6",
            "/dest/abs regular file 644 0:0 8",
            "/dest/etc/x regular file 644 0:0 12",
            "/dest/y regular file 644 0:0 10",
            "-> ../../..",
            "ls: /x: No such file or directory",
            "ls: /abs: No such file or directory",
            "ls: /y: No such file or directory");

    Path hard = context("FROM jstack-examples/busybox:latest\nADD hard.tar /dest/\n");
    assertThat(failedBuild(host, hard))
        .contains("Dockerfile:2: ADD failed")
        .contains("archive entry 'h' hard-links to '../../etc/passwd'");
    assertThat(failedBuild(BUILDKIT, hard)).contains("link /etc/passwd /h");
  }

  @Test
  void newerFeatures_asBuildKitsFrontendTestsExpect() throws Exception {
    String sum =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(REMOTE));
    Path context =
        context(
            String.join(
                "\n",
                "FROM jstack-examples/busybox:latest AS files",
                "RUN mkdir -p /test/a/b/c && echo f > /test/a/b/c/f && echo g > /test/a/b/g.txt",
                "FROM jstack-examples/busybox:latest",
                "RUN echo user:x:1000:1000::/:/bin/sh >> /etc/passwd && echo user:x:1000: >> /etc/group"
                    + " && mkdir -p /work/base && ln -s /etc /work/base/lnk",
                "ARG WHO=world",
                // testCopyHeredoc (frontend/dockerfile/dockerfile_heredoc_test.go)
                "WORKDIR /out",
                "COPY <<EOF single",
                "single file $WHO",
                "EOF",
                "COPY <<EOF <<EOF2 double/",
                "first file",
                "EOF",
                "second file",
                "EOF2",
                "COPY --chmod=777 <<EOF /out/all",
                "dummy content",
                "EOF",
                "COPY --chown=user:user <<EOF /out/owned",
                "dummy content",
                "EOF",
                // testHeredocIndent (dockerfile_heredoc_test.go)
                "COPY <<-EOF /out/bar-copy",
                "\tbar",
                "EOF",
                // testHeredocVarSubstitution: a quoted delimiter is not expanded
                "COPY <<'EOF' /out/quoted",
                "hello $WHO",
                "EOF",
                // testCopyParents and testCopyRelativeParents (dockerfile_parents_test.go)
                "COPY --parents dir/sub/c.txt /out/parents/",
                "COPY --parents ./dir/./sub /out/pivot/",
                "COPY --from=files --parents /test/a/./b/c /out/from-parents/",
                "COPY --from=files --exclude=*.txt /test/a/b /out/from-excluded/",
                // testExcludedFilesOnCopy (exclude_patterns_test.go)
                "COPY --exclude=b.txt --exclude=sub dir /out/excluded/",
                // testChmodNonOctal (dockerfile_copy_test.go)
                "COPY --chmod=go-w,u+x a.txt /out/symbolic",
                // testCopyLinkDotDestDir (dockerfile_copy_test.go); --link lands past base links
                "COPY --link a.txt /out/linked/",
                "COPY --link a.txt /work/base/lnk/x",
                // testAddChecksum (dockerfile_add_test.go)
                "ADD --checksum=" + sum + " " + url + "remote.txt /out/checked",
                // testAddURLChmod, and the --unpack flag (dockerfile_add_test.go): a URL is not
                // unpacked unless asked
                "ADD " + url + "t.tar.gz /out/packed/",
                "ADD --unpack=true " + url + "t.tar.gz /out/unpacked/",
                ""));
    List<String> tree = build(host, context);

    assertThat(tree)
        .contains(
            "/out/single regular file 644 0:0 18",
            "/out/double/EOF regular file 644 0:0 11",
            "/out/double/EOF2 regular file 644 0:0 12",
            "/out/all regular file 777 0:0 14",
            "/out/owned regular file 644 1000:1000 14",
            "/out/bar-copy regular file 644 0:0 4",
            "/out/quoted regular file 644 0:0 11",
            "/out/parents/dir/sub/c.txt regular file 644 0:0 2",
            "/out/pivot/sub/c.txt regular file 644 0:0 2",
            "/out/excluded/link.txt symbolic link 777 0:0 5",
            "/out/symbolic regular file 744 0:0 2",
            "/out/linked/a.txt regular file 644 0:0 2",
            "/work/base/lnk directory 755 0:0 4096",
            "/work/base/lnk/x regular file 644 0:0 2",
            "/out/checked regular file 600 0:0 15",
            "/out/unpacked/top/in.txt regular file 640 1234:1234 3",
            "/out/from-parents/b/c/f regular file 644 0:0 2",
            "/out/from-excluded/c/f regular file 644 0:0 2")
        .noneMatch(
            l -> l.startsWith("/out/from-excluded/g.txt") || l.startsWith("/out/from-parents/a"))
        .anyMatch(l -> l.startsWith("/out/packed/t.tar.gz regular file 600 0:0 "))
        .noneMatch(l -> l.startsWith("/out/excluded/a.txt") || l.startsWith("/out/excluded/sub"))
        .noneMatch(l -> l.startsWith("/out/pivot/dir"));
    String files =
        docker(
            host,
            "run",
            "--rm",
            "--network",
            "none",
            image(host),
            "sh",
            "-c",
            "cat /out/single /out/quoted /out/bar-copy; ls /etc/x 2>&1; true");
    assertThat(files)
        .isEqualTo("single file world\nhello $WHO\nbar\nls: /etc/x: No such file or directory\n");
  }

  @Test
  void aWrongChecksum_orAGitSource_orAChecksumOnAFile_failInOneLineNamingTheLine()
      throws Exception {
    String wrong = "sha256:" + "0".repeat(64);
    Path bad =
        context(
            "FROM jstack-examples/busybox:latest\nADD --checksum="
                + wrong
                + " "
                + url
                + "remote.txt /x\n");
    assertThat(failedBuild(host, bad))
        .contains("Dockerfile:2: ADD " + url + "remote.txt failed: digest mismatch");

    Path git = context("FROM jstack-examples/busybox:latest\nADD https://example.com/r.git /x\n");
    assertThat(failedBuild(host, git))
        .contains("Dockerfile:2: ADD from a git repository is not supported");

    Path local =
        context("FROM jstack-examples/busybox:latest\nADD --checksum=" + wrong + " a.txt /x\n");
    assertThat(failedBuild(host, local))
        .contains("Dockerfile:2: ADD: checksum requires HTTP(S) or Git sources");
  }

  private String image(String on) {
    return "jstack-copy-it:" + tag + (BUILDKIT.equals(on) ? "-kit" : "");
  }

  /** Builds {@code context} and lists the image's written files. */
  private List<String> build(String on, Path context) throws Exception {
    String image = image(on);
    cleanUps.add(cli(on, "rmi", "-f", image));
    docker(on, "build", "-t", image, context.toString());
    String tree =
        docker(
            on,
            "run",
            "--rm",
            "--network",
            "none",
            "--user",
            "0",
            "--entrypoint",
            "sh",
            image,
            "-c",
            TREE);
    return Arrays.asList(tree.split("\n"));
  }

  /** A context with the Dockerfile, files, a link, and archives of every compression. */
  private Path context(String dockerfile) throws Exception {
    Path c = Files.createDirectories(dir.resolve("context-" + UUID.randomUUID()));
    Files.writeString(c.resolve("Dockerfile"), dockerfile);
    Files.writeString(c.resolve("a.txt"), "a\n");
    Files.createDirectories(c.resolve("dir/sub"));
    Files.writeString(c.resolve("dir/b.txt"), "b\n");
    Files.writeString(c.resolve("dir/sub/c.txt"), "c\n");
    Files.createSymbolicLink(c.resolve("dir/link.txt"), Path.of("b.txt"));
    Files.createSymbolicLink(c.resolve("top-link.txt"), Path.of("a.txt"));
    Files.writeString(c.resolve("notar.tar"), "not a tar\n");
    Path inner = Files.createDirectories(dir.resolve("archive-" + UUID.randomUUID()));
    Files.createDirectories(inner.resolve("top"));
    Files.writeString(inner.resolve("top/in.txt"), "in\n");
    Files.setPosixFilePermissions(
        inner.resolve("top"), PosixFilePermissions.fromString("rwxr-x---"));
    String owner = "--owner=1234";
    for (String[] kind :
        List.of(
            new String[] {"t.tar", "-cf"},
            new String[] {"t.tar.gz", "-czf"},
            new String[] {"t.tar.bz2", "-cjf"},
            new String[] {"t.tar.xz", "-cJf"})) {
      run(
          new String[] {
            "tar",
            "-C",
            inner.toString(),
            owner,
            "--group=1234",
            "--mode=0640",
            kind[1],
            c.resolve(kind[0]).toString(),
            "top"
          });
    }
    LayerUnpacker.removeTree(inner);
    Path served = Files.createDirectories(dir.resolve("served"));
    Files.copy(
        c.resolve("t.tar.gz"),
        served.resolve("t.tar.gz"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    python(
        c,
        "import tarfile, io",
        "def add(t, name, kind, data=b'', link=''):",
        "    ti = tarfile.TarInfo(name)",
        "    if kind == 'f':",
        "        ti.size = len(data); t.addfile(ti, io.BytesIO(data)); return",
        "    ti.type = tarfile.SYMTYPE if kind == 'l' else tarfile.LNKTYPE",
        "    ti.linkname = link; t.addfile(ti)",
        "with tarfile.open('evil.tar', 'w', format=tarfile.PAX_FORMAT) as t:",
        "    add(t, '../x', 'f', b'dotdot'); add(t, '/abs', 'f', b'absolute')",
        "    add(t, 'evil', 'l', link='/'); add(t, 'evil/etc/x', 'f', b'through-link')",
        "    add(t, 'up', 'l', link='../../..'); add(t, 'up/y', 'f', b'through-up')",
        "with tarfile.open('hard.tar', 'w', format=tarfile.PAX_FORMAT) as t:",
        "    add(t, 'a', 'f', b'a'); add(t, 'h', 'h', link='../../etc/passwd')");
    return c;
  }

  /** Runs a Python script in {@code cwd}: Python's tarfile writes the names tar refuses to. */
  private static void python(Path cwd, String... lines) throws Exception {
    Process p =
        new ProcessBuilder("python3", "-c", String.join("\n", lines))
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }
}

package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build context sent to an engine leaves out what its ignore file names, choosing that file as
 * BuildKit does; the Dockerfile and the ignore file used always go.
 */
class ContextTarTest {
  @TempDir Path context;

  private void write(String rel, String text) throws IOException {
    Path p = context.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** The entry names of the context tar for {@code dockerfile}, as written. */
  private List<String> entries(String dockerfile) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContextTar.write(
        context, dockerfile, ContextTar.ignore(context, dockerfile), (String[]) null, out);
    byte[] tar = out.toByteArray();
    List<String> names = new ArrayList<>();
    for (int at = 0; at + TarWriter.BLOCK <= tar.length && tar[at] != 0; ) {
      int end = at;
      while (end < at + 100 && tar[end] != 0) {
        end++;
      }
      names.add(new String(tar, at, end - at, StandardCharsets.UTF_8));
      long size =
          Long.parseLong(new String(tar, at + 124, 11, StandardCharsets.US_ASCII).strip(), 8);
      at += TarWriter.BLOCK + (int) ((size + TarWriter.BLOCK - 1) / TarWriter.BLOCK) * 512;
    }
    return names;
  }

  @Test
  void rootDockerignore_leavesOutWhatItNames_butNeverItselfOrTheDockerfile() throws IOException {
    write("Dockerfile", "FROM a\n");
    write(".dockerignore", "*\n!src\n");
    write("src/Main.java", "class Main {}\n");
    write("notes.txt", "x\n");
    assertThat(entries("Dockerfile"))
        .containsExactly(".dockerignore", "Dockerfile", "src/", "src/Main.java");
  }

  @Test
  void theDockerfilesOwnIgnoreFile_winsOverTheRootOne() throws IOException {
    write("docker/app.Dockerfile", "FROM a\n");
    write("docker/app.Dockerfile.dockerignore", "docker\n.dockerignore\nsecret.txt\n");
    write(".dockerignore", "notes.txt\n");
    write("secret.txt", "s\n");
    write("notes.txt", "n\n");
    // The root .dockerignore is a file like any other now, and this one leaves it out.
    assertThat(entries("docker/app.Dockerfile"))
        .containsExactly(
            "docker/app.Dockerfile", "docker/app.Dockerfile.dockerignore", "notes.txt");
    // Another Dockerfile of the same context goes by the root file.
    write("Dockerfile", "FROM a\n");
    assertThat(entries("./Dockerfile"))
        .containsExactly(
            ".dockerignore",
            "Dockerfile",
            "docker/",
            "docker/app.Dockerfile",
            "docker/app.Dockerfile.dockerignore",
            "secret.txt");
  }

  @Test
  void patterns_areMatchedAsMobysPatternmatcher_escapesAndClasses() throws IOException {
    write("Dockerfile", "FROM a\n");
    write(".dockerignore", "star\\*\nfile[!a]\n");
    write("star*", "");
    write("stars", "");
    write("filea", "");
    write("file!", "");
    write("fileb", "");
    assertThat(entries("Dockerfile"))
        .containsExactly(".dockerignore", "Dockerfile", "fileb", "stars");
  }

  @Test
  void aMalformedPattern_failsTheBuildBeforeAnythingIsSent() throws IOException {
    write("Dockerfile", "FROM a\n");
    write(".dockerignore", "ok\n[\n");
    DockerImagesTest.Recording transport = new DockerImagesTest.Recording();
    DockerEngine engine =
        new DockerEngine(
            new EngineAddress.Unix(context.resolve("docker.sock")), transport, Map.of());
    BuildSpec spec =
        new BuildSpec(
            context,
            null,
            null,
            List.of("app:1"),
            Map.of(),
            null,
            Map.of(),
            false,
            false,
            null,
            null,
            List.of(),
            null,
            Map.of(),
            List.of());
    assertThatThrownBy(() -> engine.buildImage(spec, line -> {}))
        .isInstanceOf(EngineException.class)
        .hasMessageStartingWith(
            "build image app:1 failed: .dockerignore:2: syntax error in pattern [; fix the"
                + " pattern");
    assertThat(transport.requests).noneMatch(r -> r.path().contains("/build"));
  }
}

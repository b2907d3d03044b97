package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.compose.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's build: its build secrets, by the id a Dockerfile mounts them with, and its {@code
 * cache_from}.
 */
class ImageBuildsTest {
  @TempDir Path dir;

  private Project load(String yaml) throws Exception {
    return io.jstack.planner.TestProjects.load(dir, yaml);
  }

  @Test
  void buildSecrets_fromFiles_areGivenByTargetElseName() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  secrets:
                    - npmrc
                    - source: key
                      target: deploy_key
            secrets:
              npmrc:
                file: ./npmrc.txt
              key:
                file: /etc/key.pem
            """);

    assertThat(spec(p, Map.of()).secrets())
        .isEqualTo(
            Map.of("npmrc", dir.resolve("npmrc.txt"), "deploy_key", Path.of("/etc/key.pem")));
  }

  @Test
  void aBuildSecretFromTheEnvironment_isAFileOnlyItsOwnerReads_withTheValue() throws Exception {
    Project p = load(ENVIRONMENT_SECRET);

    Map<String, Path> secrets = spec(p, Map.of("TOKEN", "s3cret value")).secrets();

    assertThat(secrets).containsOnlyKeys("token", "deploy");
    Path token = secrets.get("token");
    assertThat(token.getParent()).isEqualTo(dir.resolve("secrets"));
    assertThat(Files.readString(token)).isEqualTo("s3cret value");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
        .isEqualTo("rw-------");
    assertThat(secrets.get("deploy")).isEqualTo(dir.resolve("key.txt"));
  }

  @Test
  void aBuildSecretFromAnUnsetVariable_isRefusedInOneLine() throws Exception {
    Project p = load(ENVIRONMENT_SECRET);

    assertThatThrownBy(() -> spec(p, Map.of()))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "build secret token is the environment variable TOKEN, which is not set: set it, or"
                + " declare the secret with file:");
    assertThat(dir.resolve("secrets")).isEmptyDirectory();
  }

  @Test
  void anUndeclaredBuildSecret_isRefusedInOneLine() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  secrets: [missing]
            """);

    assertThatThrownBy(() -> spec(p, Map.of()))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "build secret missing is not declared: declare it with file: or environment: under the"
                + " top-level secrets");
  }

  private static final String ENVIRONMENT_SECRET =
      """
      name: demo
      services:
        app:
          build:
            context: .
            secrets:
              - token
              - source: key
                target: deploy
      secrets:
        token:
          environment: TOKEN
        key:
          file: ./key.txt
      """;

  private io.jstack.engine.BuildSpec spec(Project p, Map<String, String> environment)
      throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    return ImageBuilds.spec(
        p, p.services().get("app"), false, false, Map.of(), environment, () -> secrets);
  }

  @Test
  void aSecretDirectory_isMadeOnlyWhenASecretIsWritten_andRemovedWithItsFiles() throws Exception {
    ImageBuilds.SecretDir unused = new ImageBuilds.SecretDir(dir);
    unused.remove();
    assertThat(dir).isEmptyDirectory();
    ImageBuilds.SecretDir used = new ImageBuilds.SecretDir(dir);
    Path made = used.get();
    assertThat(used.get()).isEqualTo(made);
    assertThat(made.getFileName().toString())
        .startsWith(ImageBuilds.SecretDir.PREFIX + ProcessHandle.current().pid() + "-");
    assertThat(java.nio.file.Files.getPosixFilePermissions(made))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.writeString(made.resolve("secret-1"), "x");
    used.remove();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aNewSecretDirectory_removesThoseOfProcessesThatEnded_notOfLiveOnes() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    ended.onExit().get();
    Path ofEnded =
        Files.createDirectory(dir.resolve(ImageBuilds.SecretDir.PREFIX + ended.pid() + "-1"));
    Files.writeString(ofEnded.resolve("secret-1"), "left by a killed build");
    Path ofLive =
        Files.createDirectory(
            dir.resolve(ImageBuilds.SecretDir.PREFIX + ProcessHandle.current().pid() + "-2"));
    Path other = Files.createDirectory(dir.resolve("jstack-build-secrets-notapid"));
    Path huge = Files.createDirectory(dir.resolve("jstack-build-secrets-99999999999999999999-x"));
    // Bait: a link named as an ended process's directory, to a directory whose files must stay.
    Path target = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(target.resolve("precious"), "kept");
    Path bait =
        Files.createSymbolicLink(
            dir.resolve(ImageBuilds.SecretDir.PREFIX + ended.pid() + "-3"), target);
    Path made = new ImageBuilds.SecretDir(dir).get();
    assertThat(ofEnded).doesNotExist();
    assertThat(ofLive).exists();
    assertThat(other).exists();
    assertThat(huge).exists();
    assertThat(bait).isSymbolicLink();
    assertThat(target.resolve("precious")).hasContent("kept");
    assertThat(made).exists();
  }

  @Test
  void cacheFrom_isTheBuildsCacheFrom() throws Exception {
    Project p =
        load(
            """
            name: demo
            services:
              app:
                build:
                  context: .
                  cache_from: [registry.local/app:cache, app:previous]
            """);

    assertThat(spec(p, Map.of()).cacheFrom())
        .containsExactly("registry.local/app:cache", "app:previous");
  }
}

package io.jstack.compose;

import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ConfigHash}: golden values for four services (a changed value means every container of
 * every jstack user is recreated once: change it only on purpose), and which settings count (notes
 * §9: the same exclusions as Docker Compose).
 */
class ConfigHashTest {
  @TempDir Path dir;

  private Service service(String yaml, String name) {
    write(dir.resolve("a.env"), "A=1\nB=two\n");
    write(dir.resolve("sub/b.env"), "A=1\nB=two\n");
    write(dir.resolve("c.env"), "A=1\nB=three\n");
    write(dir.resolve("Dockerfile"), "FROM scratch\n");
    return ComposeLoader.load(
            ProjectOptions.of(List.of(Path.of("-")), Map.of(), dir)
                .withStdin(yaml)
                .withProfiles(List.of("*")))
        .project()
        .services()
        .get(name);
  }

  private String hash(String yaml) {
    return ConfigHash.of(service(yaml, "s"));
  }

  static Stream<Arguments> golden() {
    return Stream.of(
        Arguments.of(
            "image only",
            """
            name: golden
            services:
              s:
                image: nginx:1.27
            """,
            "87260b79d8ba6b3b3744bbd81754911e42bfac233af0f938444cf5a590b87e7c"),
        Arguments.of(
            "web service",
            """
            name: golden
            services:
              s:
                image: nginx:1.27
                command: nginx -g 'daemon off;'
                environment:
                  TZ: UTC
                  EMPTY: ""
                ports:
                  - "8080:80"
                  - 127.0.0.1:8443:443/tcp
                volumes:
                  - /srv/www:/usr/share/nginx/html:ro
                  - cache:/var/cache/nginx
                labels:
                  com.example.team: web
                restart: unless-stopped
            volumes:
              cache: {}
            """,
            "2432cb8913aac1b2ce659bfefd8bba3e48d5ec88cf9851ded40ef6b84ceb8ae1"),
        Arguments.of(
            "built service with health check and resources",
            """
            name: golden
            services:
              s:
                image: example/app:1.0
                build: .
                env_file: a.env
                healthcheck:
                  test: curl -f http://localhost/ || exit 1
                  interval: 30s
                  timeout: 5s
                  retries: 3
                deploy:
                  replicas: 2
                  resources:
                    limits:
                      cpus: "0.5"
                      memory: 256M
                stop_grace_period: 1m30s
            """,
            "951579b44eb4249a26abb7ac5569dea279c520c4feada6be0aa8ef0a6fa676e7"),
        Arguments.of(
            "networks, secrets, ulimits, hosts",
            """
            name: golden
            services:
              s:
                image: postgres:16
                networks:
                  back:
                    aliases: [db]
                secrets: [pw]
                ulimits:
                  nofile: {soft: 1024, hard: 4096}
                  nproc: 512
                extra_hosts:
                  - host.docker.internal:host-gateway
                user: "999:999"
                x-note: not hashed
            networks:
              back: {}
            secrets:
              pw:
                file: /run/pw.txt
            """,
            "44bc8548b19c51db4bcf472cf7521fa2bde21312235b64718bdf1830f952cd9e"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void of_isStable(String what, String yaml, String expected) {
    assertThat(hash(yaml)).matches("[0-9a-f]{64}").isEqualTo(expected);
  }

  private static final String BASE =
      """
      name: hash
      services:
        s:
          image: nginx:1.27
          command: [nginx, -g, daemon off;]
          environment:
            TZ: UTC
          ports:
            - "8080:80"
          env_file: a.env
      %s
        dep:
          image: busybox
      """;

  /** {@code BASE} with {@code extra} (indented as keys of service {@code s}). */
  private String hashWith(String extra) {
    return hash(BASE.formatted(extra.isEmpty() ? "" : "    " + extra.replace("\n", "\n    ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignored")
  void of_ignoresSettingsThatDoNotChangeTheContainer(String what, String a, String b) {
    assertThat(hashWith(a)).isEqualTo(hashWith(b));
  }

  static Stream<Arguments> ignored() {
    return Stream.of(
        Arguments.of("scale", "scale: 1", "scale: 3"),
        Arguments.of("deploy.replicas", "deploy: {replicas: 1}", "deploy: {replicas: 5}"),
        Arguments.of("depends_on", "", "depends_on: [dep]"),
        Arguments.of("profiles", "profiles: [a]", "profiles: [b, c]"),
        Arguments.of("build", "", "build: {context: ., args: {X: '1'}}"),
        Arguments.of("pull_policy", "pull_policy: always", "pull_policy: never"),
        Arguments.of("x-* extensions", "x-a: 1", "x-a: {b: 2}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("counted")
  void of_changesWithWhatTheContainerIsMadeOf(String what, String replaced, String by) {
    String base = BASE.formatted("");
    assertThat(base).contains(replaced);
    assertThat(hash(base.replace(replaced, by))).isNotEqualTo(hash(base));
  }

  static Stream<Arguments> counted() {
    return Stream.of(
        Arguments.of("image", "image: nginx:1.27", "image: nginx:1.28"),
        Arguments.of("environment", "TZ: UTC", "TZ: Europe/Paris"),
        Arguments.of("ports", "\"8080:80\"", "\"8081:80\""),
        Arguments.of("command", "daemon off;]", "daemon on;]"),
        Arguments.of("env_file content", "env_file: a.env", "env_file: c.env"));
  }

  @Test
  void of_ignoresTheEnvFilePath_butNotItsContent() {
    String base = BASE.formatted("");
    assertThat(hash(base.replace("env_file: a.env", "env_file: sub/b.env"))).isEqualTo(hash(base));
  }

  @Test
  void of_sameServiceLoadedTwice_sameHash() {
    String yaml = BASE.formatted("");
    assertThat(ConfigHash.of(service(yaml, "s"))).isEqualTo(ConfigHash.of(service(yaml, "s")));
  }
}

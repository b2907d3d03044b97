package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secrets and configs reach the container, on each engine: files bind-mounted read-only, the rest
 * written in; and cp copies files in and out.
 */
class SecretsIT extends OnEachEngine {

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void secretsAndConfigs_areVisibleWhereComposeputsThem(EngineKind engine) throws Exception {
    on(engine, dir.resolve("compose.yaml"), Map.of("API_TOKEN", "token-from-env"));
    Files.writeString(dir.resolve("db-password.txt"), "s3cret-from-file\n");
    stack.compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            stop_signal: SIGKILL
            command:
              - sh
              - -c
              - |
                cat /run/secrets/db-password /run/secrets/token /etc/app.conf
                ls -l /etc/app.conf | cut -c1-10
                echo x > /run/secrets/db-password 2>/dev/null || echo read-only
                sleep 3600
            secrets: [db-password, token]
            configs:
              - source: app
                target: /etc/app.conf
                mode: 0440
        secrets:
          db-password: {file: ./db-password.txt}
          token: {environment: API_TOKEN}
        configs:
          app:
            content: |
              listen = 8080
        """);
    JstackRunner.Run up = stack.run("up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    String id = stack.containerIds().get(0);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(stack.docker("logs", id).out())
                    .contains("s3cret-from-file")
                    .contains("token-from-env")
                    .contains("listen = 8080")
                    .contains("-r--r-----")
                    .contains("read-only"));
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void configsSecretsAndCp(EngineKind engine) throws Exception {
    on(engine);
    Files.writeString(dir.resolve("token.txt"), "s3cret-token\n");
    stack.compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            network_mode: none
            init: true
            configs:
              - source: greeting
                target: /etc/greeting
            secrets:
              - token
            command: ["sh", "-c", "cat /etc/greeting; echo; cat /run/secrets/token; while true; do sleep 1; done"]
        configs:
          greeting:
            content: "hello config"
        secrets:
          token:
            file: ./token.txt
        """);
    JstackRunner.Run up = stack.run("up", "-d");
    assertThat(up.code()).as(up.err()).isZero();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(stack.run("logs", "app").out())
                    .contains("| hello config\n")
                    .contains("| s3cret-token\n"));

    Files.writeString(dir.resolve("in.txt"), "copied in");
    JstackRunner.Run in = stack.run("cp", dir.resolve("in.txt").toString(), "app:/tmp/");
    assertThat(in.code()).as(in.err()).isZero();
    String id = stack.run("ps", "-q").out().strip();
    assertThat(stack.docker("exec", id, "cat", "/tmp/in.txt").out()).isEqualTo("copied in");
    if (engine == EngineKind.EMBEDDED) {
      assertThat(dir.resolve("data/containers").resolve(id).resolve("upper/tmp/in.txt"))
          .hasContent("copied in");
    }

    Files.createDirectories(dir.resolve("out"));
    JstackRunner.Run out =
        stack.run("cp", "app:/etc/greeting", dir.resolve("out").toString() + "/");
    assertThat(out.code()).as(out.err()).isZero();
    assertThat(dir.resolve("out/greeting")).hasContent("hello config");
  }
}

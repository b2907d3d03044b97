package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets and configs reach the container: files bind-mounted read-only, the rest written in. */
class SecretsIT {
  @TempDir Path dir;
  final String project = "secrets-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void engine() {
    Docker.requireExampleImage();
  }

  @AfterEach
  void cleanUp() {
    Docker.removeProject(project);
  }

  @Test
  void secretsAndConfigs_areVisibleWhereComposeputsThem() throws Exception {
    Files.writeString(dir.resolve("db-password.txt"), "s3cret-from-file\n");
    Files.writeString(
        dir.resolve("compose.yaml"),
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
    JstackRunner jstack =
        new JstackRunner(Map.of("PATH", System.getenv("PATH"), "API_TOKEN", "token-from-env"));
    JstackRunner.Run up =
        jstack.run(
            new String[] {
              "--engine", "docker", "-p", project, "-f", dir.resolve("compose.yaml").toString()
            },
            "up",
            "-d");
    assertThat(up.code()).as(up.err()).isZero();
    String id =
        Docker.lines("ps", "-q", "--filter", "label=com.docker.compose.project=" + project).get(0);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(Docker.run(null, "docker", "logs", id).out())
                    .contains("s3cret-from-file")
                    .contains("token-from-env")
                    .contains("listen = 8080")
                    .contains("-r--r-----")
                    .contains("read-only"));
  }
}

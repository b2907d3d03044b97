package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.swarm.SwarmRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jstack --engine swarm} on the real two-node swarm: {@code up --wait} converges the stack,
 * {@code ps} lists its services, {@code docker stack ps} sees it, an unchanged {@code up} has
 * nothing to do, {@code up --dry-run} shows the one service a change updates and why, and {@code
 * down} removes it. Other verbs say what {@code --engine swarm} runs.
 */
class SwarmIT {
  static final String IMAGE = "jstack-examples/busybox:latest";

  static String compose(String level) {
    return compose(level, "good");
  }

  static String compose(String level, String mode) {
    return """
        services:
          web:
            image: jstack-examples/busybox:latest
            command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
            environment: {LEVEL: "%s"}
            ports: [{target: 8080, published: 18082, mode: host}]
            deploy: {mode: global, endpoint_mode: dnsrr}
          worker:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo worker up on $$(hostname) with $$(cat /run/secrets/token); exec sleep 3600"]
            init: true
            secrets: [token]
            depends_on: [web]
            deploy: {replicas: 2, endpoint_mode: dnsrr}
          checked:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "[ \\"$$MODE\\" = good ] && touch /tmp/ok; exec sleep 3600"]
            environment: {MODE: %s}
            healthcheck: {test: ["CMD", "test", "-f", "/tmp/ok"], interval: 1s, timeout: 1s, retries: 2}
            stop_grace_period: 1s
            deploy:
              endpoint_mode: dnsrr
              update_config: {failure_action: rollback, monitor: 10s}
        secrets:
          token: {environment: CREW_TOKEN}
        """
        .formatted(level, mode);
  }

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @Test
  void upPsDownOfAStack() throws Exception {
    Docker.requireExampleImage();
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, compose("1"));
    // The secret's variable comes from the project's .env file, not jstack's own environment.
    Files.writeString(dir.resolve(".env"), "CREW_TOKEN=from-the-env-file\n");
    SwarmRig rig = SwarmRig.start(List.of(IMAGE));
    try {
      JstackRunner jstack =
          new JstackRunner(
              Map.of("DOCKER_HOST", rig.manager().dockerHost(), "HOME", dir.toString()));
      String[] base = {"--engine", "swarm", "-p", "crew", "-f", file.toString()};

      JstackRunner.Run up = jstack.run(base, "up", "--wait");
      assertThat(up.code()).as(up.err()).isZero();
      assertThat(up.out())
          .contains(
              " create network crew_default (no network)",
              " create service crew_web (no service)",
              " create service crew_worker (no service)",
              "stack crew converged");
      assertThat(up.err()).contains("depends_on is not kept by Swarm");

      JstackRunner.Run ps = jstack.run(base, "ps");
      assertThat(ps.out())
          .contains("crew_web", "global", "*:18082->8080/tcp")
          .containsPattern("crew_worker +replicated +2/2");
      assertThat(SwarmRig.must(rig.manager(), "stack", "ps", "crew", "--format", "{{.Name}}"))
          .contains("crew_worker.1", "crew_worker.2");

      assertThat(jstack.run(base, "up").out()).contains("nothing to do");
      Files.writeString(file, compose("2"));
      JstackRunner.Run dry = jstack.run(base, "up", "--dry-run");
      assertThat(dry.out().strip())
          .isEqualTo("1. update service crew_web (spec changed: TaskTemplate.ContainerSpec.Env)");

      // A network the file now wants otherwise: said, since a swarm cannot change it in place.
      Files.writeString(
          file,
          compose("1")
              + "networks:\n  default:\n    driver_opts: {com.docker.network.driver.mtu: \"1400\"}\n");
      JstackRunner.Run drift = jstack.run(base, "up", "--dry-run");
      assertThat(drift.out().strip()).isEqualTo("nothing to do");
      assertThat(drift.err())
          .contains(
              "network crew_default was made with other options than the file gives (driver_opts"
                  + " com.docker.network.driver.mtu): a swarm cannot change a network in place");

      // An update whose healthcheck fails: the manager rolls it back, and up --wait says so.
      Files.writeString(file, compose("1", "bad"));
      JstackRunner.Run bad = jstack.run(base, "up", "--wait");
      assertThat(bad.code()).as(bad.out()).isEqualTo(1);
      assertThat(bad.out()).contains(" update service crew_checked (spec changed:");
      assertThat(bad.err())
          .containsPattern(
              "jstack: the update of service crew_checked was rolled back: task \\w+ failed: .*"
                  + "; its previous spec runs again");
      System.out.println("rolled back: " + bad.err().strip());
      assertThat(jstack.run(base, "up", "--dry-run").out().strip())
          .as("the rolled-back change is still to do")
          .startsWith("1. update service crew_checked (spec changed: ");

      // logs, through --host instead of DOCKER_HOST: each replica's line, named by its task.
      JstackRunner byHost = new JstackRunner(Map.of("HOME", dir.toString()));
      String[] hosted = {
        "-H", rig.manager().dockerHost(), "--engine", "swarm", "-p", "crew", "-f", file.toString()
      };
      JstackRunner.Run logs = byHost.run(hosted, "logs", "-t", "worker");
      assertThat(logs.code()).as(logs.err()).isZero();
      assertThat(logs.out().lines())
          .hasSize(2)
          .allMatch(
              l ->
                  l.matches(
                      "worker\\.[12]@\\S+ +\\| \\d{4}-\\d\\d-\\d\\dT\\S+ worker up on \\w+ with from-the-env-file"))
          .anyMatch(l -> l.startsWith("worker.1@"))
          .anyMatch(l -> l.startsWith("worker.2@"));

      // config says what Swarm will not keep, without asking the manager.
      JstackRunner.Run config = jstack.run(base, "config", "-q");
      assertThat(config.code()).isZero();
      assertThat(config.err()).contains("depends_on is not kept by Swarm (service worker)");

      JstackRunner.Run exec = jstack.run(base, "exec", "web", "true");
      assertThat(exec.code()).isEqualTo(1);
      assertThat(exec.err()).contains("--engine swarm runs up, down, ps, logs and config");

      // A dry run of down prints its plan and removes nothing.
      JstackRunner.Run dryDown = jstack.run(base, "down", "--dry-run");
      assertThat(dryDown.code()).as(dryDown.err()).isZero();
      assertThat(dryDown.out()).contains("remove service crew_web (down)");
      assertThat(jstack.run(base, "ps").out()).contains("crew_web");

      JstackRunner.Run down = jstack.run(base, "down");
      assertThat(down.code()).as(down.err()).isZero();
      assertThat(down.out())
          .contains(" remove service crew_web (down)", " remove network crew_default (down)");
      assertThat(down.err()).contains("named volumes stay on the nodes");
      assertThat(jstack.run(base, "ps").out().strip())
          .isEqualTo("NAME   MODE   REPLICAS   IMAGE   PORTS");
    } finally {
      rig.close();
    }
  }
}

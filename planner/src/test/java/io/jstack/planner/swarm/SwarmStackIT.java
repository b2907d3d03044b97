package io.jstack.planner.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.Project;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.swarm.SwarmRig;
import io.jstack.planner.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Compose project reconciled onto the real two-node swarm: created, converged, reachable by name
 * across nodes and listed by {@code docker stack ps}; unchanged, an empty plan; an environment
 * value changed, that service alone updated; a config's file changed, a new config object rolled
 * out and the old one removed; down, everything of the stack gone.
 */
class SwarmStackIT {
  static final String IMAGE = "jstack-examples/busybox:latest";

  static String compose(String level) {
    return """
        name: shop
        services:
          web:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "hostname > /www/host.txt; exec httpd -f -p 8080 -h /www"]
            ports: [{target: 8080, published: 18081, mode: host}]
            deploy: {mode: global, endpoint_mode: dnsrr}
          api:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "hostname > /www/host.txt; exec httpd -f -p 8080 -h /www"]
            environment: {LEVEL: "%s"}
            deploy:
              replicas: 2
              endpoint_mode: dnsrr
              placement: {preferences: [{spread: node.labels.rig.node}]}
              update_config: {order: start-first}
          conf:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "cat /site.conf /run/secrets/token; exec sleep 3600"]
            configs: [{source: site, target: /site.conf}]
            secrets: [token]
            volumes: ["data:/data"]
            deploy: {endpoint_mode: dnsrr}
        volumes:
          data: {}
        configs:
          site: {file: ./site.conf}
        secrets:
          token: {file: ./token.txt}
        """
        .formatted(level);
  }

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @Test
  void upConvergesUpdatesOnlyWhatChanged_andDownRemovesTheStack() throws Exception {
    Files.writeString(dir.resolve("site.conf"), "site v1\n");
    Files.writeString(dir.resolve("token.txt"), "s3cret\n");
    SwarmRig rig = SwarmRig.start(List.of(IMAGE));
    try (DockerSwarm swarm = DockerSwarm.connect(EngineAddress.parse(rig.manager().dockerHost()))) {
      Project p = TestProjects.load(dir, compose("1"));
      SwarmStack stack = new SwarmStack(swarm, p);
      SwarmStack.Plan first = stack.up(false);
      assertThat(first.steps())
          .extracting(SwarmStack.Step::describe)
          .containsExactly(
              "create network shop_default",
              "create config shop_site-"
                  + first.steps().get(1).target().substring("shop_site-".length()),
              "create secret " + first.steps().get(2).target(),
              "create service shop_api",
              "create service shop_conf",
              "create service shop_web");
      List<String> done = new ArrayList<>();
      stack.apply(first, done::add);
      assertThat(done).hasSize(6);
      stack.awaitConverged(first, SwarmRig.SETTLE);

      // Listed by docker stack, and reachable by name across the nodes.
      String ps =
          SwarmRig.must(
              rig.manager(), "stack", "ps", "shop", "--format", "{{.Name}} {{.CurrentState}}");
      assertThat(ps).contains("shop_api.1", "shop_api.2", "shop_conf.1", "shop_web.");
      assertThat(reachableApiHosts(rig, swarm)).hasSize(2);
      // The global service's host-mode port answers on each node, asked from the other one.
      String onA = SwarmRig.httpGet(rig.worker(), rig.manager().address(), 18081, "/host.txt");
      String onB = SwarmRig.httpGet(rig.manager(), rig.worker().address(), 18081, "/host.txt");
      assertThat(List.of(onA.strip(), onB.strip())).doesNotContain("").doesNotHaveDuplicates();

      // Nothing changed: nothing to do.
      SwarmStack.Plan again = new SwarmStack(swarm, TestProjects.load(dir, compose("1"))).up(false);
      assertThat(again.steps()).extracting(SwarmStack.Step::describe).isEmpty();

      // One value changed: that service alone.
      SwarmStack level2 = new SwarmStack(swarm, TestProjects.load(dir, compose("2")));
      SwarmStack.Plan env = level2.up(false);
      assertThat(env.steps())
          .extracting(SwarmStack.Step::describe)
          .containsExactly("update service shop_api");
      assertThat(env.steps().get(0).reason())
          .isEqualTo("spec changed: TaskTemplate.ContainerSpec.Env");
      level2.apply(env, line -> {});
      level2.awaitConverged(env, SwarmRig.SETTLE);
      assertStartedBeforeTheOldStopped(swarm, "shop_api");

      // The config's file changed: a new object, the service moved to it, the old one removed.
      String oldConfig = first.steps().get(1).target();
      Files.writeString(dir.resolve("site.conf"), "site v2\n");
      SwarmStack v2 = new SwarmStack(swarm, TestProjects.load(dir, compose("2")));
      SwarmStack.Plan config = v2.up(false);
      assertThat(config.steps())
          .extracting(SwarmStack.Step::describe)
          .containsExactly(
              "create config " + config.steps().get(0).target(),
              "update service shop_conf",
              "remove config " + oldConfig);
      assertThat(config.steps().get(0).reason()).isEqualTo("content changed");
      v2.apply(config, line -> {});
      v2.awaitConverged(config, SwarmRig.SETTLE);
      assertThat(swarm.stored("configs", Map.of()))
          .extracting(DockerSwarm.Stored::name)
          .containsExactly(config.steps().get(0).target());

      // Down: services, network, config and secret gone.
      SwarmStack.Plan down = v2.down();
      assertThat(down.warnings())
          .singleElement()
          .asString()
          .startsWith("named volumes stay on the nodes");
      v2.apply(down, line -> {});
      assertThat(swarm.services(Map.of())).isEmpty();
      assertThat(swarm.networks(Map.of(SwarmSpecs.NAMESPACE, "shop"))).isEmpty();
      assertThat(swarm.stored("configs", Map.of())).isEmpty();
      assertThat(swarm.stored("secrets", Map.of())).isEmpty();
      // The named volume stays on the node that ran conf, as docker stack rm leaves it.
      assertThat(
              rig.nodes().stream()
                  .map(
                      n -> {
                        try {
                          return SwarmRig.must(n, "volume", "ls", "--format", "{{.Name}}");
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                      })
                  .toList())
          .anyMatch(names -> names.lines().anyMatch("shop_data"::equals));
    } finally {
      rig.close();
    }
  }

  /**
   * For each slot of {@code service} (updated once, with {@code order: start-first}), the new task
   * was running before the old one was shut down: the manager's task timestamps overlap.
   */
  private static void assertStartedBeforeTheOldStopped(DockerSwarm swarm, String service)
      throws InterruptedException {
    String id = swarm.service(service).orElseThrow().id();
    Set<String> ended = Set.of("complete", "shutdown", "failed");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    Map<Integer, List<DockerSwarm.Task>> bySlot;
    do {
      // Converged means the new tasks run; the old ones may still be on their way out.
      bySlot = new java.util.TreeMap<>();
      for (DockerSwarm.Task t : swarm.tasks(id)) {
        bySlot.computeIfAbsent(t.slot(), k -> new ArrayList<>()).add(t);
      }
      Thread.sleep(200);
    } while (bySlot.values().stream()
            .flatMap(List::stream)
            .anyMatch(t -> t.desired().equals("shutdown") && !ended.contains(t.state()))
        && Instant.now().isBefore(deadline));
    assertThat(bySlot).hasSize(2);
    bySlot.forEach(
        (slot, tasks) -> {
          DockerSwarm.Task running =
              tasks.stream().filter(t -> t.desired().equals("running")).findFirst().orElseThrow();
          DockerSwarm.Task old =
              tasks.stream().filter(t -> t.desired().equals("shutdown")).findFirst().orElseThrow();
          System.out.printf(
              "slot %d: new task running at %s, old task %s at %s%n",
              slot, running.since(), old.state(), old.since());
          assertThat(running.state()).isEqualTo("running");
          assertThat(old.state()).isIn(ended);
          assertThat(running.since()).as("slot " + slot).isBefore(old.since());
        });
  }

  /** The host names of api's tasks that answer web's task on the manager, by the name "api". */
  private static Set<String> reachableApiHosts(SwarmRig rig, DockerSwarm swarm) throws Exception {
    String web =
        swarm.services(Map.of()).stream()
            .filter(s -> s.name().equals("shop_web"))
            .findFirst()
            .orElseThrow()
            .id();
    Set<String> answered = new TreeSet<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (answered.size() < 2 && Instant.now().isBefore(deadline)) {
      for (DockerSwarm.Task t : swarm.tasks(web)) {
        if (t.containerId() == null || !t.state().equals("running")) {
          continue;
        }
        SwarmRig.Result r =
            SwarmRig.docker(
                rig.manager(),
                "exec",
                t.containerId(),
                "sh",
                "-c",
                "for ip in $(nslookup api 2>/dev/null | sed -n 's/^Address: *//p' | grep -v ':53$'); do"
                    + " printf 'GET /host.txt HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $ip 8080 | tail -n 1;"
                    + " done");
        if (r.ok()) {
          r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(answered::add);
        }
      }
      Thread.sleep(500);
    }
    return answered;
  }
}

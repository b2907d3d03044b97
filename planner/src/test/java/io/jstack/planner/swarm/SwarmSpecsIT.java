package io.jstack.planner.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.swarm.SwarmRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential: the spec jstack makes of a Compose service is the one {@code docker stack deploy}
 * makes of it, as a real swarm manager keeps both (each created on the two-node rig, read back, and
 * compared field by field, the network's id read as its name).
 */
class SwarmSpecsIT {
  static final String IMAGE = "jstack-examples/busybox:latest";

  static final String COMPOSE =
      """
      version: "3.8"
      services:
        web:
          image: jstack-examples/busybox:latest
          entrypoint: ["/bin/sh", "-c"]
          command: ["exec httpd -f -p 8080 -h /www"]
          environment: {B: "2", A: "1"}
          labels: {tier: front}
          hostname: web-{{.Task.Slot}}
          user: "0"
          working_dir: /www
          init: true
          isolation: default
          networks: [default, back]
          stop_grace_period: 3s
          stop_signal: SIGTERM
          extra_hosts: ["db.local:10.0.0.5"]
          healthcheck: {test: ["CMD", "true"], interval: 2s, timeout: 1s, retries: 4}
          ulimits: {nofile: {soft: 100, hard: 200}, nproc: 50}
          volumes:
            - data:/data
            - type: tmpfs
              target: /scratch
              tmpfs: {size: 1048576}
          ports:
            - {target: 8080, published: 18080, mode: host}
            - {target: 9090, protocol: udp, mode: host}
          deploy:
            replicas: 2
            endpoint_mode: dnsrr
            labels: {team: a}
            placement:
              constraints: ["node.labels.rig.node != c"]
              preferences: [{spread: node.labels.rig.node}]
            resources:
              limits: {cpus: "0.5", memory: 64M}
              reservations:
                memory: 16M
                generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]
            restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 30s}
            update_config: {parallelism: 2, delay: 1s, order: start-first, failure_action: rollback, monitor: 10s, max_failure_ratio: 0.5}
            rollback_config: {parallelism: 1, order: stop-first}
      volumes:
        data:
          driver_opts: {type: tmpfs, device: tmpfs}
          labels: {kind: scratch}
      networks:
        back:
          attachable: true
          internal: true
          driver_opts: {com.docker.network.driver.mtu: "1400"}
          ipam: {config: [{subnet: 10.215.5.0/24}]}
          labels: {zone: b}
      """;

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @Test
  void jstacksSpec_isDockerStacks() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, COMPOSE);
    SwarmRig rig = SwarmRig.start(List.of(IMAGE));
    try (DockerSwarm swarm = DockerSwarm.connect(EngineAddress.parse(rig.manager().dockerHost()))) {
      SwarmRig.must(
          rig.manager(),
          "stack",
          "deploy",
          "--resolve-image",
          "never",
          "-c",
          file.toString(),
          "ds");
      JsonNode theirs = readBack(swarm, "ds_web");
      String theirNetwork = network(rig);
      SwarmRig.must(rig.manager(), "stack", "rm", "ds");
      awaitGone(swarm);

      Project p =
          ComposeLoader.load(
                  ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir)
                      .withProjectName("ds"))
              .project();
      swarm.createNetwork(SwarmSpecs.network(p, "default", null));
      swarm.createNetwork(SwarmSpecs.network(p, "back", p.networks().get("back")));
      swarm.createService(SwarmSpecs.service(p, p.services().get("web"), Map.of(), Map.of()));
      JsonNode ours = readBack(swarm, "ds_web");

      assertThat(ours.toPrettyString()).isEqualTo(theirs.toPrettyString());
      assertThat(network(rig)).isEqualTo(theirNetwork);
      swarm.removeService("ds_web");
      awaitGone(swarm);
    } finally {
      rig.close();
    }
  }

  /** What the manager keeps of network ds_back that a stack's file decides. */
  private static String network(SwarmRig rig) throws Exception {
    return SwarmRig.must(
            rig.manager(),
            "network",
            "inspect",
            "ds_back",
            "--format",
            "{{.Driver}} {{.Scope}} internal={{.Internal}} attachable={{.Attachable}}"
                + " ipv6={{.EnableIPv6}} {{json .Options}} {{json .IPAM}} {{json .Labels}}")
        // The VXLAN id is the manager's to give, a new one to each network.
        .replaceAll("\"com.docker.network.driver.overlay.vxlanid_list\":\"\\d+\"", "VXLAN");
  }

  /** The manager's spec of {@code name}, its networks named instead of numbered. */
  private static JsonNode readBack(DockerSwarm swarm, String name) {
    return SwarmSpecs.namedNetworks(
        swarm.service(name).orElseThrow().spec().deepCopy(), swarm.networks(Map.of()));
  }

  private static void awaitGone(DockerSwarm swarm) throws InterruptedException {
    Instant deadline = Instant.now().plus(SwarmRig.SETTLE);
    while (!swarm.services(Map.of()).isEmpty()
        || swarm.networks(Map.of()).containsKey("ds_default")
        || swarm.networks(Map.of()).containsKey("ds_back")) {
      assertThat(Instant.now()).as("the stack is gone").isBefore(deadline);
      Thread.sleep(200);
      for (String network : List.of("ds_default", "ds_back")) {
        if (swarm.services(Map.of()).isEmpty() && swarm.networks(Map.of()).containsKey(network)) {
          try {
            swarm.removeNetwork(network);
          } catch (RuntimeException stillInUse) {
            // Its tasks are still going: later.
          }
        }
      }
    }
  }
}

package io.jstack.engine.testing.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.engine.testing.NothingLeft;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-node swarm the Swarm backend is tested on is a real one: both nodes are Ready with their
 * labels, and a global service's tasks, one per node, reach each other by name over an overlay
 * network across the veth pair ({@link DockerSwarm} drives it as jstack will).
 */
class SwarmRigIT {
  static final String IMAGE = "jstack-examples/busybox:latest";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Checks after the rig's close that it left nothing on the host. */
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private SwarmRig rig;
  private DockerSwarm swarm;

  @Test
  void aRealTwoNodeSwarm_thatLeavesNothingBehind() throws Exception {
    rig = SwarmRig.start(List.of(IMAGE));
    try {
      swarm = DockerSwarm.connect(EngineAddress.parse(rig.manager().dockerHost()));
      twoNodes_readyWithTheirLabels();
      aGlobalServicesTasks_reachEachOtherByName_acrossNodes();
      swarm.close();
    } finally {
      rig.close();
    }
  }

  private void twoNodes_readyWithTheirLabels() {
    List<DockerSwarm.Node> nodes = swarm.nodes();
    assertThat(nodes).extracting(DockerSwarm.Node::state).containsOnly("ready");
    assertThat(nodes)
        .extracting(DockerSwarm.Node::role)
        .containsExactlyInAnyOrder("manager", "worker");
    assertThat(nodes)
        .extracting(n -> n.labels().get("rig.node"))
        .containsExactlyInAnyOrder("a", "b");
  }

  private void aGlobalServicesTasks_reachEachOtherByName_acrossNodes() throws Exception {
    ObjectNode net = JSON.createObjectNode();
    net.put("Name", "rig-net").put("Driver", "overlay").put("Attachable", true);
    net.putObject("Labels").put("rig", "test");
    swarm.createNetwork(net);
    ObjectNode spec = JSON.createObjectNode();
    spec.put("Name", "web");
    spec.putObject("Labels").put("rig", "test");
    ObjectNode container = spec.putObject("TaskTemplate").putObject("ContainerSpec");
    container.put("Image", IMAGE);
    container
        .putArray("Command")
        .add("sh")
        .add("-c")
        .add("hostname > /www/host.txt; exec httpd -f -p 8080 -h /www");
    ((ObjectNode) spec.get("TaskTemplate"))
        .putArray("Networks")
        .addObject()
        .put("Target", "rig-net");
    spec.putObject("Mode").putObject("Global");
    spec.putObject("EndpointSpec").put("Mode", "dnsrr");
    String id = swarm.createService(spec);
    assertThat(swarm.services(Map.of("rig", "test")))
        .extracting(DockerSwarm.Service::name)
        .containsExactly("web");

    Instant deadline = Instant.now().plus(SwarmRig.SETTLE);
    List<DockerSwarm.Task> running;
    do {
      Thread.sleep(300);
      running = swarm.tasks(id).stream().filter(t -> t.state().equals("running")).toList();
      assertThat(Instant.now()).as("both tasks run: " + swarm.tasks(id)).isBefore(deadline);
    } while (running.size() < 2);
    assertThat(running).extracting(DockerSwarm.Task::nodeId).doesNotHaveDuplicates();

    // From the manager's task, every address of "web" answers with its own host name.
    DockerSwarm.Task here =
        running.stream()
            .filter(t -> t.containerId() != null)
            .filter(
                t -> {
                  try {
                    return SwarmRig.docker(rig.manager(), "inspect", t.containerId()).ok();
                  } catch (Exception e) {
                    return false;
                  }
                })
            .findFirst()
            .orElseThrow();
    Set<String> answered = new TreeSet<>();
    Instant dnsDeadline = Instant.now().plus(Duration.ofSeconds(30));
    while (answered.size() < 2 && Instant.now().isBefore(dnsDeadline)) {
      String out =
          SwarmRig.docker(
                  rig.manager(),
                  "exec",
                  here.containerId(),
                  "sh",
                  "-c",
                  "for ip in $(nslookup web 2>/dev/null | sed -n 's/^Address: *//p' | grep -v ':53$'); do"
                      + " printf 'GET /host.txt HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $ip 8080 | tail -n 1;"
                      + " done")
              .out();
      out.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(answered::add);
      Thread.sleep(500);
    }
    assertThat(answered).as("host names that answered through the overlay").hasSize(2);

    swarm.removeService(id);
    swarm.removeNetwork("rig-net");
  }
}

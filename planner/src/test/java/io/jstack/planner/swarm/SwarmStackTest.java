package io.jstack.planner.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The reasons an update step gives: the sections of the spec that differ, and only those. */
class SwarmStackTest {
  @Test
  void changes_numbersReadAsIntOrLong_areTheSame() throws Exception {
    ObjectNode desired = JsonNodeFactory.instance.objectNode();
    desired.putObject("UpdateConfig").put("Parallelism", 1L).put("Order", "start-first");
    desired.putObject("TaskTemplate").putObject("ContainerSpec").putArray("Env").add("A=1");
    JsonNode kept =
        new ObjectMapper()
            .readTree(
                "{\"UpdateConfig\":{\"Parallelism\":1,\"Order\":\"start-first\"},"
                    + "\"TaskTemplate\":{\"ContainerSpec\":{\"Env\":[\"A=2\"]}}}");

    assertThat(SwarmStack.changes(desired, kept)).containsExactly("TaskTemplate.ContainerSpec.Env");
  }

  @Test
  void changes_onlyFieldsTheManagerKeepsDifferently_saysSo() throws Exception {
    JsonNode same = new ObjectMapper().readTree("{\"Mode\":{\"Replicated\":{\"Replicas\":2}}}");

    assertThat(SwarmStack.changes(same, same.deepCopy()))
        .containsExactly("fields the manager keeps differently");
  }

  @Test
  void changes_aNumberThatDiffers_isNamed() throws Exception {
    ObjectNode desired = JsonNodeFactory.instance.objectNode();
    desired.putObject("Mode").putObject("Replicated").put("Replicas", 3L);
    JsonNode kept = new ObjectMapper().readTree("{\"Mode\":{\"Replicated\":{\"Replicas\":2}}}");

    assertThat(SwarmStack.changes(desired, kept)).containsExactly("Mode.Replicated.Replicas");
  }

  @Test
  void networkDrift_namesWhatTheFileAsksAndTheNetworkLacks_only() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode desired =
        json.readTree(
            "{\"Name\":\"shop_back\",\"Internal\":true,\"Options\":{\"mtu\":\"1400\"},"
                + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.9.0.0/24\"}]},"
                + "\"Labels\":{\"com.docker.stack.namespace\":\"shop\",\"zone\":\"b\"}}");
    JsonNode same =
        json.readTree(
            "{\"Internal\":true,\"Options\":{\"mtu\":\"1400\",\"vxlanid_list\":\"4097\"},"
                + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.9.0.0/24\",\"Gateway\":\"10.9.0.1\"}]},"
                + "\"Labels\":{\"com.docker.stack.namespace\":\"shop\",\"zone\":\"b\",\"x\":\"y\"}}");
    JsonNode other =
        json.readTree(
            "{\"Options\":{\"vxlanid_list\":\"4097\"},"
                + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.3.0/24\"}]},"
                + "\"Labels\":{\"com.docker.stack.namespace\":\"shop\"}}");

    assertThat(SwarmStack.networkDrift(desired, same)).isEmpty();
    assertThat(SwarmStack.networkDrift(desired, other))
        .containsExactly(
            "internal",
            "driver_opts mtu",
            "ipam subnets [10.9.0.0/24] (it has [10.0.3.0/24])",
            "label zone");
  }
}

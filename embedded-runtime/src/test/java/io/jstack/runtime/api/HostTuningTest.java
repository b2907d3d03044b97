package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.ContainerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostTuningTest {
  private static JsonNode body(String hostConfig) throws Exception {
    return Exchange.JSON.readTree(
        ("{'Image': 'busybox', 'HostConfig': " + hostConfig + "}").replace('\'', '"'));
  }

  private static ContainerSettings.Tuning tuning(String hostConfig) throws Exception {
    return CreateBody.settings(body(hostConfig)).host().tuning();
  }

  private static String refusalOf(String json) {
    try {
      CreateBody.settings(Exchange.JSON.readTree(json));
    } catch (EngineException.InvalidArgument e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + json);
  }

  private static String refusal(String hostConfig) {
    try {
      CreateBody.settings(body(hostConfig));
    } catch (EngineException.InvalidArgument e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + hostConfig);
  }

  @Test
  void whatComposeSends_isKept_andInspectShowsItAsDockerd() throws Exception {
    JsonNode b =
        body(
            """
            {'IpcMode': 'container:shop-a-1', 'PidMode': 'host', 'UTSMode': 'host',
             'Devices': [{'PathOnHost': '/dev/fuse', 'PathInContainer': '/dev/fuse',
                          'CgroupPermissions': 'rwm'}],
             'DeviceCgroupRules': ['c 10:229 rwm'], 'GroupAdd': ['audio', '1234'],
             'CpuShares': 512, 'CpuPeriod': 50000, 'CpuQuota': 25000, 'CpusetCpus': '0',
             'Memory': 67108864, 'MemoryReservation': 33554432, 'MemorySwap': 134217728,
             'MemorySwappiness': 10, 'OomKillDisable': true, 'OomScoreAdj': 300,
             'VolumesFrom': ['shop-db-1:ro', 'shop-files-1']}""");
    ContainerSettings.Host h = CreateBody.settings(b).host();
    ContainerSettings.Tuning t = h.tuning();

    assertThat(t.ipcContainer()).isEqualTo("shop-a-1");
    assertThat(t.pidMode()).isEqualTo("host");
    assertThat(t.pidContainer()).isNull();
    assertThat(t.devices())
        .containsExactly(new ContainerSettings.Device("/dev/fuse", "/dev/fuse", "rwm"));
    assertThat(t.groupAdd()).containsExactly("audio", "1234");
    assertThat(t.cpuShares()).isEqualTo(512);
    assertThat(t.memorySwap()).isEqualTo(128L << 20);
    assertThat(t.memorySwappiness()).isEqualTo(10L);
    JsonNode i = CreateBody.hostConfig(h);
    assertThat(i.path("IpcMode").asText()).isEqualTo("container:shop-a-1");
    assertThat(i.path("PidMode").asText()).isEqualTo("host");
    assertThat(i.path("UTSMode").asText()).isEqualTo("host");
    assertThat(i.path("Devices").get(0).path("CgroupPermissions").asText()).isEqualTo("rwm");
    assertThat(i.path("DeviceCgroupRules").get(0).asText()).isEqualTo("c 10:229 rwm");
    assertThat(i.path("GroupAdd").toString()).isEqualTo("[\"audio\",\"1234\"]");
    assertThat(i.path("CpuShares").asLong()).isEqualTo(512);
    assertThat(i.path("CpuPeriod").asLong()).isEqualTo(50000);
    assertThat(i.path("CpuQuota").asLong()).isEqualTo(25000);
    assertThat(i.path("CpusetCpus").asText()).isEqualTo("0");
    assertThat(i.path("MemoryReservation").asLong()).isEqualTo(32L << 20);
    assertThat(i.path("MemorySwap").asLong()).isEqualTo(128L << 20);
    assertThat(i.path("OomKillDisable").asBoolean()).isTrue();
    assertThat(i.path("OomScoreAdj").asInt()).isEqualTo(300);
    assertThat(i.path("VolumesFrom").toString()).isEqualTo("[\"shop-db-1:ro\",\"shop-files-1\"]");
  }

  @Test
  void nothingAsked_isDockersDefaults_asInspectShowsThem() throws Exception {
    // What the docker CLI sends for a plain run: zeros, empties, -1 swappiness.
    ContainerSettings.Host h =
        CreateBody.settings(
                body(
                    """
                    {'IpcMode': '', 'PidMode': '', 'UTSMode': '', 'UsernsMode': '',
                     'CgroupParent': '', 'Runtime': '', 'Devices': [], 'VolumesFrom': null,
                     'CpuShares': 0, 'MemorySwap': 0, 'MemorySwappiness': -1,
                     'BlkioWeight': 0, 'BlkioWeightDevice': [], 'KernelMemory': 0,
                     'OomKillDisable': false, 'CpuCount': 0}"""))
            .host();

    assertThat(h.tuning()).isEqualTo(ContainerSettings.Tuning.NONE);
    JsonNode i = CreateBody.hostConfig(h);
    assertThat(i.path("IpcMode").asText()).isEqualTo("private");
    assertThat(i.path("PidMode").asText()).isEmpty();
    assertThat(i.path("GroupAdd").isNull()).as("null when empty, as dockerd").isTrue();
    assertThat(i.path("Devices").isArray()).isTrue();
    assertThat(i.path("Devices")).isEmpty();
    assertThat(i.path("MemorySwappiness").isNull()).isTrue();
  }

  @Test
  void eachIpcMode_isKept_andAnUnknownOneIsRefused() throws Exception {
    for (String mode : List.of("private", "shareable", "host", "none", "container:a")) {
      assertThat(tuning("{'IpcMode': '" + mode + "'}").ipcMode()).isEqualTo(mode);
    }
    assertThat(tuning("{'PidMode': 'container:a'}").pidContainer()).isEqualTo("a");
    assertThat(refusal("{'IpcMode': 'hots'}"))
        .isEqualTo(
            "HostConfig.IpcMode: hots is not an IPC mode; use private, shareable, host, none or"
                + " container:<name>");
    assertThat(refusal("{'PidMode': 'container:'}")).startsWith("HostConfig.PidMode: container:");
    assertThat(refusal("{'UTSMode': 'private'}")).startsWith("HostConfig.UTSMode: private");
    assertThat(
            refusalOf(
                "{\"Image\": \"busybox\", \"Hostname\": \"web\","
                    + " \"HostConfig\": {\"UTSMode\": \"host\"}}"))
        .isEqualTo(
            "Hostname: a container with uts: host has the host's name; drop hostname or uts: host");
  }

  @Test
  void whatTheEngineCannotHonour_isRefusedInOneLine_namingTheField() {
    assertThat(refusal("{'UsernsMode': 'host'}"))
        .isEqualTo(
            "HostConfig.UsernsMode (userns_mode: host): user namespaces are not supported by"
                + " jstack's embedded engine; remove it or use --engine docker");
    assertThat(refusal("{'CgroupParent': 'mine'}")).startsWith("HostConfig.CgroupParent");
    assertThat(refusal("{'Runtime': 'runsc'}"))
        .isEqualTo(
            "HostConfig.Runtime (runtime: runsc): unknown or invalid runtime name; the jstack"
                + " engine runs crun or runc");
    assertThat(refusal("{'BlkioWeight': 300}")).startsWith("HostConfig.BlkioWeight");
    assertThat(refusal("{'CpuRealtimeRuntime': 950000}"))
        .startsWith("HostConfig.CpuRealtimeRuntime");
    assertThat(refusal("{'DeviceRequests': [{'Driver': 'nvidia'}]}"))
        .startsWith("HostConfig.DeviceRequests");
    assertThat(refusal("{'StorageOpt': {'size': '1G'}}")).startsWith("HostConfig.StorageOpt");
  }

  @Test
  void limitsThatContradictEachOther_areRefusedAsDockerdDoes() {
    assertThat(refusal("{'NanoCpus': 500000000, 'CpuQuota': 50000}"))
        .startsWith("HostConfig.NanoCpus and CpuQuota/CpuPeriod cannot both be set");
    assertThat(refusal("{'Memory': 1048576, 'MemorySwap': 1024}"))
        .contains("memswap_limit counts memory plus swap");
    assertThat(refusal("{'MemorySwap': 2097152}")).contains("set mem_limit too");
    assertThat(refusal("{'Memory': 1048576, 'MemoryReservation': 2097152}"))
        .contains("make mem_reservation at most mem_limit");
    assertThat(refusal("{'OomScoreAdj': 1001}")).contains("use -1000 to 1000");
    assertThat(refusal("{'MemorySwappiness': 101}")).contains("use 0 to 100");
    assertThat(refusal("{'CpuPeriod': 10}")).contains("use 1000 to 1000000");
    assertThat(refusal("{'VolumesFrom': ['db:z']}"))
        .isEqualTo(
            "HostConfig.VolumesFrom: db:z is not a container with a mode; write NAME, NAME:ro or"
                + " NAME:rw");
    assertThat(refusal("{'Devices': [{'PathInContainer': '/dev/x'}]}"))
        .contains("has no PathOnHost");
  }

  @Test
  void theRuntimesTheEngineKnows_areKept_andShownAsAsked() throws Exception {
    assertThat(tuning("{'Runtime': 'runc'}").runtime()).isEqualTo("runc");
    assertThat(tuning("{'Runtime': 'crun'}").runtime()).isEqualTo("crun");
    assertThat(tuning("{}").runtime()).isEmpty();
    com.fasterxml.jackson.databind.node.ObjectNode shown = Exchange.JSON.createObjectNode();
    HostTuning.json(shown, tuning("{'Runtime': 'runc'}"));
    assertThat(shown.path("Runtime").asText()).isEqualTo("runc");
  }
}

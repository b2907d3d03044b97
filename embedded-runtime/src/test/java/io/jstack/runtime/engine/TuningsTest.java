package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class TuningsTest {
  private static ContainerSettings.Tuning asking(
      List<ContainerSettings.Device> devices, List<String> rules) {
    return new ContainerSettings.Tuning(
        "host",
        "container:a",
        "",
        devices,
        rules,
        List.of("audio"),
        512,
        0,
        0,
        "",
        "",
        0,
        -1,
        null,
        false,
        -500,
        List.of(),
        "");
  }

  @Test
  void aDevice_getsTheHostNodesTypeMajorAndMinor() {
    ContainerConfig.Tuning t =
        Tunings.of(
            asking(
                List.of(
                    new ContainerSettings.Device("/dev/null", "/dev/mynull", "rw"),
                    new ContainerSettings.Device("/dev/zero", "", "")),
                List.of("c 10:* rwm", "a *:* m")),
            "example.com");

    assertThat(t.devices())
        .containsExactly(
            new ContainerConfig.Device("/dev/mynull", "c", 1, 3, "rw", 0666, 0, 0),
            new ContainerConfig.Device("/dev/zero", "c", 1, 5, "rwm", 0666, 0, 0));
    assertThat(t.deviceRules())
        .containsExactly(
            new ContainerConfig.DeviceRule("c", 10, -1, "rwm"),
            new ContainerConfig.DeviceRule("a", -1, -1, "m"));
    assertThat(t.ipc()).isEqualTo(ContainerConfig.Sharing.HOST);
    assertThat(t.pid()).isEqualTo(ContainerConfig.Sharing.CONTAINER);
    assertThat(t.uts()).isEqualTo(ContainerConfig.Sharing.PRIVATE);
    assertThat(t.cpuShares()).isEqualTo(512L);
    assertThat(t.memorySwap()).isEqualTo(-1L);
    assertThat(t.oomScoreAdj()).isEqualTo(-500);
    assertThat(t.groups()).containsExactly("audio");
    assertThat(t.domainname()).isEqualTo("example.com");
  }

  @Test
  void aMissingDevice_aFile_aBadRuleOrPermission_areRefusedInOneLine() {
    assertThatThrownBy(
            () ->
                Tunings.of(
                    asking(
                        List.of(new ContainerSettings.Device("/dev/nope-jstack", "", "")),
                        List.of()),
                    null))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageStartingWith("devices: /dev/nope-jstack is not on this host")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(
            () ->
                Tunings.of(
                    asking(
                        List.of(new ContainerSettings.Device("/etc/hostname", "", "")), List.of()),
                    null))
        .hasMessage(
            "devices: /etc/hostname is not a device node; name a character or block device such as"
                + " /dev/fuse");
    assertThatThrownBy(
            () ->
                Tunings.of(
                    asking(List.of(new ContainerSettings.Device("/dev/null", "", "rx")), List.of()),
                    null))
        .hasMessage("devices: /dev/null has permissions rx; use r, w and m (e.g. rwm)");
    assertThatThrownBy(() -> Tunings.of(asking(List.of(), List.of("c 10-229 rwm")), null))
        .hasMessage(
            "device_cgroup_rules: c 10-229 rwm is not a rule; write it as TYPE MAJOR:MINOR ACCESS,"
                + " e.g. 'c 10:229 rwm'");
  }
}

package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerInfo;
import org.junit.jupiter.api.Test;

class ContainerJsonTest {
  static final String ANON = "3f".repeat(32);

  /**
   * The {@code Mounts} of dockerd 20.10: an image VOLUME's anonymous volume, a named one, a bind.
   */
  static final String MOUNTS =
      """
      "Mounts": [
        {"Type": "volume", "Name": "%s", "Source": "/var/lib/docker/volumes/%s/_data",
         "Destination": "/data", "Driver": "local", "Mode": "", "RW": true, "Propagation": ""},
        {"Type": "volume", "Name": "app_db", "Source": "/var/lib/docker/volumes/app_db/_data",
         "Destination": "/var/lib/db", "Driver": "local", "Mode": "z", "RW": true,
         "Propagation": ""},
        {"Type": "bind", "Source": "/srv/conf", "Destination": "/etc/app", "Mode": "",
         "RW": false, "Propagation": "rprivate"}
      ]
      """
          .formatted(ANON, ANON);

  @Test
  void summary_readsMounts() throws Exception {
    var json =
        JsonTrees.read(
            "{\"Id\": \"c1\", \"Names\": [\"/app-web-1\"], \"State\": \"running\", "
                + MOUNTS
                + "}");

    ContainerInfo c = ContainerJson.summary(json);

    assertThat(c.mounts())
        .containsExactly(
            ContainerInfo.Mount.volume(ANON, "/data"),
            ContainerInfo.Mount.volume("app_db", "/var/lib/db"),
            new ContainerInfo.Mount("bind", "", "/etc/app"));
  }

  @Test
  void inspected_readsMounts() throws Exception {
    var json =
        JsonTrees.read(
            "{\"Id\": \"c1\", \"Name\": \"/app-web-1\", \"Created\": \"2026-12-06T14:00:00Z\","
                + " \"State\": {\"Status\": \"exited\"}, "
                + MOUNTS
                + "}");

    ContainerInfo c = ContainerJson.inspected(json);

    assertThat(c.mounts()).hasSize(3);
    assertThat(c.mounts().get(0).engineNamedVolume()).isTrue();
    assertThat(c.mounts().get(1).engineNamedVolume()).isFalse();
    assertThat(c.mounts().get(2).engineNamedVolume()).isFalse();
  }

  @Test
  void summary_withoutMounts_hasNone() throws Exception {
    var json = JsonTrees.read("{\"Id\": \"c1\", \"Names\": [\"/a\"]}");

    assertThat(ContainerJson.summary(json).mounts()).isEmpty();
  }
}

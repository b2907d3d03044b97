package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerSpec.Device;
import io.jstack.engine.ContainerSpec.FileContent;
import io.jstack.engine.ContainerSpec.HealthSpec;
import io.jstack.engine.ContainerSpec.LogConfig;
import io.jstack.engine.ContainerSpec.Mount;
import io.jstack.engine.ContainerSpec.NetworkAttachment;
import io.jstack.engine.ContainerSpec.PortBinding;
import io.jstack.engine.ContainerSpec.Resources;
import io.jstack.engine.ContainerSpec.RestartPolicy;
import io.jstack.engine.ContainerSpec.Ulimit;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {
  private static final RecordComponent[] COMPONENTS = ContainerSpec.class.getRecordComponents();

  @Test
  void builder_withNothingSet_leavesEverythingToTheImage() {
    ContainerSpec spec = ContainerSpec.builder("demo-web-1", "nginx").build();

    assertThat(spec)
        .isEqualTo(
            new ContainerSpec(
                "demo-web-1",
                "nginx",
                Map.of(),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                false,
                false,
                false,
                false,
                false,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                Map.of(),
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                null,
                Map.of(),
                List.of()))
        .isEqualTo(ContainerSpec.of("demo-web-1", "nginx", Map.of()));
  }

  @Test
  void toBuilder_keepsEveryComponent() {
    ContainerSpec spec = full("a", true);

    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void builder_setsEachComponent_andOnlyThatOne() throws Exception {
    ContainerSpec a = full("a", false);
    ContainerSpec b = full("b", true);
    for (RecordComponent c : COMPONENTS) {
      Object value = c.getAccessor().invoke(b);
      assertThat(value).as(c.getName()).isNotEqualTo(c.getAccessor().invoke(a));
      ContainerSpecBuilder builder = a.toBuilder();
      ContainerSpecBuilder.class.getMethod(c.getName(), c.getType()).invoke(builder, value);

      ContainerSpec changed = builder.build();

      for (RecordComponent other : COMPONENTS) {
        Object expected = c == other ? value : other.getAccessor().invoke(a);
        assertThat(other.getAccessor().invoke(changed))
            .as(c.getName() + " set, " + other.getName() + " read")
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void build_copiesTheCollectionsItWasGiven() {
    List<String> env = new ArrayList<>(List.of("A=1"));
    Map<String, NetworkAttachment> networks = new LinkedHashMap<>();
    networks.put("front", NetworkAttachment.aliased(List.of("web")));
    networks.put("back", NetworkAttachment.aliased(List.of("web")));
    ContainerSpecBuilder builder =
        ContainerSpec.builder("demo-web-1", "nginx").env(env).networks(networks);

    ContainerSpec spec = builder.build();
    env.add("B=2");
    networks.clear();

    assertThat(spec.env()).containsExactly("A=1");
    assertThat(spec.networks()).containsOnlyKeys("front", "back");
    assertThat(spec.networks().keySet()).containsExactly("front", "back");
  }

  /** A spec with every component set, each to a value that differs between tags and flags. */
  private static ContainerSpec full(String tag, boolean flag) {
    return new ContainerSpec(
        "name-" + tag,
        "image-" + tag,
        Map.of("label", tag),
        List.of("ENV=" + tag),
        List.of("command", tag),
        List.of("entrypoint", tag),
        "/work/" + tag,
        "user-" + tag,
        "host-" + tag,
        "domain-" + tag,
        List.of(new PortBinding("127.0.0.1", tag, flag ? 80 : 81, "tcp")),
        List.of("expose-" + tag),
        List.of(new Mount("volume", tag, "/data", flag, null, false, false, null, null, null)),
        List.of("from-" + tag),
        "mode-" + tag,
        Map.of("net-" + tag, NetworkAttachment.aliased(List.of(tag))),
        new HealthSpec(List.of("CMD", tag), null, null, null, null, null),
        new RestartPolicy("policy-" + tag, flag ? 1 : 2),
        "SIG" + tag,
        Duration.ofSeconds(flag ? 1 : 2),
        flag,
        flag,
        flag,
        flag,
        flag,
        flag,
        List.of("CAP_ADD_" + tag),
        List.of("CAP_DROP_" + tag),
        List.of("opt-" + tag),
        List.of("host-" + tag + "=10.0.0.1"),
        List.of("dns-" + tag),
        List.of("search-" + tag),
        List.of("ndots-" + tag),
        Map.of("/tmp-" + tag, "size=1m"),
        Map.of("sysctl." + tag, "1"),
        List.of(new Ulimit("nofile-" + tag, 1, 2)),
        new Resources(
            flag ? 1L : 2L,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            tag,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        "ipc-" + tag,
        "pid-" + tag,
        "uts-" + tag,
        "userns-" + tag,
        "cgroup-" + tag,
        List.of("group-" + tag),
        List.of(new Device("/dev/" + tag, "/dev/" + tag, "rwm")),
        List.of("c " + (flag ? 1 : 2) + ":3 rwm"),
        new LogConfig("driver-" + tag, Map.of()),
        "platform-" + tag,
        "runtime-" + tag,
        Map.of("size", tag),
        List.of(
            new FileContent(
                "/run/secrets/" + tag, tag.getBytes(StandardCharsets.UTF_8), 0444, null, null)));
  }
}

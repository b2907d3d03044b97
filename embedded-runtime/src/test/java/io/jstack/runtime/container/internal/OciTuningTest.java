package io.jstack.runtime.container.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.ContainerConfig.Sharing;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciTuningTest {
  private static final OciSpec.User ROOT = new OciSpec.User(0, 0, List.of(0L), "/root");
  private static final OciSpec.Files FILES =
      new OciSpec.Files(Path.of("/h"), Path.of("/n"), Path.of("/r"), null);

  private static ContainerConfig.Tuning tuning(
      Sharing ipc, boolean ipcNone, Sharing pid, Sharing uts) {
    return new ContainerConfig.Tuning(
        ipc, ipcNone, pid, uts, List.of(), List.of(), List.of(), null, null, null, null, null, null,
        null, null, false, null, null);
  }

  private static ObjectNode spec(ContainerConfig.Tuning t) throws Exception {
    ContainerConfig base = ContainerConfig.of("abc123", List.of(), List.of("sh"));
    // The same container with tuning t: every component as is, the last one replaced.
    RecordComponent[] components = ContainerConfig.class.getRecordComponents();
    List<Object> args = new ArrayList<>();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args.add(
          components[i].getName().equals("tuning") ? t : components[i].getAccessor().invoke(base));
    }
    ContainerConfig c =
        ContainerConfig.class.getDeclaredConstructor(types).newInstance(args.toArray());
    return OciSpec.of(c, Path.of("/rootfs"), ROOT, FILES);
  }

  private static List<String> namespaces(JsonNode spec) {
    List<String> out = new ArrayList<>();
    spec.path("linux").path("namespaces").forEach(n -> out.add(n.path("type").asText()));
    return out;
  }

  private static JsonNode mount(JsonNode spec, String destination) {
    for (JsonNode m : spec.path("mounts")) {
      if (m.path("destination").asText().equals(destination)) {
        return m;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  @Test
  void defaults_giveItsOwnNamespaces_andAShmOf64MiB() throws Exception {
    ObjectNode s = spec(ContainerConfig.Tuning.NONE);

    assertThat(namespaces(s)).containsExactly("pid", "ipc", "uts", "mount", "network");
    assertThat(mount(s, "/dev/shm").path("type").asText()).isEqualTo("tmpfs");
    assertThat(s.path("hostname").asText()).isEqualTo("abc123");
    assertThat(s.path("linux").has("devices")).isFalse();
    assertThat(s.path("process").has("oomScoreAdj")).isFalse();
  }

  @Test
  void hostModes_leaveTheNamespaceToTheHost_andBindTheHostsShm() throws Exception {
    ObjectNode s = spec(tuning(Sharing.HOST, false, Sharing.HOST, Sharing.HOST));

    assertThat(namespaces(s)).containsExactly("mount", "network");
    JsonNode shm = mount(s, "/dev/shm");
    assertThat(shm.path("type").asText()).isEqualTo("bind");
    assertThat(shm.path("source").asText()).isEqualTo("/dev/shm");
    assertThat(s.has("hostname")).as("runc sets none without a UTS namespace").isFalse();
  }

  @Test
  void ipcNone_hasItsOwnNamespace_withoutShmOrMqueue() throws Exception {
    ObjectNode s = spec(tuning(Sharing.PRIVATE, true, Sharing.PRIVATE, Sharing.PRIVATE));

    assertThat(namespaces(s)).contains("ipc");
    assertThat(mount(s, "/dev/shm").isMissingNode()).isTrue();
    assertThat(mount(s, "/dev/mqueue").isMissingNode()).isTrue();
  }

  @Test
  void joiningAnotherContainer_pointsAtItsNamespaces_andItsShm() throws Exception {
    ObjectNode s = spec(tuning(Sharing.CONTAINER, false, Sharing.CONTAINER, Sharing.PRIVATE));

    OciSpec.join(s, "ipc", 4242, Path.of("/var/lib/jstack/containers/a/shm"));
    OciSpec.join(s, "pid", 4242, Path.of("/unused"));

    List<String> paths = new ArrayList<>();
    s.path("linux").path("namespaces").forEach(n -> paths.add(n.path("path").asText("")));
    assertThat(paths).containsExactly("/proc/4242/ns/pid", "/proc/4242/ns/ipc", "", "", "");
    assertThat(mount(s, "/dev/shm").path("source").asText())
        .isEqualTo("/var/lib/jstack/containers/a/shm");
    // A second start joins the donor's new process.
    OciSpec.join(s, "ipc", 99, Path.of("/var/lib/jstack/containers/a/shm"));
    assertThat(s.path("linux").path("namespaces").get(1).path("path").asText())
        .isEqualTo("/proc/99/ns/ipc");
  }

  @Test
  void devicesAndCgroupValues_goWhereRuncReadsThem() throws Exception {
    ObjectNode s =
        spec(
            new ContainerConfig.Tuning(
                Sharing.PRIVATE,
                false,
                Sharing.PRIVATE,
                Sharing.PRIVATE,
                List.of(new ContainerConfig.Device("/dev/fuse", "c", 10, 229, "rwm", 0600, 0, 0)),
                List.of(new ContainerConfig.DeviceRule("b", 8, -1, "r")),
                List.of("audio"),
                512L,
                50_000L,
                25_000L,
                "0-1",
                "0",
                32L << 20,
                -1L,
                10L,
                true,
                300,
                "example.com"));

    JsonNode linux = s.path("linux");
    assertThat(linux.path("devices").toString())
        .isEqualTo(
            "[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,"
                + "\"fileMode\":384,\"uid\":0,\"gid\":0}]");
    JsonNode rules = linux.path("resources").path("devices");
    assertThat(rules.get(rules.size() - 2).toString())
        .isEqualTo("{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}");
    assertThat(rules.get(rules.size() - 1).toString())
        .isEqualTo("{\"allow\":true,\"type\":\"b\",\"major\":8,\"access\":\"r\"}");
    JsonNode cpu = linux.path("resources").path("cpu");
    assertThat(cpu.path("shares").asLong()).isEqualTo(512);
    assertThat(cpu.path("period").asLong()).isEqualTo(50_000);
    assertThat(cpu.path("quota").asLong()).isEqualTo(25_000);
    assertThat(cpu.path("cpus").asText()).isEqualTo("0-1");
    assertThat(cpu.path("mems").asText()).isEqualTo("0");
    JsonNode memory = linux.path("resources").path("memory");
    assertThat(memory.path("reservation").asLong()).isEqualTo(32L << 20);
    assertThat(memory.path("swap").asLong()).isEqualTo(-1);
    assertThat(memory.path("swappiness").asLong()).isEqualTo(10);
    assertThat(memory.path("disableOOMKiller").asBoolean()).isTrue();
    assertThat(s.path("process").path("oomScoreAdj").asInt()).isEqualTo(300);
    assertThat(s.path("linux").path("sysctl").path("kernel.domainname").asText())
        .isEqualTo("example.com");
  }
}

package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code HostConfig} fields a compose file sets take effect on each engine as on dockerd:
 * {@code ipc} and {@code pid} shared with the host or another service, {@code devices}, {@code
 * group_add}, the cpu and memory cgroup values, {@code oom_score_adj} and {@code domainname}, seen
 * from inside the containers and in inspect; {@code volumes_from}; and what the embedded engine
 * cannot honour is refused in one line.
 */
class HostSettingsIT extends OnEachEngine {

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void sharedNamespacesDevicesGroupsAndCgroups_areAsOnDockerd(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            ipc: shareable
          b:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            ipc: "service:a"
            pid: "service:a"
          h:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            ipc: host
            pid: host
          d:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            devices: ["/dev/fuse:/dev/fuse:rwm"]
            group_add: [nogroup, "4321"]
            cpu_shares: 512
            mem_reservation: 32m
            mem_limit: 64m
            memswap_limit: 128m
            cpuset: "0"
            cpu_period: 100000
            cpu_quota: 50000
            oom_score_adj: 300
            hostname: web
            domainname: example.com
        """);
    stack.ok("up", "-d");
    String hostIpc = Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString();
    String hostPid = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();

    assertThat(ns("h", "ipc")).isEqualTo(hostIpc);
    assertThat(ns("h", "pid")).isEqualTo(hostPid);
    assertThat(
            exec(
                "h",
                "sh",
                "-c",
                "test -d /proc/" + ProcessHandle.current().pid() + " && echo seen"))
        .as("the host's processes, this test's among them")
        .isEqualTo("seen\n");
    assertThat(exec("h", "sh", "-c", "grep ' /dev/shm ' /proc/self/mountinfo | wc -l").strip())
        .isEqualTo("1");
    assertThat(ns("a", "ipc")).isNotEqualTo(hostIpc);
    assertThat(ns("b", "ipc")).isEqualTo(ns("a", "ipc"));
    assertThat(ns("b", "pid")).isEqualTo(ns("a", "pid")).isNotEqualTo(hostPid);
    // One /dev/shm for both, as Docker shares the donor's.
    exec("a", "sh", "-c", "echo from-a > /dev/shm/note");
    assertThat(exec("b", "cat", "/dev/shm/note")).isEqualTo("from-a\n");
    assertThat(exec("b", "sh", "-c", "ps -o comm | grep -c sleep").strip())
        .as("a's sleep and its own")
        .isEqualTo("2");

    assertThat(exec("d", "stat", "-c", "%F %t:%T %a", "/dev/fuse"))
        .isEqualTo("character special file a:e5 600\n");
    assertThat(exec("d", "grep", "10:229", "/sys/fs/cgroup/devices/devices.list"))
        .isEqualTo("c 10:229 rwm\n");
    assertThat(exec("d", "id", "-G")).isEqualTo("0 4321 65534\n");
    assertThat(exec("d", "cat", "/sys/fs/cgroup/cpu/cpu.shares")).isEqualTo("512\n");
    assertThat(exec("d", "cat", "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes"))
        .isEqualTo((32 << 20) + "\n");
    assertThat(exec("d", "cat", "/proc/1/oom_score_adj")).isEqualTo("300\n");
    assertThat(
            exec(
                "d",
                "cat",
                "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
                "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
                "/sys/fs/cgroup/cpuset/cpuset.cpus",
                "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
        .isEqualTo("50000\n100000\n0\n" + (64 << 20) + "\n" + (128 << 20) + "\n");
    assertThat(exec("d", "cat", "/proc/sys/kernel/domainname")).isEqualTo("example.com\n");
    assertThat(exec("d", "hostname")).isEqualTo("web\n");
    assertThat(exec("d", "tail", "-n", "1", "/etc/hosts")).endsWith("\tweb.example.com web\n");

    JsonNode a = stack.inspect("a").path("HostConfig");
    JsonNode b = stack.inspect("b").path("HostConfig");
    JsonNode d = stack.inspect("d").path("HostConfig");
    assertThat(a.path("IpcMode").asText()).isEqualTo("shareable");
    // dockerd keeps the id of the container it names.
    String aId = stack.inspect("a").path("Id").asText();
    assertThat(b.path("IpcMode").asText()).isEqualTo("container:" + aId);
    assertThat(b.path("PidMode").asText()).isEqualTo("container:" + aId);
    assertThat(stack.inspect("h").path("HostConfig").path("IpcMode").asText()).isEqualTo("host");
    assertThat(d.path("IpcMode").asText()).isEqualTo("private");
    assertThat(d.path("Devices").toString())
        .isEqualTo(
            "[{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\","
                + "\"CgroupPermissions\":\"rwm\"}]");
    assertThat(d.path("GroupAdd").toString()).isEqualTo("[\"nogroup\",\"4321\"]");
    assertThat(d.path("CpuShares").asLong()).isEqualTo(512);
    assertThat(d.path("MemoryReservation").asLong()).isEqualTo(32 << 20);
    assertThat(d.path("OomScoreAdj").asInt()).isEqualTo(300);

    // b joins a's new namespaces when it starts after a started anew.
    stack.ok("stop", "b");
    stack.ok("restart", "a");
    stack.ok("start", "b");
    assertThat(ns("b", "ipc")).isEqualTo(ns("a", "ipc"));
    assertThat(ns("b", "pid")).isEqualTo(ns("a", "pid"));
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void volumesFrom_mountsTheOthersVolumesAndBinds_readOnlyWhenAsked(EngineKind engine)
      throws Exception {
    on(engine);
    Files.createDirectories(dir.resolve("bound"));
    Files.writeString(dir.resolve("bound/host.txt"), "from-host\n");
    stack.compose(
        """
        services:
          data:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo named > /shared/n; echo anon > /anon/a; sleep 3600"]
            stop_signal: SIGKILL
            volumes: ["shared:/shared", "/anon", "./bound:/bound"]
          user:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            volumes_from: ["data:ro"]
            depends_on: [data]
          writer:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGKILL
            volumes_from: ["data"]
            depends_on: [data]
        volumes:
          shared: {}
        """);
    stack.ok("up", "-d");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(exec("user", "cat", "/shared/n", "/anon/a", "/bound/host.txt"))
                    .isEqualTo("named\nanon\nfrom-host\n"));
    assertThat(exec("user", "sh", "-c", "touch /shared/x 2>/dev/null && echo wrote || echo ro"))
        .isEqualTo("ro\n");
    exec("writer", "sh", "-c", "echo w > /anon/w");
    assertThat(exec("data", "cat", "/anon/w")).isEqualTo("w\n");

    JsonNode user = stack.inspect("user");
    assertThat(user.path("HostConfig").path("VolumesFrom").toString())
        .isEqualTo("[\"" + project + "-data-1:ro\"]");
    java.util.Map<String, Boolean> rw = new java.util.TreeMap<>();
    user.path("Mounts")
        .forEach(m -> rw.put(m.path("Destination").asText(), m.path("RW").asBoolean()));
    assertThat(rw).isEqualTo(java.util.Map.of("/anon", false, "/bound", false, "/shared", false));
  }

  @Test
  void whatTheEmbeddedEngineCannotHonour_isRefusedInOneLine() throws Exception {
    on(EngineKind.EMBEDDED);
    stack.compose(
        """
        services:
          a:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
          b:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            ipc: "service:a"
          u:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            userns_mode: host
        """);
    JstackRunner.Run notShareable = stack.run("up", "-d", "a", "b");
    assertThat(notShareable.code()).isNotZero();
    assertThat(notShareable.err())
        .contains(
            "container "
                + project
                + "-b-1 cannot join the IPC namespace of "
                + project
                + "-a-1: it is not shareable; give that one ipc: shareable");
    JstackRunner.Run userns = stack.run("up", "-d", "u");
    assertThat(userns.code()).isNotZero();
    assertThat(userns.err())
        .contains(
            "HostConfig.UsernsMode (userns_mode: host): user namespaces are not supported by"
                + " jstack's embedded engine; remove it or use --engine docker");
  }

  private String ns(String service, String type) {
    return exec(service, "readlink", "/proc/self/ns/" + type).strip();
  }

  private String exec(String service, String... command) {
    String[] args = new String[command.length + 3];
    args[0] = "exec";
    args[1] = "-T";
    args[2] = service;
    System.arraycopy(command, 0, args, 3, command.length);
    return stack.ok(args).out();
  }
}

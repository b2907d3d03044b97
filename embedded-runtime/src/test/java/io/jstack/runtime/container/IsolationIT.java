package io.jstack.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.TestImages;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.internal.ContainerCgroup;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on Debian's runc under conmon, checked from inside: their own PID namespace, Docker's
 * capability set (changed by cap_add and cap_drop), masked and read-only kernel paths, writes only
 * in their upper directory, memory and pids limits enforced by cgroups, paused through either
 * cgroup hierarchy. After each test nothing is left: no process, mount, cgroup, runc state or file.
 */
class IsolationIT {
  @TempDir static Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);
  static Path layer;
  static Containers containers;
  static DataRoot root;
  final List<String> created = new ArrayList<>();

  /** This host's cgroups, from the unified hierarchy only. */
  static final ContainerCgroup.Hierarchies UNIFIED =
      new ContainerCgroup.Hierarchies(
          Path.of("/sys/fs/cgroup"), ContainerCgroup.Preference.UNIFIED);

  @BeforeAll
  static void image() throws Exception {
    root = new DataRoot(dir.resolve("data"));
    byte[] tar = TestImages.busyboxLayer();
    layer = ImageStore.open(root).putLayer(Digests.of(tar), new ByteArrayInputStream(tar));
    containers = new Containers(root, RuntimeTools.detect());
  }

  /** Removes the test's containers; {@link NothingLeft} then checks the host. */
  @AfterEach
  void remove() {
    for (String id : created) {
      containers.remove(id);
      assertThat(root.run().resolve("runtime").resolve(containers.tools().name()).resolve(id))
          .doesNotExist();
      assertThat(root.run().resolve("containers").resolve(id)).doesNotExist();
      assertThat(containers.dir(id)).doesNotExist();
    }
  }

  private ContainerConfig config(String script) {
    String id = "iso" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    created.add(id);
    return ContainerConfig.of(id, List.of(layer), List.of("sh", "-c", script));
  }

  /** {@code c}, a record, with the components {@code changes} names changed. */
  @SuppressWarnings("unchecked")
  private static <R extends Record> R with(R c, Map<String, Object> changes) throws Exception {
    var components = c.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] =
          changes.containsKey(components[i].getName())
              ? changes.get(components[i].getName())
              : components[i].getAccessor().invoke(c);
    }
    return (R) c.getClass().getDeclaredConstructor(types).newInstance(args);
  }

  /** Runs it to the end; its exit code and what it printed (stdout and stderr, in order). */
  private record Ran(int code, String output) {}

  private Ran run(ContainerConfig c) throws Exception {
    containers.create(c);
    containers.start(c.id());
    int code = containers.waitExit(c.id(), Duration.ofSeconds(60)).orElseThrow();
    String out =
        Files.readAllLines(containers.logFile(c.id())).stream()
            .map(l -> l.split(" ", 4)[3])
            .collect(Collectors.joining("\n"));
    return new Ran(code, out);
  }

  @Test
  void defaults_areDockers() throws Exception {
    ContainerConfig c =
        config(
            "grep CapEff /proc/self/status; ls /proc | grep -c '^[0-9]'; cat /proc/1/cmdline | tr '\\0' ' '; echo;"
                + " [ -s /proc/kcore ] && echo kcore-readable || echo kcore-masked;"
                + " (echo 1 > /proc/sys/vm/overcommit_memory) 2>&1;"
                + " echo data > /written.txt; hostname; id -u; exit 3");
    Ran r = run(c);

    assertThat(r.code()).isEqualTo(3);
    List<String> lines = r.output().lines().toList();
    assertThat(lines.get(0)).isEqualTo("CapEff:\t00000000a80425fb");
    assertThat(Integer.parseInt(lines.get(1)))
        .as("processes this container sees")
        .isLessThanOrEqualTo(4);
    assertThat(lines.get(2)).startsWith("sh -c grep CapEff");
    assertThat(r.output()).contains("kcore-masked").contains("Read-only file system");
    assertThat(lines).contains(c.id().substring(0, 12), "0");
    assertThat(containers.upperDir(c.id()).resolve("written.txt")).hasContent("data");
    assertThat(layer.resolve("written.txt")).doesNotExist();
  }

  @Test
  void capAddAndDrop_changeTheSet() throws Exception {
    ContainerConfig c =
        with(
            config("grep CapEff /proc/self/status"),
            Map.of("capAdd", List.of("NET_ADMIN"), "capDrop", List.of("CHOWN")));
    assertThat(run(c).output()).isEqualTo("CapEff:\t00000000a80435fa");
  }

  @Test
  void memoryLimit_isEnforced() throws Exception {
    ContainerConfig c =
        with(
            config(
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes;"
                    + " head -c 200000000 /dev/zero | sort > /dev/null; echo sort-exit-$?"),
            Map.of("memoryBytes", 32L << 20));
    Ran r = run(c);
    // sort holds its whole input (one 200 MB line): the kernel's OOM killer ends it with SIGKILL.
    assertThat(r.output()).startsWith("33554432").contains("sort-exit-137");
  }

  @Test
  void pidsLimit_isEnforced() throws Exception {
    ContainerConfig c =
        with(
            config(
                "cat /sys/fs/cgroup/pids/pids.max; for i in $(seq 1 20); do sleep 2 & done; wait; echo done"),
            Map.of("pidsLimit", 8L));
    Ran r = run(c);
    assertThat(r.output()).startsWith("8").contains("can't fork");
  }

  @Test
  void userFromTheImage_andInitAsPid1() throws Exception {
    ContainerConfig c =
        with(
            config("id; cat /proc/1/cmdline | tr '\\0' ' '"),
            Map.of("user", "nobody", "init", true));
    Ran r = run(c);
    assertThat(r.output())
        .startsWith("uid=65534(nobody) gid=65534(nogroup) groups=10(wheel),65534(nogroup)");
    assertThat(r.output()).contains("/sbin/jstack-init -- sh -c");
  }

  @Test
  void unknownUserOrAWorkingDirInProc_areRefusedBeforeAnythingRuns() throws Exception {
    ContainerConfig unknown = with(config("true"), Map.of("user", "ghost"));
    assertThatThrownBy(() -> containers.create(unknown))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("unable to find user ghost");
    assertThat(containers.dir(unknown.id())).doesNotExist();
    ContainerConfig proc = with(config("true"), Map.of("workingDir", "/tmp/../proc/self"));
    assertThatThrownBy(() -> containers.create(proc))
        .hasMessageContaining("leads into /proc or /sys");
  }

  @Test
  void runtimeProbe_runsAContainer_andExplainsARuntimeThatCannot() throws Exception {
    RuntimeTools tools = RuntimeTools.detect();
    Path scratch = Files.createDirectories(dir.resolve("probe"));
    RuntimeTools.Probe probe = tools.probe(scratch);
    assertThat(probe.warnings())
        .as("Debian's runc 1.1.5+deb12u1 carries the CVE-2024-21626 fix; crun 1.8 has no such flaw")
        .isEmpty();
    assertThat(probe.millis()).isPositive().isLessThan(5_000);
    assertThat(Path.of("/sys/fs/cgroup/memory/jstack", "probe-" + ProcessHandle.current().pid()))
        .doesNotExist();
    // Only the verdict is left: the next engine of this boot skips the throw-away container.
    Path verdict = scratch.resolve(tools.name() + "-checked");
    try (var left = Files.list(scratch)) {
      assertThat(left.toList()).containsExactly(verdict);
    }
    assertThat(Files.readAllLines(verdict))
        .containsExactly(
            tools.runtime()
                + " "
                + Files.size(tools.runtime())
                + " "
                + Files.getLastModifiedTime(tools.runtime()).toMillis()
                + " "
                + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()
                + " ["
                + Files.readString(Path.of("/sys/fs/cgroup/unified/cgroup.controllers")).strip()
                + "]",
            String.valueOf(probe.millis()));
    // Through a runtime that notes each call: the first probe runs five timed containers, a
    // second asks only for its version.
    Path noting = dir.resolve("noting-runc");
    Files.writeString(
        noting,
        "#!/bin/sh\necho \"$1\" >> "
            + dir.resolve("calls")
            + "\nexec "
            + tools.runtime()
            + " \"$@\"\n");
    assertThat(noting.toFile().setExecutable(true)).isTrue();
    RuntimeTools spied = new RuntimeTools(noting, tools.conmon(), tools.init());
    assertThat(spied.probe(scratch).warnings()).isEmpty();
    assertThat(spied.probe(scratch).warnings()).isEmpty();
    assertThat(Files.readAllLines(dir.resolve("calls")))
        .containsExactly(
            "--version", "--root", "--root", "--root", "--root", "--root", "--version");

    Path refusing = refusing("cannot set up cgroups: hybrid cgroup v1 is not supported");
    RuntimeTools bad = new RuntimeTools(refusing, tools.conmon(), tools.init());
    assertThatThrownBy(() -> bad.probe(scratch))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("cannot run containers on this host")
        .hasMessageContaining("hybrid cgroup v1 is not supported")
        .hasMessageContaining("apt-get install -y runc");
    RuntimeTools hybrid =
        new RuntimeTools(
            refusing("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"),
            tools.conmon(),
            tools.init());
    assertThatThrownBy(() -> hybrid.probe(scratch))
        .hasMessageContaining("cgroups in hybrid mode not supported")
        .hasMessageContaining("mount -t cgroup -o ")
        .hasMessageContaining("JSTACK_RUNTIME=runc");

    Path oldRunc = dir.resolve("old-runc");
    Files.writeString(
        oldRunc,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'runc version 1.1.4'; echo 'spec: 1.0.2'; exit 0; fi\nexec "
            + tools.runtime()
            + " \"$@\"\n");
    oldRunc.toFile().setExecutable(true);
    assertThat(new RuntimeTools(oldRunc, tools.conmon(), tools.init()).probe(scratch).warnings())
        .singleElement()
        .asString()
        .contains("CVE-2024-21626");
  }

  @Test
  void runtimeChoice_takesTheFastestThatRuns_fallsBackWithTheFix_andObeysARequest()
      throws Exception {
    Path scratch = Files.createDirectories(dir.resolve("choice"));
    // Both runtimes are installed here (.ci/setup) and both run containers: the faster is taken.
    RuntimeChoice both = RuntimeChoice.choose(null, RuntimeChoice.VARIABLE, scratch);
    assertThat(both.reason())
        .startsWith(both.tools().name() + " (")
        .contains("the fastest that runs a container here (crun ")
        .contains(", runc ");
    assertThat(both.warnings()).isEmpty();

    // A crun that refuses as Debian's does on a hybrid host: runc, and what to change for crun.
    Path crun =
        refusing("cgroups in hybrid mode not supported, drop all controllers from cgroupv2");
    Path runc = RuntimeTools.find("runc").orElseThrow();
    RuntimeChoice fallback =
        RuntimeChoice.choose(
            null,
            RuntimeChoice.VARIABLE,
            scratch,
            name -> java.util.Optional.of(name.equals("crun") ? crun : runc));
    assertThat(fallback.tools().runtime()).isEqualTo(runc);
    assertThat(fallback.reason())
        .startsWith("runc (" + runc + "), the only runtime that runs a container here")
        .contains("cgroups in hybrid mode not supported")
        .contains("mount -t cgroup -o ");
    assertThat(fallback.warnings())
        .singleElement()
        .asString()
        .contains("mkdir -p /sys/fs/cgroup/")
        .endsWith("using runc meanwhile");

    RuntimeChoice asked = RuntimeChoice.choose("runc", "--runtime", scratch);
    assertThat(asked.tools().runtime()).isEqualTo(runc);
    assertThat(asked.reason())
        .startsWith("runc (" + runc + "), chosen by --runtime (a container ran in ");
    assertThatThrownBy(() -> RuntimeChoice.choose(crun.toString(), "JSTACK_RUNTIME", scratch))
        .hasMessageStartingWith("refusing-")
        .hasMessageContaining("chosen by JSTACK_RUNTIME")
        .hasMessageContaining("mount -t cgroup -o ");
    assertThatThrownBy(() -> RuntimeChoice.choose("youki", "JSTACK_RUNTIME", scratch))
        .hasMessage(
            "unknown OCI runtime 'youki' in JSTACK_RUNTIME: jstack runs crun or runc (or give a path)");
  }

  /** A runtime that knows its version but refuses to run anything, saying {@code why}. */
  private static Path refusing(String why) throws Exception {
    Path p = Files.createTempFile(dir, "refusing-", "");
    Files.writeString(
        p,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'crun version 1.8.1'; exit 0; fi\necho '"
            + why
            + "' >&2\nexit 1\n");
    assertThat(p.toFile().setExecutable(true)).isTrue();
    return p;
  }

  /**
   * An ended container is deleted without its runtime: its cgroups and runtime state go. One whose
   * cgroup still holds a process after its end (it shares the host's PID namespace, so its end
   * killed nothing) is deleted by the runtime's forced delete, which kills that process.
   */
  @Test
  void remove_ofAnEndedContainer_takesItsCgroups_andKillsWhatOutlivedIt() throws Exception {
    ContainerConfig ended = config("exit 0");
    assertThat(run(ended).code()).isZero();
    assertThat(cgroupsOf(ended.id())).isNotEmpty();
    containers.remove(ended.id());
    assertThat(cgroupsOf(ended.id())).isEmpty();

    ContainerConfig.Tuning hostPid =
        with(ContainerConfig.Tuning.NONE, Map.of("pid", ContainerConfig.Sharing.HOST));
    ContainerConfig outlived =
        with(config("sleep 300 & echo $!; exit 0"), Map.of("tuning", hostPid));
    Ran ran = run(outlived);
    long sleeper = Long.parseLong(ran.output().strip());
    assertThat(io.jstack.runtime.internal.Processes.runs(sleeper))
        .as("its sleep outlived it")
        .isTrue();
    containers.remove(outlived.id());
    assertThat(io.jstack.runtime.internal.Processes.runs(sleeper))
        .as("killed (a zombie until the host's init reaps it)")
        .isFalse();
    assertThat(cgroupsOf(outlived.id())).isEmpty();
  }

  /** The cgroup directories of container {@code id} in this host's hierarchies. */
  private static List<Path> cgroupsOf(String id) throws Exception {
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      return hierarchies
          .map(h -> h.resolve("jstack").resolve(id))
          .filter(Files::isDirectory)
          .toList();
    }
  }

  @Test
  void stop_sendsTheSignalThenKills() throws Exception {
    // Each says when its trap is set: a signal sent before that would not show what stop does.
    ContainerConfig c =
        config("trap 'echo got-term; exit 143' TERM; echo trapped; while true; do sleep 0.1; done");
    containers.create(c);
    containers.start(c.id());
    awaitLine(c.id(), "trapped");
    assertThat(containers.stop(c.id(), "TERM", Duration.ofSeconds(5))).isEqualTo(143);
    assertThat(Files.readString(containers.logFile(c.id()))).contains("stdout F got-term");

    ContainerConfig stubborn =
        config("trap 'echo got-term' TERM; echo trapped; while true; do sleep 0.1; done");
    containers.create(stubborn);
    containers.start(stubborn.id());
    awaitLine(stubborn.id(), "trapped");
    // It gets TERM, says so and carries on; after the timeout, KILL ends it.
    assertThat(containers.stop(stubborn.id(), "TERM", Duration.ofMillis(500))).isEqualTo(137);
    assertThat(Files.readString(containers.logFile(stubborn.id()))).contains("stdout F got-term");
  }

  /**
   * The same container's cgroup read from both hierarchies of this hybrid host: its processes and
   * CPU time from v1 (where the controllers are) and from the unified v2 hierarchy the runtime also
   * puts it in (which has no controllers here, but lists processes and counts CPU time).
   */
  @Test
  void cgroup_readsTheSameProcessesOnBothHierarchies() throws Exception {
    ContainerConfig c = config("echo started; while true; do i=$((i+1)); done");
    containers.create(c);
    containers.start(c.id());
    awaitLine(c.id(), "started");
    long pid = containers.pid(c.id()).orElseThrow();
    ContainerCgroup v1 = ContainerCgroup.Hierarchies.HOST.of(c.id());
    ContainerCgroup v2 = UNIFIED.of(c.id());
    assertThat(v1.version()).isEqualTo(ContainerCgroup.Version.V1);
    assertThat(v2.version()).isEqualTo(ContainerCgroup.Version.V2);
    assertThat(v1.processes()).contains(pid).isEqualTo(v2.processes());
    assertThat(containers.pids(c.id())).isEqualTo(v1.processes());
    // It spins: both hierarchies count its CPU time, the v2 one in microseconds.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> v1.read().cpuNanos() > 50_000_000 && v2.read().cpuNanos() > 50_000_000);
    assertThat(v1.read().memoryUsage()).isPositive();
    assertThat(v2.read().memoryUsage())
        .as("no memory controller on this unified hierarchy")
        .isZero();
    containers.stop(c.id(), "KILL", Duration.ofSeconds(5));
  }

  /**
   * pause and unpause through the unified hierarchy only, which on this hybrid host has no
   * controllers but freezes: the v1 freezer stays THAWED, the spinning container's CPU time stops
   * while it is frozen and grows again after; top reads its processes there too.
   */
  @Test
  void pause_onTheUnifiedHierarchyOnly_freezesThere() throws Exception {
    Containers onUnified = new Containers(root, containers.tools(), UNIFIED);
    ContainerConfig c = config("echo started; while true; do i=$((i+1)); done");
    onUnified.create(c);
    onUnified.start(c.id());
    awaitLine(c.id(), "started");
    long pid = onUnified.pid(c.id()).orElseThrow();
    Path own = Path.of("/sys/fs/cgroup/unified/jstack").resolve(c.id());
    Path v1Freezer =
        Path.of("/sys/fs/cgroup/freezer/jstack").resolve(c.id()).resolve("freezer.state");
    ContainerCgroup v2 = UNIFIED.of(c.id());
    assertThat(v2.version()).isEqualTo(ContainerCgroup.Version.V2);
    assertThat(onUnified.pids(c.id())).contains(pid).isEqualTo(procs(own));

    onUnified.pause(c.id());
    assertThat(Files.readAllLines(own.resolve("cgroup.events"))).contains("frozen 1");
    assertThat(Files.readString(v1Freezer).strip()).isEqualTo("THAWED");
    assertThat(onUnified.paused(c.id())).isTrue();
    assertThat(v2.frozen()).isTrue();
    long frozenAt = v2.read().cpuNanos();
    Thread.sleep(300);
    assertThat(v2.read().cpuNanos()).as("CPU time while frozen").isEqualTo(frozenAt);
    assertThat(onUnified.pids(c.id())).contains(pid).isEqualTo(procs(own));

    onUnified.resume(c.id());
    assertThat(Files.readAllLines(own.resolve("cgroup.events"))).contains("frozen 0");
    assertThat(onUnified.paused(c.id())).isFalse();
    assertThat(v2.frozen()).isFalse();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> v2.read().cpuNanos() > frozenAt + 50_000_000);
    assertThat(onUnified.pids(c.id())).contains(pid).isEqualTo(procs(own));
    onUnified.stop(c.id(), "KILL", Duration.ofSeconds(5));
  }

  /**
   * The default Containers pause through v1 on this hybrid host, as Docker does; a paused container
   * killed with SIGKILL dies once thawed (as {@code kill} does it), and one removed while paused
   * goes at once.
   */
  @Test
  void pause_onAHybridHost_freezesThroughV1() throws Exception {
    ContainerConfig c = config("echo started; while true; do i=$((i+1)); done");
    containers.create(c);
    containers.start(c.id());
    awaitLine(c.id(), "started");
    Path v1Freezer =
        Path.of("/sys/fs/cgroup/freezer/jstack").resolve(c.id()).resolve("freezer.state");
    Path v2Events =
        Path.of("/sys/fs/cgroup/unified/jstack").resolve(c.id()).resolve("cgroup.events");
    ContainerCgroup v1 = ContainerCgroup.Hierarchies.HOST.of(c.id());
    assertThat(v1.version()).isEqualTo(ContainerCgroup.Version.V1);

    containers.pause(c.id());
    assertThat(Files.readString(v1Freezer).strip()).isEqualTo("FROZEN");
    assertThat(Files.readAllLines(v2Events)).contains("frozen 0");
    assertThat(containers.paused(c.id())).isTrue();
    long frozenAt = v1.read().cpuNanos();
    Thread.sleep(300);
    assertThat(v1.read().cpuNanos()).as("CPU time while frozen").isEqualTo(frozenAt);

    containers.resume(c.id());
    assertThat(Files.readString(v1Freezer).strip()).isEqualTo("THAWED");
    assertThat(containers.paused(c.id())).isFalse();

    containers.pause(c.id());
    containers.kill(c.id(), "KILL");
    containers.resume(c.id());
    assertThat(containers.waitExit(c.id(), Duration.ofSeconds(10))).hasValue(137);
    assertThat(containers.paused(c.id())).isFalse();

    ContainerConfig removed = config("echo started; while true; do sleep 0.1; done");
    containers.create(removed);
    containers.start(removed.id());
    awaitLine(removed.id(), "started");
    containers.pause(removed.id());
    java.time.Instant before = java.time.Instant.now();
    containers.remove(removed.id());
    assertThat(Duration.between(before, java.time.Instant.now()))
        .isLessThan(Duration.ofSeconds(10));
  }

  /** The processes {@code cgroup.procs} of cgroup {@code dir} lists, in order. */
  private static List<Long> procs(Path dir) throws Exception {
    return Files.readAllLines(dir.resolve("cgroup.procs")).stream()
        .filter(l -> !l.isBlank())
        .map(l -> Long.parseLong(l.strip()))
        .sorted()
        .toList();
  }

  /**
   * A reboot empties the run-time directory (a tmpfs, where conmon and the runtime keep their
   * state) and ends every conmon: a container that had exited still says how, from the copy of its
   * exit that conmon keeps on disk, and is removed cleanly.
   */
  @Test
  void exitCode_outlivesTheRunTimeDirectory_asAfterAReboot() throws Exception {
    ContainerConfig c = config("exit 7");
    assertThat(run(c).code()).isEqualTo(7);
    Path runState = root.run().resolve("containers").resolve(c.id());
    Conmon.waitForExit(runState);
    java.time.Instant finished = containers.finishedAt(c.id()).orElseThrow();

    LayerUnpacker.removeTree(runState);
    LayerUnpacker.removeTree(
        root.run().resolve("runtime").resolve(containers.tools().name()).resolve(c.id()));
    // The cgroups, in memory too, go with the reboot (its process ended: they are empty).
    try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.toList()) {
        Files.deleteIfExists(h.resolve("jstack").resolve(c.id()));
      }
    }

    assertThat(containers.started(c.id())).isFalse();
    assertThat(containers.exitCode(c.id())).hasValue(7);
    // conmon writes both records at its end, within moments of each other.
    assertThat(containers.finishedAt(c.id()).orElseThrow())
        .isBetween(finished.minusSeconds(1), finished.plusSeconds(1));
  }

  /**
   * A container that asks for the other runtime than the engine's ({@code runtime:} in Compose,
   * {@code --runtime} for docker) runs with that one, and keeps it for what follows its start.
   */
  @Test
  void aContainer_runsWithTheRuntimeItAskedFor() throws Exception {
    String other = containers.tools().name().equals("crun") ? "runc" : "crun";
    ContainerConfig c = config("echo started; sleep 60").withRuntime(other);
    containers.create(c);
    containers.start(c.id());
    awaitLine(c.id(), "started");
    Path used =
        Path.of(
            Files.readString(root.run().resolve("containers").resolve(c.id()).resolve("runtime"))
                .strip());
    assertThat(used.getFileName().toString()).isEqualTo(other);
    assertThat(containers.pids(c.id())).contains(containers.pid(c.id()).orElseThrow());
    containers.stop(c.id(), "KILL", Duration.ofSeconds(5));
    assertThat(containers.exitCode(c.id())).hasValue(137);
  }

  /** Waits until container {@code id} has logged {@code line}. */
  private void awaitLine(String id, String line) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.exists(containers.logFile(id))
                    && Files.readString(containers.logFile(id)).contains(" F " + line + "\n"));
  }
}

package io.jstack.runtime.container.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readings and freezing of both hierarchies from trees laid out as the kernel lays them out (file
 * names and formats of cgroup v1's cpuacct, memory, pids and freezer controllers and of cgroup v2's
 * interface files).
 */
class ContainerCgroupTest {
  private static final String ID = "c0ffee";

  @TempDir Path root;

  private ContainerCgroup.Hierarchies v1First() {
    return new ContainerCgroup.Hierarchies(root, ContainerCgroup.Preference.V1_FIRST);
  }

  private ContainerCgroup.Hierarchies unifiedOnly() {
    return new ContainerCgroup.Hierarchies(root, ContainerCgroup.Preference.UNIFIED);
  }

  private void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void v1Tree() throws IOException {
    Path cpu = root.resolve("cpuacct/jstack").resolve(ID);
    write(cpu.resolve("cpuacct.usage"), "123456789\n");
    write(cpu.resolve("cpuacct.usage_percpu"), "100000000 23456789 \n");
    write(cpu.resolve("cpuacct.stat"), "user 7\nsystem 3\n");
    write(cpu.resolve("cgroup.procs"), "40\n");
    Path memory = root.resolve("memory/jstack").resolve(ID);
    write(memory.resolve("memory.usage_in_bytes"), "1048576\n");
    write(memory.resolve("memory.max_usage_in_bytes"), "2097152\n");
    write(memory.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    write(memory.resolve("memory.stat"), "cache 4096\nrss 8192\ntotal_rss 8192\n");
    Path pids = root.resolve("pids/jstack").resolve(ID);
    write(pids.resolve("pids.current"), "3\n");
    write(pids.resolve("pids.max"), "max\n");
    write(pids.resolve("cgroup.procs"), "42\n40\n41\n");
    write(
        root.resolve("blkio/jstack")
            .resolve(ID)
            .resolve("blkio.throttle.io_service_bytes_recursive"),
        "8:0 Read 4096\n8:0 Write 12288\n8:0 Total 16384\nTotal 16384\n");
  }

  private Path v2Tree(Path unified, boolean controllers) throws IOException {
    write(unified.resolve("cgroup.controllers"), controllers ? "cpu memory pids\n" : "\n");
    Path own = unified.resolve("jstack").resolve(ID);
    write(own.resolve("cgroup.procs"), "51\n50\n");
    write(
        own.resolve("cpu.stat"),
        "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 0\n");
    if (controllers) {
      write(own.resolve("memory.current"), "3145728\n");
      write(own.resolve("memory.max"), "33554432\n");
      write(own.resolve("memory.stat"), "anon 8192\nfile 4096\n");
      write(own.resolve("pids.current"), "2\n");
      write(own.resolve("pids.max"), "64\n");
      write(
          own.resolve("io.stat"), "259:0 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n");
    }
    return own;
  }

  @Test
  void v1_readsEachController_andNoLimitIsZero() throws Exception {
    v1Tree();
    ContainerCgroup cgroup = v1First().of(ID);
    assertThat(cgroup.version()).isEqualTo(ContainerCgroup.Version.V1);
    assertThat(cgroup.read())
        .isEqualTo(
            new ContainerCgroup.Readings(
                123456789,
                List.of(100000000L, 23456789L),
                70_000_000,
                30_000_000,
                1048576,
                2097152,
                0,
                Map.of("cache", 4096L, "rss", 8192L, "total_rss", 8192L),
                3,
                0,
                List.of(
                    new io.jstack.runtime.container.Usage.BlockIo(8, 0, "Read", 4096),
                    new io.jstack.runtime.container.Usage.BlockIo(8, 0, "Write", 12288),
                    new io.jstack.runtime.container.Usage.BlockIo(8, 0, "Total", 16384))));
    assertThat(cgroup.processes()).containsExactly(40L, 41L, 42L);
  }

  @Test
  void v2OnAUnifiedHost_readsTheInterfaceFiles() throws Exception {
    v2Tree(root, true);
    ContainerCgroup cgroup = v1First().of(ID);
    assertThat(cgroup.version()).isEqualTo(ContainerCgroup.Version.V2);
    assertThat(cgroup.read())
        .isEqualTo(
            new ContainerCgroup.Readings(
                2_500_000,
                List.of(),
                2_000_000,
                500_000,
                3145728,
                0,
                33554432,
                Map.of("anon", 8192L, "file", 4096L),
                2,
                64,
                List.of(
                    new io.jstack.runtime.container.Usage.BlockIo(259, 0, "read", 1024),
                    new io.jstack.runtime.container.Usage.BlockIo(259, 0, "write", 2048))));
    assertThat(cgroup.processes()).containsExactly(50L, 51L);
  }

  @Test
  void v2OfAHybridHost_withoutControllers_givesProcessesAndCpuTime() throws Exception {
    v2Tree(root.resolve("unified"), false);
    ContainerCgroup cgroup = v1First().of(ID);
    assertThat(cgroup.version()).isEqualTo(ContainerCgroup.Version.V2);
    ContainerCgroup.Readings r = cgroup.read();
    assertThat(r.cpuNanos()).isEqualTo(2_500_000);
    assertThat(r.memoryUsage()).isZero();
    assertThat(r.memoryStat()).isEmpty();
    assertThat(r.pids()).isZero();
    assertThat(cgroup.processes()).containsExactly(50L, 51L);
  }

  @Test
  void aHybridHost_readsV1First_whereItsControllersAre() throws Exception {
    v1Tree();
    v2Tree(root.resolve("unified"), false);
    assertThat(v1First().of(ID).version()).isEqualTo(ContainerCgroup.Version.V1);
    assertThat(unifiedOnly().of(ID).processes()).containsExactly(50L, 51L);
  }

  @Test
  void v2WithControllers_unlimitedIsZero_andThePeakIsRead() throws Exception {
    Path own = v2Tree(root, true);
    write(own.resolve("memory.max"), "max\n");
    write(own.resolve("memory.peak"), "4194304\n");
    write(own.resolve("pids.max"), "max\n");
    ContainerCgroup.Readings r = v1First().of(ID).read();
    assertThat(r.memoryUsage()).isEqualTo(3145728);
    assertThat(r.memoryMaxUsage()).isEqualTo(4194304);
    assertThat(r.memoryLimit()).isZero();
    assertThat(r.pids()).isEqualTo(2);
    assertThat(r.pidsLimit()).isZero();
  }

  @Test
  void unifiedOnly_takesTheUnifiedOne_evenWhereV1HasIt() throws Exception {
    v1Tree();
    v2Tree(root.resolve("unified"), false);
    ContainerCgroup cgroup = unifiedOnly().of(ID);
    assertThat(cgroup.version()).isEqualTo(ContainerCgroup.Version.V2);
    assertThat(cgroup.read().cpuNanos()).isEqualTo(2_500_000);
  }

  @Test
  void unifiedOnly_withoutOne_saysSo() throws Exception {
    v1Tree();
    assertThatThrownBy(() -> unifiedOnly().of(ID))
        .isInstanceOf(IOException.class)
        .hasMessage("no unified cgroup for container " + ID + " below " + root);
  }

  @Test
  void v1Freeze_writesTheFreezerState_andReadsItBack() throws Exception {
    v1Tree();
    Path state = root.resolve("freezer/jstack").resolve(ID).resolve("freezer.state");
    write(state, "THAWED\n");
    ContainerCgroup cgroup = v1First().of(ID);
    assertThat(cgroup.frozen()).isFalse();

    cgroup.freeze(true);
    assertThat(state).hasContent("FROZEN");
    assertThat(cgroup.frozen()).isTrue();

    cgroup.freeze(false);
    assertThat(state).hasContent("THAWED");
    assertThat(cgroup.frozen()).isFalse();
  }

  @Test
  void v1Freeze_thatNeverSaysFrozen_timesOut_namingTheCgroup() throws Exception {
    v1Tree();
    Path freezer = root.resolve("freezer/jstack").resolve(ID);
    Files.createDirectories(freezer);
    // A freezer that takes every write and never says FROZEN.
    Files.createSymbolicLink(freezer.resolve("freezer.state"), Path.of("/dev/null"));
    assertThatThrownBy(() -> v1First().of(ID).freeze(true, Duration.ofMillis(100)))
        .isInstanceOf(IOException.class)
        .hasMessage("cgroup " + freezer + " did not freeze within 100 ms (freezer.state empty)");
    // The link goes before JUnit's clean-up, which would warn of a target outside the tree.
    Files.delete(freezer.resolve("freezer.state"));
  }

  /**
   * The kernel's part on v2, played by another thread: once {@code cgroup.freeze} says {@code 1}
   * (or 0), a moment later {@code cgroup.events} says {@code frozen 1} (or 0).
   */
  @Test
  void v2Freeze_waitsForTheEvents() throws Exception {
    Path own = v2Tree(root.resolve("unified"), false);
    write(own.resolve("cgroup.freeze"), "0\n");
    write(own.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
    ContainerCgroup cgroup = unifiedOnly().of(ID);
    assertThat(cgroup.frozen()).isFalse();
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread kernel =
        new Thread(
            () -> {
              try {
                for (String wanted : List.of("1", "0")) {
                  while (!Files.readString(own.resolve("cgroup.freeze")).strip().equals(wanted)) {
                    Thread.sleep(5);
                  }
                  Thread.sleep(50);
                  seen.incrementAndGet();
                  Files.writeString(
                      own.resolve("cgroup.events"), "populated 1\nfrozen " + wanted + "\n");
                }
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    kernel.start();
    try {
      cgroup.freeze(true);
      assertThat(seen).as("returned only once the kernel said frozen").hasValue(1);
      assertThat(own.resolve("cgroup.freeze")).hasContent("1");
      assertThat(cgroup.frozen()).isTrue();

      cgroup.freeze(false);
      assertThat(seen).hasValue(2);
      assertThat(own.resolve("cgroup.freeze")).hasContent("0");
      assertThat(cgroup.frozen()).isFalse();
    } finally {
      kernel.join(5000);
    }
  }

  @Test
  void v2Freeze_thatNeverSaysFrozen_timesOut_namingTheCgroup_andIsUndone() throws Exception {
    Path own = v2Tree(root.resolve("unified"), false);
    write(own.resolve("cgroup.freeze"), "0\n");
    write(own.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
    assertThatThrownBy(() -> unifiedOnly().of(ID).freeze(true, Duration.ofMillis(100)))
        .isInstanceOf(IOException.class)
        .hasMessage("cgroup " + own + " did not freeze within 100 ms (cgroup.events frozen 0)");
    assertThat(own.resolve("cgroup.freeze")).as("the freeze undone").hasContent("0");
  }

  @Test
  void liveProcesses_leaveOutTheGone_andNoCgroupHasNone() throws Exception {
    assertThat(v1First().liveProcesses(ID)).as("no cgroup left").isEmpty();
    long self = ProcessHandle.current().pid();
    write(root.resolve("cpuacct/jstack").resolve(ID).resolve("cgroup.procs"), "");
    // A pid above the kernel's limit (2^22) is never a process.
    write(
        root.resolve("pids/jstack").resolve(ID).resolve("cgroup.procs"),
        self + "\n" + (1L << 23) + "\n");
    assertThat(v1First().liveProcesses(ID)).containsExactly(self);
  }

  @Test
  void noCgroup_saysWhere() {
    assertThatThrownBy(() -> v1First().of(ID))
        .isInstanceOf(IOException.class)
        .hasMessage("no cgroup for container " + ID + " below " + root);
  }

  @Test
  void remove_takesItsCgroupFromEveryHierarchy_anotherNameForOneIncluded() throws Exception {
    for (String h : List.of("memory", "pids", "cpu,cpuacct", "unified")) {
      Files.createDirectories(root.resolve(h).resolve("jstack").resolve(ID));
    }
    Files.createSymbolicLink(root.resolve("cpuacct"), root.resolve("cpu,cpuacct"));
    Files.createDirectories(root.resolve("jstack").resolve("other"));

    assertThat(v1First().remove(ID, Duration.ZERO)).isTrue();

    for (String h : List.of("memory", "pids", "cpu,cpuacct", "unified")) {
      assertThat(root.resolve(h).resolve("jstack").resolve(ID)).doesNotExist();
      assertThat(root.resolve(h).resolve("jstack")).isDirectory();
    }
    assertThat(root.resolve("jstack").resolve("other")).isDirectory();
    assertThat(v1First().remove(ID, Duration.ZERO)).as("nothing left to remove").isTrue();
  }

  @Test
  void remove_saysWhenACgroupCannotGo_afterItsPatience() throws Exception {
    Files.createDirectories(root.resolve("memory/jstack").resolve(ID));
    // What the kernel refuses to remove while a process is in it; here, a directory not empty.
    write(root.resolve("pids/jstack").resolve(ID).resolve("cgroup.procs"), "42\n");

    long started = System.nanoTime();
    assertThat(v1First().remove(ID, Duration.ofMillis(50))).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(root.resolve("pids/jstack").resolve(ID)).isDirectory();
  }
}

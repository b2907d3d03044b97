package io.jstack.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try") // A lock is used by holding it: its try blocks never name it.
class ProjectLockTest {
  @TempDir Path dir;

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopWhatTheTestStarted() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
  }

  private Path file() {
    return dir.resolve("locks").resolve("p-0123456789ab.lock");
  }

  private static ProjectLock take(Path file, List<String> said) throws InterruptedException {
    return ProjectLock.take(file, "p", "jstack up", said::add);
  }

  @Test
  void threadsOfOneJvm_holdItOneAtATime() throws Exception {
    Path counter = dir.resolve("counter");
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<?>> all = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      all.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 25; i++) {
                  try (ProjectLock lock = take(file(), new ArrayList<>())) {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    addOne(counter);
                    inside.decrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(most).hasValue(1);
    assertThat(Files.readString(counter)).isEqualTo("200");
    assertThat(ProjectLock.inUse(file())).isFalse();
    assertThat(file()).as("deleted by its last holder").doesNotExist();
  }

  @Test
  void aWaiter_saysOnceWhatItWaitsFor_andWho_thenGetsItOnRelease() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    CountDownLatch taken = new CountDownLatch(1);
    Future<?> waiter;
    try (ProjectLock held = take(file(), new ArrayList<>())) {
      waiter =
          threads.submit(
              () -> {
                try (ProjectLock lock = take(file(), said)) {
                  taken.countDown();
                }
                return null;
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> !said.isEmpty());
      assertThat(taken.await(200, TimeUnit.MILLISECONDS)).as("taken while held").isFalse();
    }
    waiter.get(10, TimeUnit.SECONDS);
    assertThat(said)
        .containsExactly(
            "jstack: waiting for another command on project p to finish (jstack up, pid "
                + ProcessHandle.current().pid()
                + ")");
  }

  @Test
  void anUncontendedTake_saysNothing_andAnotherProject_doesNotWait() throws Exception {
    List<String> said = new ArrayList<>();
    try (ProjectLock held = take(file(), said)) {
      Future<?> other =
          threads.submit(
              () -> {
                try (ProjectLock lock = take(dir.resolve("locks/q-0123456789ab.lock"), said)) {
                  return null;
                }
              });
      other.get(10, TimeUnit.SECONDS);
    }
    assertThat(said).isEmpty();
  }

  @Test
  void anInterruptedWaiter_givesUp_andHoldsNothing() throws Exception {
    List<String> said = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try (ProjectLock lock = take(file(), said)) {
                ended.set(new AssertionError("taken while held"));
              } catch (Throwable e) {
                ended.set(e);
              }
            });
    try (ProjectLock held = take(file(), new ArrayList<>())) {
      waiter.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> !said.isEmpty());
      waiter.interrupt();
      waiter.join(10_000);
    }
    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    assertThat(ProjectLock.inUse(file())).isFalse();
    try (ProjectLock again = take(file(), said)) {
      assertThat(said).hasSize(1);
    }
  }

  @Test
  void aThreadThatHoldsIt_cannotTakeItAgain() throws Exception {
    try (ProjectLock held = take(file(), new ArrayList<>())) {
      assertThatThrownBy(() -> take(file(), new ArrayList<>()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("holds the lock of project p already");
      Future<Boolean> other = threads.submit(() -> ProjectLock.inUse(file()));
      assertThat(other.get(10, TimeUnit.SECONDS)).as("still held").isTrue();
    }
    assertThat(ProjectLock.inUse(file())).isFalse();
  }

  @Test
  void anotherProcessHoldingIt_makesThisOneWait_untilItReleases() throws Exception {
    Process holder = holder();
    List<String> said = new CopyOnWriteArrayList<>();
    Future<String> waiter =
        threads.submit(
            () -> {
              try (ProjectLock lock = take(file(), said)) {
                return Files.readString(file());
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> !said.isEmpty());
    assertThat(said)
        .containsExactly(
            "jstack: waiting for another command on project p to finish (jstack holder, pid "
                + holder.pid()
                + ")");
    assertThat(waiter.isDone()).isFalse();
    holder.getOutputStream().close(); // Its input ends: it releases the lock and exits.
    // The holder deleted the file the waiter was blocked on: the waiter holds the one at the path.
    assertThat(waiter.get(30, TimeUnit.SECONDS))
        .isEqualTo("jstack up, pid " + ProcessHandle.current().pid() + "\n");
    assertThat(file()).doesNotExist();
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(holder.exitValue()).isZero();
  }

  @Test
  void aKilledProcess_leavesItFree() throws Exception {
    Process holder = holder();
    holder.destroyForcibly().waitFor();
    assertThat(file()).as("left by the killed holder").exists();
    List<String> said = new ArrayList<>();
    try (ProjectLock lock = take(file(), said)) {
      assertThat(said).isEmpty();
      assertThat(Files.readString(file())).startsWith("jstack up, pid ");
    }
  }

  @Test
  void processesAndThreads_takingTurns_loseNoIncrement() throws Exception {
    Path counter = dir.resolve("counter");
    List<Process> counters = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      counters.add(start("count", file().toString(), counter.toString(), "50"));
    }
    List<Future<?>> all = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      all.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 50; i++) {
                  try (ProjectLock lock = take(file(), new ArrayList<>())) {
                    addOne(counter);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get(120, TimeUnit.SECONDS);
    }
    for (Process p : counters) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue())
          .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    }
    assertThat(Files.readString(counter)).isEqualTo("200");
    assertThat(file()).as("deleted by its last holder").doesNotExist();
  }

  @Test
  void locks_liveBesideTheEmbeddedEnginesSocket_keyedByEngineAndProject() {
    Map<String, String> env =
        Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("run/engine.sock").toString());
    assertThat(ProjectLock.directory(Engines.Kind.embedded, env))
        .isEqualTo(dir.resolve("run/locks"));
    assertThat(ProjectLock.file(Engines.Kind.embedded, env, "shop"))
        .isEqualTo(
            dir.resolve("run/locks")
                .resolve(ProjectLock.fileName("shop", "unix://" + dir.resolve("run/engine.sock"))));
    String a = ProjectLock.fileName("shop", "unix:///run/jstack/engine.sock");
    assertThat(a).matches("jstack-shop-[0-9a-f]{12}\\.lock");
    assertThat(ProjectLock.fileName("shop", "unix:///var/run/docker.sock")).isNotEqualTo(a);
    assertThat(ProjectLock.fileName("shop2", "unix:///run/jstack/engine.sock")).isNotEqualTo(a);
  }

  /** A process of its own holding the lock on {@link #file}, once it says so. */
  private Process holder() throws IOException {
    Process p = start("hold", file().toString());
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo(ProjectLockHolder.HELD);
    return p;
  }

  private Process start(String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ProjectLockHolder.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    return p;
  }

  /** Adds one to the number in {@code counter} (0 when missing), slowly enough to lose a race. */
  static void addOne(Path counter) throws IOException {
    int n = Files.exists(counter) ? Integer.parseInt(Files.readString(counter)) : 0;
    Thread.onSpinWait();
    Files.writeString(counter, Integer.toString(n + 1));
  }
}

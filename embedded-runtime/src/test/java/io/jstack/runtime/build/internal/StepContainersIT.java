package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.runtime.DataRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The containers of build steps: their roots are mounted for a single use (overlayfs's {@code
 * volatile}: unmounting one does not sync the host's file system), other containers' are not; a
 * RUN's container runs in the foreground of one runtime process, without conmon, and a run whose
 * engine is gone is ended by the next engine.
 */
class StepContainersIT extends StepEngineFixture {
  @Test
  void aRun_printsBothStreamsInOrder_andItsExitIsKnownAsItReturns_withoutConmon() throws Exception {
    StepContainers steps = new StepContainers(engine);
    StringBuilder output = new StringBuilder();
    StepContainers.Ran ran =
        run(
            steps,
            List.of("sh", "-c", "echo one; echo two >&2; printf three; exit 3"),
            output::append);
    try {
      assertThat(ran.exitCode()).isEqualTo(3);
      assertThat(output.toString()).isEqualTo("one\ntwo\nthree");
      var c = engine.require(ran.id());
      assertThat(c.status()).hasToString("exited");
      assertThat(c.exitCode()).isEqualTo(3);
      Path runDir = new DataRoot(dir.resolve("data")).run().resolve("containers").resolve(ran.id());
      assertThat(runDir.resolve("pidfile")).as("the runtime ran it").exists();
      assertThat(runDir.resolve("conmon.pid")).as("no conmon ran it").doesNotExist();
    } finally {
      steps.remove(ran.id());
      steps.awaitRemovals();
    }
    assertThat(engine.list()).isEmpty();
  }

  @Test
  void aRunWhoseExecutableIsMissing_failsWithTheRuntimesWords() throws Exception {
    StepContainers steps = new StepContainers(engine);
    assertThatThrownBy(() -> run(steps, List.of("/no/such/tool"), out -> {}))
        .hasMessageContaining("/no/such/tool");
    steps.awaitRemovals();
    assertThat(engine.list()).isEmpty();
  }

  @Test
  void aRunOfAnEngineThatIsGone_isEndedByTheNextEngine_asKilled() throws Exception {
    StepContainers steps = new StepContainers(engine);
    var ran = new java.util.concurrent.CompletableFuture<StepContainers.Ran>();
    Thread step =
        new Thread(
            () -> {
              try {
                ran.complete(run(steps, List.of("sleep", "60"), out -> {}));
              } catch (Throwable t) {
                ran.completeExceptionally(t);
              }
            });
    step.start();
    Path containers = new DataRoot(dir.resolve("data")).run().resolve("containers");
    Path marker = null;
    for (int i = 0; i < 500 && marker == null; i++) {
      try (var list = Files.list(containers)) {
        marker =
            list.map(d -> d.resolve("foreground"))
                .filter(m -> Files.exists(m) && Files.exists(m.resolveSibling("pidfile")))
                .findFirst()
                .orElse(null);
      } catch (java.io.IOException notYet) {
        // made with the first container
      }
      Thread.sleep(10);
    }
    assertThat(marker).as("a foreground run's marker").isNotNull();
    String id = marker.getParent().getFileName().toString();
    long pid = Long.parseLong(Files.readString(marker.resolveSibling("pidfile")).strip());
    assertThat(ProcessHandle.of(pid)).as("the step's process runs").isPresent();
    engine.endRunsOfGoneWatchers();
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
        .as("a run of an engine that runs is left alone")
        .isPresent();

    // Its engine, as the marker says, is a process that has ended.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(marker, gone.pid() + " 0\n");
    // As the next engine would, under the run's lifecycle lock (the step thread waits for the run's
    // end outside it). Here the step thread still runs, and records the end it sees first.
    engine.endRunsOfGoneWatchers();

    assertThat(ran.get(30, java.util.concurrent.TimeUnit.SECONDS).exitCode()).isEqualTo(137);
    assertThat(engine.containers().exitCode(id)).hasValue(137);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    step.join();
    steps.remove(id);
    steps.awaitRemovals();
    assertThat(engine.list()).isEmpty();
  }

  @Test
  void aStepsRoot_isMountedForOneUse_aContainersIsNot() throws Exception {
    StepContainers steps = new StepContainers(engine);
    String step = steps.mounted(BUSYBOX);
    String container =
        engine.create(
            null,
            StepContainers.settings(
                BUSYBOX, List.of("true"), List.of(), "/", null, "none", List.of()));
    try {
      assertThat(mountOptions(steps.rootfs(step))).contains("volatile");
      assertThat(mountOptions(steps.rootfs(container))).doesNotContain("volatile");
    } finally {
      engine.remove(container, true, true);
      steps.remove(step);
      steps.awaitRemovals();
    }
    assertThat(engine.list()).isEmpty();
  }

  /** Runs {@code argv} as a RUN step of busybox, on no network, its output to {@code output}. */
  private static StepContainers.Ran run(
      StepContainers steps, List<String> argv, java.util.function.Consumer<String> output)
      throws java.io.IOException {
    return steps.run(BUSYBOX, argv, List.of(), "/", null, "none", List.of(), root -> {}, output);
  }

  /** The super options of the mount at {@code target}, as /proc/self/mountinfo shows them. */
  private static String mountOptions(Path target) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals(target.toString())) {
        return f[f.length - 1];
      }
    }
    throw new AssertionError("nothing is mounted at " + target);
  }
}

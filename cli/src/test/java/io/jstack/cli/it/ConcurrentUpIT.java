package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import io.jstack.cli.JstackRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Commands that change one project at once, on each engine: each waits for the other ({@code
 * ProjectLock}) instead of both planning from the same state, so two {@code up -d} make one set of
 * containers and both succeed; projects of their own do not wait for each other. Rounds alternate
 * between two threads of this JVM (as the engine runs commands for thin clients) and two processes;
 * {@code -Djstack.it.concurrentUp.rounds=N} runs more.
 */
class ConcurrentUpIT extends OnEachEngine {
  private static final int ROUNDS = Integer.getInteger("jstack.it.concurrentUp.rounds", 20);

  private static final String WAITING = "jstack: waiting for another command on project ";

  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** The other projects a test brings up, taken down after it (before the fixture's checks). */
  private final List<String> others = new ArrayList<>();

  private static final String COMPOSE =
      """
      services:
        a:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
          networks: [default, back]
          volumes: ["data:/data"]
        b:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
          networks: [back]
        c:
          image: jstack-examples/busybox:latest
          command: ["sleep", "600"]
      networks:
        back: {}
      volumes:
        data: {}
      """;

  private String[] base;

  /** The test's stack on {@code engine} with three services, two networks and a volume. */
  private EngineStack ready(EngineKind engine) throws Exception {
    EngineStack s = on(engine);
    s.compose(COMPOSE);
    base = s.base;
    return s;
  }

  @AfterEach
  void downTheOtherProjects() throws Exception {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    List<String> failed = new ArrayList<>();
    for (String p : others) {
      JstackRunner.Run down = stack.jstack.run(withProject(p), "down", "-v", "-t", "0");
      if (down.code() != 0) {
        failed.add(p + ": " + down.err());
      }
    }
    assertThat(failed).as("down of the other projects").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void twoUpsOfOneProjectAtOnce_makeOneSetOfContainers_andBothSucceed(EngineKind engine)
      throws Exception {
    ready(engine);
    int waited = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      boolean inProcess = round % 2 == 1;
      List<Result> results = atOnce(inProcess, List.of(base, base), "up", "-d");
      for (Result r : results) {
        assertThat(r.code()).as("round %d (%s): %s", round, r.how(), r.output()).isZero();
        waited += r.output().contains(WAITING + project + " to finish") ? 1 : 0;
      }
      assertOneSetOf(project, "round " + round);
      stack.ok("down", "-v", "-t", "0");
      assertThat(stack.containerIds("-a")).as("round %d: down left containers", round).isEmpty();
    }
    // Started together, the second asks for the lock while the first holds it: said at least once.
    assertThat(waited).as("commands that said they waited").isPositive();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void upAndDownAtOnce_runOneAfterTheOther(EngineKind engine) throws Exception {
    ready(engine);
    for (int round = 1; round <= 6; round++) {
      boolean inProcess = round % 2 == 1;
      List<Result> results = new ArrayList<>();
      CountDownLatch go = new CountDownLatch(1);
      Future<Result> up = threads.submit(() -> run(inProcess, base, go, "up", "-d"));
      Future<Result> down = threads.submit(() -> run(inProcess, base, go, "down", "-v", "-t", "0"));
      go.countDown();
      results.add(up.get(5, TimeUnit.MINUTES));
      results.add(down.get(5, TimeUnit.MINUTES));
      for (Result r : results) {
        assertThat(r.code()).as("round %d (%s): %s", round, r.how(), r.output()).isZero();
      }
      // Whichever ran second, it found the other's work whole: all of the project, or none.
      if (stack.containerIds("-a").isEmpty()) {
        assertThat(names("network", project)).as("round %d: networks", round).isEmpty();
      } else {
        assertOneSetOf(project, "round " + round);
      }
      stack.ok("down", "-v", "-t", "0");
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void fourProjectsInParallel_allComeUp_andGo(EngineKind engine) throws Exception {
    ready(engine);
    List<String> projects = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      projects.add(project + "-" + i);
    }
    others.addAll(projects);
    for (boolean inProcess : new boolean[] {true, false}) {
      List<String[]> bases = projects.stream().map(this::withProject).toList();
      for (Result r : atOnce(inProcess, bases, "up", "-d")) {
        assertThat(r.code()).as("%s: %s", r.how(), r.output()).isZero();
        assertThat(r.output()).as("projects of their own do not wait").doesNotContain(WAITING);
      }
      for (String p : projects) {
        assertOneSetOf(p, p);
      }
      for (Result r : atOnce(inProcess, bases, "down", "-v", "-t", "0")) {
        assertThat(r.code()).as("%s: %s", r.how(), r.output()).isZero();
      }
      for (String p : projects) {
        assertThat(names("ps -a", p)).as("%s: containers", p).isEmpty();
        assertThat(names("network", p)).as("%s: networks", p).isEmpty();
        assertThat(names("volume", p)).as("%s: volumes", p).isEmpty();
      }
    }
  }

  /** What one command printed, and how it ran. */
  private record Result(String how, int code, String output) {}

  /** Runs {@code args} after each of {@code bases} at once, in threads or processes. */
  private List<Result> atOnce(boolean inProcess, List<String[]> bases, String... args)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Result>> running = new ArrayList<>();
    for (String[] b : bases) {
      running.add(threads.submit(() -> run(inProcess, b, go, args)));
    }
    go.countDown();
    List<Result> results = new ArrayList<>();
    for (Future<Result> f : running) {
      results.add(f.get(5, TimeUnit.MINUTES));
    }
    return results;
  }

  private Result run(boolean inProcess, String[] b, CountDownLatch go, String... args)
      throws Exception {
    go.await();
    String how = String.join(" ", args) + (inProcess ? " in a thread" : " in a process");
    if (inProcess) {
      JstackRunner.Run r = stack.jstack.run(b, args);
      return new Result(how, r.code(), r.out() + r.err());
    }
    List<String> all = new ArrayList<>(List.of(b));
    all.addAll(List.of(args));
    try (JstackProcess.Running p = JstackProcess.start(stack.env, all.toArray(String[]::new))) {
      assertThat(p.waitFor(Duration.ofMinutes(5))).as(how + " ended").isTrue();
      return new Result(how, p.exitValue(), p.output());
    }
  }

  /** This stack's global flags with {@code project} as its project name. */
  private static String[] withProject(String project, String[] base) {
    String[] b = base.clone();
    for (int i = 0; i < b.length - 1; i++) {
      if (b[i].equals("-p")) {
        b[i + 1] = project;
      }
    }
    return b;
  }

  private String[] withProject(String project) {
    return withProject(project, base);
  }

  /** Exactly one running container per service, the two networks and the volume; no more. */
  private void assertOneSetOf(String p, String when) {
    assertThat(
            stack.dockerLines(
                "ps",
                "-a",
                "--filter",
                "label=com.docker.compose.project=" + p,
                "--format",
                "{{.Label \"com.docker.compose.service\"}} {{.State}}"))
        .as("%s: containers of %s", when, p)
        .containsExactlyInAnyOrder("a running", "b running", "c running");
    assertThat(names("network", p))
        .as("%s: networks of %s", when, p)
        .containsExactlyInAnyOrder(p + "_back", p + "_default");
    assertThat(names("volume", p)).as("%s: volumes of %s", when, p).containsExactly(p + "_data");
  }

  /** The names of {@code what} (ps -a, network, volume) the engine has of project {@code p}. */
  private List<String> names(String what, String p) {
    List<String> args = new ArrayList<>(List.of(what.split(" ")));
    if (!what.startsWith("ps")) {
      args.add("ls");
    }
    args.addAll(
        List.of("--filter", "label=com.docker.compose.project=" + p, "--format", "{{.Name}}"));
    if (what.startsWith("ps")) {
      args.set(args.size() - 1, "{{.Names}}");
    }
    return stack.dockerLines(args.toArray(String[]::new));
  }
}

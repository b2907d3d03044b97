package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jstack.compose.Project;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.engine.testing.FakeEngine.Behaviour;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.StartContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of the whole flow, {@code ObservedState.read → Planner.up → Executor.run} and back
 * down, on random stacks run against a {@link FakeEngine} whose every mutating call takes 1–3 ms.
 *
 * <p>Each stack is a few components (chains, diamonds, wide layers with fan-in and fan-out, random
 * DAGs, isolated services) of plain servers, services with a healthcheck that passes after a few
 * milliseconds, and one-shot jobs that exit 0; dependencies on them use {@code service_healthy} and
 * {@code service_completed_successfully} (or {@code service_started}), some services have 2 or 3
 * replicas, some mount named or anonymous volumes, some join extra networks, some images must be
 * pulled. Stacks take turns at {@code --parallel} unbounded, 1, 2 and 4.
 *
 * <p>The seed is printed; {@code -Djstack.planner.seed=N} repeats a run and {@code
 * -Djstack.planner.stacks=N} changes how many stacks it tries. Stack {@code i} uses seed {@code N +
 * i}, so one failing stack can be rerun alone with {@code stacks=1} and its seed.
 */
class PlannerPropertyTest {
  static final long SEED = Long.getLong("jstack.planner.seed", 20_240_611L);
  static final int STACKS = Integer.getInteger("jstack.planner.stacks", 200);
  static final int[] BOUNDS = {0, 1, 2, 4};
  static final Duration POLL = Duration.ofMillis(2);

  @TempDir Path dir;

  @BeforeAll
  static void printSeed() {
    System.out.println(
        "PlannerPropertyTest: "
            + STACKS
            + " stacks from seed "
            + SEED
            + " (repeat with -Djstack.planner.seed="
            + SEED
            + ")");
  }

  @TestFactory
  Stream<DynamicTest> upIsOrderedBoundedAndConverges_downLeavesNothing() {
    return IntStream.range(0, STACKS)
        .mapToObj(
            i -> {
              long seed = SEED + i;
              int bound = BOUNDS[i % BOUNDS.length];
              return DynamicTest.dynamicTest(
                  "stack " + i + " (seed " + seed + ", parallel " + bound + ")",
                  () -> check(Stack.generate(seed), bound, dir.resolve("stack-" + i)));
            });
  }

  void check(Stack stack, int bound, Path where) throws InterruptedException {
    Project project = Runs.load(where, stack.yaml);
    FakeEngine engine = stack.engine();
    Executor.Options options = new Executor.Options(bound, POLL, Duration.ofSeconds(20));
    String step = "up";
    Plan plan = null;
    try {
      plan = Runs.up(engine, project, UpOptions.defaults());
      runAndCheck(plan, engine, options);

      step = "state after up";
      awaitSettled(engine, project, stack);
      checkServices(engine, project, stack);

      step = "second up";
      plan = Runs.up(engine, project, UpOptions.defaults());
      checkOnlyJobsRestart(plan, project, stack);

      step = "down -v";
      plan = Runs.down(engine, project, new DownOptions(true, false, null, null));
      runAndCheck(plan, engine, options);
      assertThat(engine.isEmpty())
          .as(
              "engine empty after down -v, but has containers %s, networks %s, volumes %s",
              engine.containers(Map.of()), engine.networks(Map.of()), engine.volumes(Map.of()))
          .isTrue();
    } catch (AssertionError e) {
      throw new AssertionError(
          step
              + " of stack seed "
              + stack.seed
              + ", parallel "
              + bound
              + ": "
              + e.getMessage()
              + "\n--- compose.yaml\n"
              + stack.yaml
              + (plan == null ? "" : "--- plan\n" + PlanFormat.text(plan)),
          e);
    }
  }

  /**
   * Runs {@code plan} and checks that it succeeded, that every operation began only after those it
   * comes after had finished, both in the events and in the engine's call log, and that engine
   * calls overlapped when they could, within the bound.
   *
   * <p>Whether two calls overlap should not depend on how busy the machine is, so when the plan has
   * {@link #siblings} the first of them to reach the engine is held until another one begins (or 10
   * s, which only an executor that does not run them at once makes it wait out). That holds one
   * permit at most, so a bound of 2 or more still lets the other through.
   */
  static void runAndCheck(Plan plan, FakeEngine fake, Executor.Options options)
      throws InterruptedException {
    fake.clearCalls();
    GatedEngine engine = new GatedEngine(fake);
    List<String> siblings = siblings(plan);
    AtomicBoolean first = new AtomicBoolean();
    CountDownLatch another = new CountDownLatch(1);
    AtomicBoolean overlapped = new AtomicBoolean();
    if (options.parallel() != 1) {
      for (String call : siblings) {
        engine.hold(
            call,
            () -> {
              if (first.compareAndSet(false, true)) {
                overlapped.set(another.await(10, TimeUnit.SECONDS));
              } else {
                another.countDown();
              }
            });
      }
    }
    Runs.Events events = new Runs.Events();
    Executor.Result result = Executor.run(plan, engine, options, events);
    assertThat(result.failures()).as("failures").isEmpty();
    assertThat(result.notRun()).as("not run").isEmpty();
    assertThat(result.cancelled()).isFalse();

    Set<Integer> all = new TreeSet<>();
    plan.operations().forEach(op -> all.add(op.id()));
    assertThat(events.started()).as("started").isEqualTo(all);
    assertThat(events.finished()).as("finished").isEqualTo(all);
    assertThat(events.all()).as("one start and one finish each").hasSize(2 * all.size());

    for (Operation op : plan.operations()) {
      int started = events.indexOf(PlanEvent.Started.class, op.id());
      for (int a : op.after()) {
        assertThat(events.indexOf(PlanEvent.Finished.class, a))
            .as("%s finished before %s started", a, op.id())
            .isBetween(0, started);
      }
    }

    Map<String, FakeEngine.Call> calls = new HashMap<>();
    for (FakeEngine.Call c : fake.calls()) {
      assertThat(c.failed()).as("call failed: %s", c).isFalse();
      assertThat(calls.put(c.op() + " " + c.target(), c)).as("one call %s", c).isNull();
    }
    int engineOps = 0;
    for (Operation op : plan.operations()) {
      String call = Runs.callOf(op.step());
      if (call == null) {
        continue;
      }
      engineOps++;
      assertThat(calls).as("calls").containsKey(call);
      for (int a : op.after()) {
        String before = Runs.callOf(plan.operations().get(a - 1).step());
        if (before != null) {
          assertThat(calls.get(before).endNanos())
              .as("%s ended before %s began", before, call)
              .isLessThanOrEqualTo(calls.get(call).startNanos());
        }
      }
    }
    assertThat(calls).as("one engine call per engine operation").hasSize(engineOps);

    // Counted around the whole call, held time included, so never less than the fake's count.
    int peak = engine.peakInFlight();
    assertThat(peak).isGreaterThanOrEqualTo(fake.peakInFlight());
    if (options.parallel() > 0) {
      assertThat(peak).as("peak in flight").isLessThanOrEqualTo(options.parallel());
    }
    if (options.parallel() != 1 && !siblings.isEmpty()) {
      assertThat(overlapped).as("%s overlapped", siblings).isTrue();
      assertThat(peak).as("peak in flight with independent operations").isGreaterThan(1);
    }
    if (engineOps > 0) {
      assertThat(peak).isPositive();
    }
  }

  /**
   * The calls of the first group of engine operations that wait for exactly the same operations, or
   * none: they become ready in the same instant, so an executor that runs independent operations at
   * once has them under way together.
   */
  static List<String> siblings(Plan plan) {
    Map<List<Integer>, List<String>> byAfter = new LinkedHashMap<>();
    for (Operation op : plan.operations()) {
      String call = Runs.callOf(op.step());
      if (call != null) {
        byAfter.computeIfAbsent(op.after(), k -> new ArrayList<>()).add(call);
      }
    }
    return byAfter.values().stream().filter(g -> g.size() > 1).findFirst().orElse(List.of());
  }

  /** Waits for healthchecks to pass and jobs to end (up does not wait for what nobody needs). */
  static void awaitSettled(FakeEngine engine, Project project, Stack stack) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .until(
            () ->
                engine.containers(Map.of(ComposeLabels.PROJECT, project.name())).stream()
                    .allMatch(
                        c ->
                            switch (stack.kindOf(c.label(ComposeLabels.SERVICE))) {
                              case JOB -> c.state() == State.EXITED;
                              case HEALTHY -> c.health() == Health.HEALTHY;
                              case SERVER -> true;
                            }));
  }

  /** Every service has its replicas, running (healthy where declared) or, for jobs, exited 0. */
  static void checkServices(FakeEngine engine, Project project, Stack stack) {
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < stack.size(); i++) {
      for (int n = 1; n <= stack.replicas[i]; n++) {
        String state =
            switch (stack.kinds[i]) {
              case SERVER -> "running";
              case HEALTHY -> "running healthy";
              case JOB -> "exited 0";
            };
        expected.put(project.name() + "-" + stack.names[i] + "-" + n, state);
      }
    }
    Map<String, String> actual = new TreeMap<>();
    for (ContainerInfo c : engine.containers(Map.of(ComposeLabels.PROJECT, project.name()))) {
      String state =
          c.state() == State.RUNNING
              ? c.health() == Health.HEALTHY ? "running healthy" : "running"
              : c.state() == State.EXITED ? "exited " + c.exitCode() : c.state().toString();
      actual.put(c.name(), state);
    }
    assertThat(actual).as("containers").isEqualTo(expected);

    Set<String> networks = new TreeSet<>();
    engine.networks(Map.of()).stream().map(NetworkInfo::name).forEach(networks::add);
    assertThat(networks).as("networks").isEqualTo(stack.networksUsed(project.name()));
    Set<String> volumes = new TreeSet<>();
    engine.volumes(Map.of(ComposeLabels.PROJECT, project.name())).stream()
        .map(VolumeInfo::name)
        .forEach(volumes::add);
    assertThat(volumes).as("named volumes").isEqualTo(stack.volumesUsed(project.name()));
  }

  /**
   * A second up has nothing to do, except start the one-shot jobs again, as Docker Compose does
   * with exited containers (and wait for what they depend on).
   */
  static void checkOnlyJobsRestart(Plan plan, Project project, Stack stack) {
    Set<String> jobContainers = new TreeSet<>();
    Set<String> jobs = new TreeSet<>();
    for (int i = 0; i < stack.size(); i++) {
      if (stack.kinds[i] == Kind.JOB) {
        jobs.add(stack.names[i]);
        for (int n = 1; n <= stack.replicas[i]; n++) {
          jobContainers.add(project.name() + "-" + stack.names[i] + "-" + n);
        }
      }
    }
    if (jobs.isEmpty()) {
      assertThat(PlanFormat.text(plan)).isEqualTo("nothing to do\n");
      return;
    }
    Set<String> started = new TreeSet<>();
    for (Operation op : plan.operations()) {
      if (op.step() instanceof StartContainer s) {
        assertThat(op.reason()).isEqualTo("not running");
        started.add(s.name());
      } else {
        assertThat(op.step()).as("operation %s", op.describe()).isInstanceOf(AwaitService.class);
        assertThat(op.reason()).startsWith("needed by ");
        assertThat(jobs).contains(op.reason().substring("needed by ".length()));
      }
    }
    assertThat(started).as("restarted").isEqualTo(jobContainers);
    assertThat(plan.warnings()).isEmpty();
  }

  enum Kind {
    /** Runs until stopped. */
    SERVER,
    /** Has a healthcheck that passes a few milliseconds after it starts. */
    HEALTHY,
    /** Exits 0 a few milliseconds after it starts. */
    JOB
  }

  /** A random stack: its services, their dependencies, and the compose file that says so. */
  static final class Stack {
    static final String[] SERVER_IMAGES = {"srv/alpha:1", "srv/beta:2", "registry.local/gamma"};

    final long seed;
    final Random random;
    final List<List<Integer>> deps = new ArrayList<>();
    String[] names;
    Kind[] kinds;
    int[] replicas;
    int extraNetworks;
    int namedVolumes;
    final Map<Integer, List<String>> networks = new HashMap<>();
    final Map<Integer, List<String>> volumes = new HashMap<>();
    final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    final Map<String, Boolean> imagesLocal = new LinkedHashMap<>();
    Duration latency;
    String yaml;

    private Stack(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
    }

    int size() {
      return deps.size();
    }

    Kind kindOf(String service) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(service)) {
          return kinds[i];
        }
      }
      throw new IllegalArgumentException(service);
    }

    static Stack generate(long seed) {
      Stack s = new Stack(seed);
      s.shape();
      s.decorate();
      s.yaml = s.yaml();
      return s;
    }

    /** The dependency graph: a few components of different shapes. */
    void shape() {
      int components = 1 + random.nextInt(3);
      for (int c = 0; c < components && size() < 12; c++) {
        int base = size();
        switch (random.nextInt(5)) {
          case 0 -> { // chain
            int length = 2 + random.nextInt(4);
            for (int k = 0; k < length; k++) {
              deps.add(k == 0 ? List.of() : List.of(base + k - 1));
            }
          }
          case 1 -> { // diamond: fan-out from the top, fan-in to the bottom
            int middle = 2 + random.nextInt(3);
            deps.add(List.of());
            List<Integer> middles = new ArrayList<>();
            for (int k = 0; k < middle; k++) {
              middles.add(size());
              deps.add(List.of(base));
            }
            deps.add(middles);
          }
          case 2 -> { // wide layers, each node after some of the layer before
            int layers = 2 + random.nextInt(2);
            int width = 2 + random.nextInt(2);
            List<Integer> previous = List.of();
            for (int l = 0; l < layers; l++) {
              List<Integer> current = new ArrayList<>();
              for (int w = 0; w < width; w++) {
                current.add(size());
                deps.add(previous.isEmpty() ? List.of() : someOf(previous));
              }
              previous = current;
            }
          }
          case 3 -> { // random DAG
            int n = 3 + random.nextInt(4);
            for (int k = 0; k < n; k++) {
              List<Integer> d = new ArrayList<>();
              for (int j = base; j < base + k; j++) {
                if (random.nextInt(100) < 35) {
                  d.add(j);
                }
              }
              deps.add(d);
            }
          }
          default -> deps.add(List.of()); // isolated
        }
      }
    }

    List<Integer> someOf(List<Integer> from) {
      List<Integer> out = new ArrayList<>();
      for (int x : from) {
        if (random.nextBoolean()) {
          out.add(x);
        }
      }
      if (out.isEmpty()) {
        out.add(from.get(random.nextInt(from.size())));
      }
      return out;
    }

    /** Names, kinds, replicas, images, networks, volumes and timings. */
    void decorate() {
      int n = size();
      List<Integer> permutation = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        permutation.add(i);
      }
      java.util.Collections.shuffle(permutation, random);
      names = new String[n];
      kinds = new Kind[n];
      replicas = new int[n];
      for (int i = 0; i < n; i++) {
        // Names in another order than the graph's, so that name order is not dependency order.
        names[i] = "svc" + permutation.get(i);
        int k = random.nextInt(100);
        kinds[i] = k < 15 ? Kind.JOB : k < 40 ? Kind.HEALTHY : Kind.SERVER;
        replicas[i] = random.nextInt(100) < 20 ? 2 + random.nextInt(2) : 1;
      }
      extraNetworks = random.nextInt(4);
      namedVolumes = random.nextInt(3);
      for (int i = 0; i < n; i++) {
        if (extraNetworks > 0 && random.nextInt(100) < 70) {
          List<String> nets = new ArrayList<>();
          if (random.nextInt(100) < 30) {
            nets.add("default");
          }
          for (int x = 0; x < extraNetworks; x++) {
            if (random.nextBoolean()) {
              nets.add("net" + x);
            }
          }
          if (nets.isEmpty()) {
            nets.add("net" + random.nextInt(extraNetworks));
          }
          networks.put(i, nets);
        }
        List<String> mounts = new ArrayList<>();
        if (namedVolumes > 0 && random.nextInt(100) < 35) {
          String v = "data" + random.nextInt(namedVolumes);
          mounts.add(v + ":/var/lib/" + v);
        }
        if (random.nextInt(100) < 10) {
          mounts.add("/scratch");
        }
        if (!mounts.isEmpty()) {
          volumes.put(i, mounts);
        }
        String image = image(i);
        switch (kinds[i]) {
          case HEALTHY -> behaviours.put(image, Behaviour.healthyAfter(millis(1, 8)));
          case JOB -> behaviours.put(image, Behaviour.exitsAfter(millis(1, 5), 0));
          case SERVER -> {}
        }
        imagesLocal.computeIfAbsent(image, k -> random.nextBoolean());
      }
      latency = millis(1, 3);
    }

    Duration millis(int from, int to) {
      return Duration.ofMillis(from + random.nextInt(to - from + 1));
    }

    String image(int i) {
      return switch (kinds[i]) {
        case SERVER -> SERVER_IMAGES[Math.abs(names[i].hashCode()) % SERVER_IMAGES.length];
        case HEALTHY -> "hc/" + names[i] + ":1";
        case JOB -> "job/" + names[i] + ":1";
      };
    }

    String condition(int dependency) {
      boolean special = random.nextInt(100) < 70;
      return switch (kinds[dependency]) {
        case HEALTHY -> special ? "service_healthy" : "service_started";
        case JOB -> special ? "service_completed_successfully" : "service_started";
        case SERVER -> "service_started";
      };
    }

    String yaml() {
      StringBuilder y = new StringBuilder();
      y.append("name: p").append(Long.toUnsignedString(seed, 36)).append('\n');
      y.append("services:\n");
      for (int i = 0; i < size(); i++) {
        y.append("  ").append(names[i]).append(":\n");
        y.append("    image: ").append(image(i)).append('\n');
        if (replicas[i] > 1) {
          if (random.nextBoolean()) {
            y.append("    scale: ").append(replicas[i]).append('\n');
          } else {
            y.append("    deploy: {replicas: ").append(replicas[i]).append("}\n");
          }
        }
        if (kinds[i] == Kind.HEALTHY) {
          y.append("    healthcheck: {test: [\"CMD\", \"true\"], interval: 1s}\n");
        }
        if (kinds[i] == Kind.JOB) {
          y.append("    command: [\"/bin/migrate\", \"--once\"]\n");
        }
        if (networks.containsKey(i)) {
          y.append("    networks: [").append(String.join(", ", networks.get(i))).append("]\n");
        }
        if (volumes.containsKey(i)) {
          y.append("    volumes: [").append(String.join(", ", volumes.get(i))).append("]\n");
        }
        if (!deps.get(i).isEmpty()) {
          y.append("    depends_on:\n");
          for (int d : deps.get(i)) {
            y.append("      ")
                .append(names[d])
                .append(": {condition: ")
                .append(condition(d))
                .append("}\n");
          }
        }
      }
      if (extraNetworks > 0) {
        y.append("networks:\n");
        for (int x = 0; x < extraNetworks; x++) {
          y.append("  net").append(x).append(": {}\n");
        }
      }
      if (namedVolumes > 0) {
        y.append("volumes:\n");
        for (int v = 0; v < namedVolumes; v++) {
          y.append("  data").append(v).append(": {}\n");
        }
      }
      return y.toString();
    }

    /** An engine with the stack's images (some local, some only to pull) and behaviours. */
    FakeEngine engine() {
      FakeEngine engine = new FakeEngine().latency(latency);
      imagesLocal.forEach(
          (image, local) -> {
            String id = "sha256:" + String.format("%064x", image.hashCode() & 0xffffffffL);
            engine.registry(image, id);
            if (local) {
              engine.localImage(image, id);
            }
          });
      behaviours.forEach(engine::behave);
      return engine;
    }

    /** The engine names of the networks the services join. */
    Set<String> networksUsed(String project) {
      Set<String> out = new TreeSet<>();
      for (int i = 0; i < size(); i++) {
        for (String n : networks.getOrDefault(i, List.of("default"))) {
          out.add(project + "_" + n);
        }
      }
      return out;
    }

    /** The engine names of the named volumes the services mount. */
    Set<String> volumesUsed(String project) {
      Set<String> out = new TreeSet<>();
      for (List<String> mounts : volumes.values()) {
        for (String m : mounts) {
          if (!m.startsWith("/")) {
            out.add(project + "_" + m.substring(0, m.indexOf(':')));
          }
        }
      }
      return out;
    }
  }
}

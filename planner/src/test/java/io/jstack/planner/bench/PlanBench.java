package io.jstack.planner.bench;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.Executor;
import io.jstack.planner.ObservedState;
import io.jstack.planner.Plan;
import io.jstack.planner.Planner;
import io.jstack.planner.UpOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Benchmark of planning {@code up}: for generated projects of 100, 1,000 and 5,000 services on 100
 * networks, the warm time of {@code new Planner(...).up(...)} for a fresh up (the engine has only
 * the images) and for a no-op up (everything already up). Loading the project and reading the
 * engine's state are not timed. Run it through {@code bench/plan.sh}; {@code PlanBench DIR
 * [SIZE...]} writes the projects under DIR.
 */
public final class PlanBench {
  static final ContainerSpecs.Origin ORIGIN =
      new ContainerSpecs.Origin("/srv/bench", List.of("/srv/bench/compose.yaml"));
  static final int NETWORKS = 100;
  static final int IMAGES = 50;

  private PlanBench() {}

  /** The timings of one size. */
  record Row(int services, int freshOps, Stats fresh, Stats noop) {}

  /** Milliseconds of the timed runs. */
  record Stats(double median, double best, double p90, int runs) {
    static Stats of(List<Double> ms) {
      double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Stats(
          s[s.length / 2], s[0], s[Math.min(s.length - 1, (int) (s.length * 0.9))], s.length);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PlanBench DIR [SIZE...]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {100, 1_000, 5_000};
    List<Row> rows = new ArrayList<>();
    for (int size : sizes) {
      rows.add(bench(dir.resolve("s" + size), size));
    }
    System.out.println();
    System.out.println("growth (warm median; ms per service = median / services):");
    System.out.printf(
        "%9s %9s | %10s %10s %9s %8s | %10s %10s %9s %8s%n",
        "services",
        "fresh ops",
        "fresh ms",
        "ms/svc",
        "x time",
        "x size",
        "no-op ms",
        "ms/svc",
        "x time",
        "x size");
    Row previous = null;
    for (Row r : rows) {
      System.out.printf(
          "%9d %9d | %10.2f %10.4f %9s %8s | %10.2f %10.4f %9s %8s%n",
          r.services(),
          r.freshOps(),
          r.fresh().median(),
          r.fresh().median() / r.services(),
          previous == null
              ? ""
              : String.format("%.1f", r.fresh().median() / previous.fresh().median()),
          previous == null
              ? ""
              : String.format("%.1f", (double) r.services() / previous.services()),
          r.noop().median(),
          r.noop().median() / r.services(),
          previous == null
              ? ""
              : String.format("%.1f", r.noop().median() / previous.noop().median()),
          previous == null
              ? ""
              : String.format("%.1f", (double) r.services() / previous.services()));
      previous = r;
    }
  }

  static Row bench(Path dir, int size) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Path file = generate(dir, size);
    Project project =
        ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
            .project();
    long loaded = System.nanoTime();

    FakeEngine engine = new FakeEngine().healthDelay(Duration.ZERO);
    for (int i = 0; i < IMAGES; i++) {
      engine.localImage(image(i), "sha256:" + String.format("%064x", i + 1));
    }
    ObservedState empty = ObservedState.read(engine, project);
    long read = System.nanoTime();
    System.out.printf(
        "%d services: generated and loaded in %d ms (not timed), state read in %d ms%n",
        size, (loaded - t0) / 1_000_000, (read - loaded) / 1_000_000);

    int runs = size <= 100 ? 300 : size <= 1_000 ? 60 : 15;
    Plan fresh = plan(project, empty);
    Stats freshStats = time(() -> plan(project, empty), runs);
    print(size, "fresh up", fresh.size(), freshStats);

    long e0 = System.nanoTime();
    Executor.Result result =
        Executor.run(fresh, engine, new Executor.Options(0, Duration.ofMillis(1), null), e -> {});
    if (!result.succeeded()) {
      throw new IllegalStateException("up failed: " + result.failures());
    }
    ObservedState up = ObservedState.read(engine, project);
    System.out.printf(
        "%d services: ran the fresh plan in %d ms and read the state again (%d containers)%n",
        size, (System.nanoTime() - e0) / 1_000_000, up.containers().size());
    Plan noop = plan(project, up);
    if (!noop.isEmpty()) {
      throw new IllegalStateException("a second up is not a no-op: " + noop.operations().get(0));
    }
    Stats noopStats = time(() -> plan(project, up), runs);
    print(size, "no-op up", noop.size(), noopStats);
    return new Row(size, fresh.size(), freshStats, noopStats);
  }

  static Plan plan(Project project, ObservedState observed) {
    return new Planner(project, Set.of(), observed, ORIGIN).up(UpOptions.defaults());
  }

  /** Warms up for a third of the runs (at least 5) or 2 s, then times {@code runs} runs. */
  static Stats time(Supplier<Plan> planning, int runs) {
    int size = -1;
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    for (int i = 0; i < Math.max(5, runs / 3) || System.nanoTime() < warmUntil; i++) {
      size = planning.get().size();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      int n = planning.get().size();
      ms.add((System.nanoTime() - t0) / 1e6);
      if (n != size) {
        throw new IllegalStateException("plans disagree");
      }
    }
    return Stats.of(ms);
  }

  static void print(int size, String what, int ops, Stats s) {
    System.out.printf(
        "%d services, %s (%d operations): median %.2f ms, best %.2f ms, p90 %.2f ms"
            + " (%d warm runs)%n",
        size, what, ops, s.median(), s.best(), s.p90(), s.runs());
  }

  static String image(int i) {
    return "registry.local/team/app" + i + ":1.0";
  }

  /**
   * A project of {@code services} services on {@link #NETWORKS} networks, each service on one to
   * three of them: chains of ten services, whose heads fan out from earlier services; every 25th
   * service has a healthcheck its dependents wait for; every third mounts one of 20 volumes.
   */
  static Path generate(Path dir, int services) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(services);
    Set<Integer> healthy = new TreeSet<>();
    StringBuilder y = new StringBuilder("name: bench\nservices:\n");
    for (int i = 0; i < services; i++) {
      y.append("  svc").append(i).append(":\n");
      y.append("    image: ").append(image(i % IMAGES)).append('\n');
      y.append("    command: [\"/bin/app\", \"--id\", \"").append(i).append("\"]\n");
      y.append("    environment:\n      SERVICE_ID: \"").append(i).append("\"\n");
      y.append("      LOG_LEVEL: info\n");
      y.append("    labels:\n      com.example.team: team").append(i % 7).append('\n');
      int nets = 1 + random.nextInt(3);
      Set<String> on = new TreeSet<>();
      while (on.size() < nets) {
        on.add("net" + random.nextInt(NETWORKS));
      }
      y.append("    networks: [").append(String.join(", ", on)).append("]\n");
      if (i % 3 == 0) {
        y.append("    volumes: [\"data").append(i % 20).append(":/var/lib/app\"]\n");
      }
      if (i % 25 == 0) {
        healthy.add(i);
        y.append("    healthcheck: {test: [\"CMD\", \"/bin/check\"], interval: 5s}\n");
      }
      List<Integer> deps = new ArrayList<>();
      if (i % 10 != 0) {
        deps.add(i - 1); // chains of ten
      } else if (i > 0) {
        deps.add(i / 10 - 1); // chain heads fan out from earlier services
        deps.add(random.nextInt(i));
      }
      if (!deps.isEmpty()) {
        y.append("    depends_on:\n");
        for (int d : new TreeSet<>(deps)) {
          y.append("      svc")
              .append(d)
              .append(": {condition: ")
              .append(healthy.contains(d) ? "service_healthy" : "service_started")
              .append("}\n");
        }
      }
    }
    y.append("networks:\n");
    for (int n = 0; n < NETWORKS; n++) {
      y.append("  net").append(n).append(": {}\n");
    }
    y.append("volumes:\n");
    for (int v = 0; v < 20; v++) {
      y.append("  data").append(v).append(": {}\n");
    }
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, y.toString());
    return file;
  }
}

package io.jstack.compose.bench;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of the whole load (parse, interpolate, merge, extends, normalise, bind, validate) of a
 * generated project: {@code generate DIR SERVICES} writes it, {@code run DIR ITERATIONS} times warm
 * loads after a warm-up and prints the median, best and 90th percentile. Run it through {@code
 * bench/config-load.sh}.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("generate")) {
      generate(Path.of(args[1]), Integer.parseInt(args[2]));
    } else if (args.length == 3 && args[0].equals("run")) {
      run(Path.of(args[1]), Integer.parseInt(args[2]));
    } else {
      System.err.println("usage: LoadBench generate DIR SERVICES | run DIR ITERATIONS");
      System.exit(2);
    }
  }

  static void generate(Path dir, int services) throws IOException {
    Files.createDirectories(dir);
    StringBuilder y = new StringBuilder();
    y.append("name: bench\n");
    y.append("x-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n")
        .append("    options: {max-size: 10m, max-file: \"3\"}\n");
    y.append("services:\n");
    for (int i = 0; i < services; i++) {
      y.append("  svc").append(i).append(":\n");
      y.append("    <<: *common\n");
      y.append("    image: registry.local/team/app").append(i % 50).append(":${TAG:-1.0}\n");
      y.append("    command: [\"/bin/app\", \"--id\", \"").append(i).append("\"]\n");
      y.append("    environment:\n");
      y.append("      - SERVICE_ID=").append(i).append('\n');
      y.append("      - DB_URL=postgres://db:5432/${DB_NAME:-app}\n");
      y.append("      - LOG_LEVEL=${LOG_LEVEL:-info}\n");
      y.append("      - FEATURE_X=true\n");
      y.append("    labels:\n      com.example.team: team")
          .append(i % 7)
          .append("\n      com.example.tier: backend\n");
      y.append("    ports:\n      - \"").append(20000 + i).append(":8080\"\n");
      y.append("    volumes:\n      - data")
          .append(i % 20)
          .append(":/var/lib/app\n")
          .append("      - ./config/app.conf:/etc/app.conf:ro\n");
      y.append("    networks: [net")
          .append(i % 10)
          .append(", net")
          .append((i + 1) % 10)
          .append("]\n");
      if (i > 0) {
        y.append("    depends_on:\n      svc")
            .append(i - 1)
            .append(":\n        condition: service_started\n");
        if (i % 10 == 0) {
          y.append("      svc").append(i / 2).append(":\n        condition: service_healthy\n");
        }
      }
      y.append("    healthcheck:\n      test: curl -fs http://localhost:8080/health\n")
          .append("      interval: 10s\n      timeout: 2s\n      retries: 3\n");
      y.append("    deploy:\n      resources:\n        limits: {cpus: \"0.5\", memory: 256m}\n");
      y.append("    ulimits:\n      nofile: {soft: 20000, hard: 40000}\n");
    }
    y.append("networks:\n");
    for (int n = 0; n < 10; n++) {
      y.append("  net").append(n).append(":\n    driver: bridge\n");
    }
    y.append("volumes:\n");
    for (int v = 0; v < 20; v++) {
      y.append("  data").append(v).append(": {}\n");
    }
    Files.writeString(dir.resolve("compose.yaml"), y.toString());

    StringBuilder o = new StringBuilder("services:\n");
    for (int i = 0; i < services; i += 3) {
      o.append("  svc")
          .append(i)
          .append(":\n    environment:\n      LOG_LEVEL: debug\n")
          .append("    ports: [\"")
          .append(40000 + i)
          .append(":9090\"]\n");
    }
    Files.writeString(dir.resolve("compose.override.yaml"), o.toString());
    Files.writeString(dir.resolve(".env"), "TAG=2.3.4\nDB_NAME=bench\n");
    System.out.println("generated " + services + " services in " + dir);
  }

  static void run(Path dir, int iterations) {
    ProjectOptions options =
        ProjectOptions.of(
            List.of(dir.resolve("compose.yaml"), dir.resolve("compose.override.yaml")),
            Map.of("HOME", System.getProperty("user.home")),
            dir);
    int warmup = Math.max(10, iterations / 2);
    int services = 0;
    for (int i = 0; i < warmup; i++) {
      services = load(options).project().services().size();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      LoadedProject p = load(options);
      ms.add((System.nanoTime() - t0) / 1e6);
      if (p.project().services().size() != services) {
        throw new IllegalStateException("loads disagree");
      }
    }
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "warm load of %d services: median %.1f ms, best %.1f ms, p90 %.1f ms (%d runs after %d warm-up)%n",
        services,
        sorted[sorted.length / 2],
        sorted[0],
        sorted[(int) (sorted.length * 0.9)],
        iterations,
        warmup);
    System.out.println(
        "all runs (ms): "
            + Arrays.toString(Arrays.stream(sorted).map(d -> Math.round(d * 10) / 10.0).toArray()));
  }

  private static LoadedProject load(ProjectOptions options) {
    return ComposeLoader.load(options);
  }
}

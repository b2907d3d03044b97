package io.jstack.cli;

import io.jstack.cli.internal.RowTemplate;
import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectWriter;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerStats;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.planner.ComposeLabels;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack stats}: the resource use of the project's containers (Docker Compose's {@code
 * stats}, as {@code docker stats} shows it), a live table redrawn about once a second until Ctrl-C,
 * or one sample with {@code --no-stream}.
 */
@Command(
    name = "stats",
    description = "Display a live stream of the resource use of the project's containers.",
    footer = {
      "",
      "Examples:",
      "  jstack stats --no-stream",
      "  jstack stats --no-stream --format '{{.Name}}: {{.CPUPerc}} {{.MemUsage}}'"
    })
final class StatsCommand extends ProjectCommand implements Callable<Integer> {
  /** The fields a template may name, with their table headers, in the default table's order. */
  static final Map<String, String> FIELDS = fields();

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ID", "CONTAINER ID");
    f.put("Name", "NAME");
    f.put("CPUPerc", "CPU %");
    f.put("MemUsage", "MEM USAGE / LIMIT");
    f.put("MemPerc", "MEM %");
    f.put("NetIO", "NET I/O");
    f.put("BlockIO", "BLOCK I/O");
    f.put("PIDs", "PIDS");
    f.put("Container", "CONTAINER");
    return java.util.Collections.unmodifiableMap(f);
  }

  private static final String TABLE =
      "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t"
          + "{{.BlockIO}}\t{{.PIDs}}";

  /** Clears a terminal and puts the cursor at its top left, as docker stats redraws. */
  private static final String REDRAW = "\033[2J\033[H";

  @Parameters(paramLabel = "SERVICE", description = "Only these services (default: all).")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-a", "--all"},
      description = "Show every container (default: the running ones).")
  boolean all;

  @Option(
      names = "--format",
      paramLabel = "table|json|TEMPLATE",
      description =
          "table (default), json (one object per container), or a Go template as docker stats"
              + " takes: {{.ID}}, {{.Name}}, {{.CPUPerc}}, {{.MemUsage}}, {{.MemPerc}},"
              + " {{.NetIO}}, {{.BlockIO}}, {{.PIDs}}, {{.Container}}, {{json .}}.")
  String format = "table";

  @Option(names = "--no-stream", description = "Show one sample and return.")
  boolean noStream;

  @Option(names = "--no-trunc", description = "Show whole container ids.")
  boolean noTrunc;

  @Override
  public Integer call() throws InterruptedException {
    RowTemplate template = null;
    if (!format.equals("json")) {
      try {
        template = RowTemplate.parse(format.equals("table") ? TABLE : format, FIELDS);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
      }
    }
    LoadedProject loaded = loadOrNamed();
    requireServices(loaded, services);
    Engine engine = engine();
    ExecutorService sampling = Executors.newCachedThreadPool(daemon());
    Signals.Registration signals = noStream ? null : root.caller().interrupts().exitOnInterrupt();
    try {
      boolean redraw = !noStream && root.caller().terminal();
      do {
        List<ContainerStats> rows = sample(engine, sampling, containers(engine, loaded));
        if (redraw) {
          out().print(REDRAW);
        }
        print(template, rows);
        out().flush();
      } while (!noStream && !out().checkError());
      return Jstack.EXIT_OK;
    } finally {
      if (signals != null) {
        signals.close();
      }
      sampling.shutdownNow();
      close(engine);
    }
  }

  private List<ContainerInfo> containers(Engine engine, LoadedProject loaded) {
    return engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name())).stream()
        .filter(c -> services.isEmpty() || services.contains(c.label(ComposeLabels.SERVICE)))
        .filter(c -> all || c.isRunning())
        .sorted(Comparator.comparing(ContainerInfo::name))
        .toList();
  }

  /**
   * A sample of each container, taken at once (an engine takes about a second for one); a container
   * that does not run, or stopped meanwhile, shows zeros.
   */
  private static List<ContainerStats> sample(
      Engine engine, ExecutorService threads, List<ContainerInfo> containers)
      throws InterruptedException {
    List<Future<ContainerStats>> samples = new ArrayList<>();
    for (ContainerInfo c : containers) {
      samples.add(
          threads.submit(
              () -> {
                if (c.state() != ContainerInfo.State.RUNNING) {
                  return ContainerStats.idle(c.id(), c.name());
                }
                try {
                  return engine.stats(c.id());
                } catch (EngineException.Conflict | EngineException.NotFound stopped) {
                  return ContainerStats.idle(c.id(), c.name());
                }
              }));
    }
    List<ContainerStats> rows = new ArrayList<>();
    for (Future<ContainerStats> f : samples) {
      try {
        rows.add(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    return rows;
  }

  private void print(
      @org.jspecify.annotations.Nullable RowTemplate template, List<ContainerStats> rows) {
    List<Map<String, Object>> values = rows.stream().map(this::row).toList();
    if (template == null) {
      values.forEach(v -> out().println(ProjectWriter.jsonLine(v)));
    } else {
      template.print(out(), values);
    }
  }

  /** A row's fields as docker stats words them. */
  Map<String, Object> row(ContainerStats s) {
    String id = noTrunc || s.id().length() <= 12 ? s.id() : s.id().substring(0, 12);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("BlockIO", decimal(s.blockRead()) + " / " + decimal(s.blockWrite()));
    m.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", s.cpuPercent()));
    m.put("Container", id);
    m.put("ID", id);
    m.put("MemPerc", String.format(Locale.ROOT, "%.2f%%", s.memoryPercent()));
    m.put("MemUsage", binary(s.memoryUsage()) + " / " + binary(s.memoryLimit()));
    m.put("Name", s.name());
    m.put("NetIO", decimal(s.networkRx()) + " / " + decimal(s.networkTx()));
    m.put("PIDs", Long.toString(s.pids()));
    return m;
  }

  /** Bytes in binary units with 4 significant digits ({@code 1.539MiB}), as Docker's CLI. */
  static String binary(long bytes) {
    return size(bytes, 1024, 4, List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB"));
  }

  /** Bytes in decimal units with 3 significant digits ({@code 1.05kB}), as Docker's CLI. */
  static String decimal(long bytes) {
    return size(bytes, 1000, 3, List.of("B", "kB", "MB", "GB", "TB", "PB"));
  }

  private static String size(long bytes, double base, int digits, List<String> units) {
    double v = bytes;
    int unit = 0;
    while (v >= base && unit < units.size() - 1) {
      v /= base;
      unit++;
    }
    String n =
        new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    return n + units.get(unit);
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "jstack-stats");
      t.setDaemon(true);
      return t;
    };
  }
}

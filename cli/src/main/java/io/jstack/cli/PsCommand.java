package io.jstack.cli;

import io.jstack.cli.internal.RowTemplate;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectWriter;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.planner.ComposeLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack ps}: the project's containers. */
@Command(
    name = "ps",
    description = "List containers.",
    footer = {
      "",
      "Examples:",
      "  jstack ps -a",
      "  jstack ps --status exited -q",
      "  jstack ps --format json"
    })
final class PsCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-a", "--all"},
      description = "Also stopped containers.")
  boolean all;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only container ids.")
  boolean quiet;

  @Option(names = "--services", description = "Only service names.")
  boolean listServices;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only containers in this state (created, running, exited, ...).")
  List<String> status = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Output format: table (the default), json, a Go template ('{{.Name}} {{.Status}}'), or"
              + " 'table TEMPLATE' for aligned columns under a header.")
  String format = "table";

  /** The fields a --format template may name, with their headers in a table. */
  private static final Map<String, String> FIELDS = fields();

  private static Map<String, String> fields() {
    Map<String, String> f = new java.util.LinkedHashMap<>();
    f.put("ID", "CONTAINER ID");
    f.put("Name", "NAME");
    f.put("Image", "IMAGE");
    f.put("Command", "COMMAND");
    f.put("Project", "PROJECT");
    f.put("Service", "SERVICE");
    f.put("CreatedAt", "CREATED AT");
    f.put("RunningFor", "CREATED");
    f.put("State", "STATE");
    f.put("Status", "STATUS");
    f.put("Health", "HEALTH");
    f.put("ExitCode", "EXIT CODE");
    f.put("Ports", "PORTS");
    f.put("Labels", "LABELS");
    return java.util.Collections.unmodifiableMap(f);
  }

  @Override
  public Integer call() {
    RowTemplate template = null;
    if (!format.equals("table") && !format.equals("json")) {
      try {
        template = RowTemplate.parse(format, FIELDS);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
      }
    }
    LoadedProject loaded = loadOrNamed();
    if (root.swarm()) {
      return SwarmCommands.ps(root, loaded, out());
    }
    Engine engine = engine();
    try {
      List<ContainerInfo> rows = new ArrayList<>();
      for (ContainerInfo c :
          engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
        if ("True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))) {
          continue;
        }
        String service = c.label(ComposeLabels.SERVICE);
        if (!services.isEmpty() && !services.contains(service)) {
          continue;
        }
        if (!status.isEmpty() ? !status.contains(c.state().dockerName()) : !all && !c.isRunning()) {
          continue;
        }
        rows.add(c);
      }
      rows.sort(
          Comparator.comparing((ContainerInfo c) -> c.label(ComposeLabels.SERVICE))
              .thenComparing(ContainerInfo::name));
      if (listServices) {
        new LinkedHashSet<>(rows.stream().map(c -> c.label(ComposeLabels.SERVICE)).toList())
            .forEach(out()::println);
      } else if (quiet) {
        rows.forEach(c -> out().println(c.id()));
      } else if (template != null) {
        String project = loaded.project().name();
        template.print(out(), rows.stream().map(c -> templateRow(c, project)).toList());
      } else if (format.equals("json")) {
        for (ContainerInfo c : rows) {
          out().println(ProjectWriter.jsonLine(json(c, loaded.project().name())));
        }
      } else {
        table(rows);
      }
      out().flush();
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }

  private static Map<String, Object> json(ContainerInfo c, String project) {
    Map<String, Object> m = new TreeMap<>();
    m.put("ID", c.id());
    m.put("Name", c.name());
    m.put("Image", c.image());
    m.put("Command", c.command());
    m.put("Project", project);
    m.put("Service", c.label(ComposeLabels.SERVICE));
    m.put("Created", c.created().getEpochSecond());
    m.put("State", c.state().dockerName());
    m.put("Status", c.status());
    m.put(
        "Health",
        c.health() == ContainerInfo.Health.NONE
            ? ""
            : c.health().name().toLowerCase(java.util.Locale.ROOT));
    m.put("ExitCode", c.exitCode());
    List<Object> publishers = new ArrayList<>();
    for (ContainerInfo.PublishedPort p : c.ports()) {
      Map<String, Object> pub = new TreeMap<>();
      pub.put("URL", p.hostIp());
      pub.put("TargetPort", p.containerPort());
      pub.put("PublishedPort", p.hostPort());
      pub.put("Protocol", p.protocol());
      publishers.add(pub);
    }
    m.put("Publishers", publishers);
    return m;
  }

  /**
   * A container's fields for a --format template, as Docker Compose names and prints them: its JSON
   * line's, with the short id, the command as the table shows it, and the columns' texts.
   */
  private static Map<String, Object> templateRow(ContainerInfo c, String project) {
    Map<String, Object> m = new java.util.HashMap<>(json(c, project));
    m.put("ID", c.id().substring(0, Math.min(12, c.id().length())));
    m.put("Command", command(c));
    m.put("CreatedAt", CREATED_AT.format(c.created()));
    m.put("RunningFor", ago(c.created()));
    m.put("Ports", ports(c));
    m.put("Labels", c.labels());
    return m;
  }

  /** Go's default time format, as Docker prints CreatedAt. */
  static final java.time.format.DateTimeFormatter CREATED_AT =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z")
          .withZone(java.time.ZoneId.systemDefault());

  private static String command(ContainerInfo c) {
    return c.command().isEmpty() ? "" : "\"" + abbreviate(c.command(), 20) + "\"";
  }

  private static String ports(ContainerInfo c) {
    return String.join(", ", c.ports().stream().map(Object::toString).toList());
  }

  private void table(List<ContainerInfo> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"});
    for (ContainerInfo c : rows) {
      lines.add(
          new String[] {
            c.name(),
            c.image(),
            command(c),
            c.label(ComposeLabels.SERVICE),
            ago(c.created()),
            c.status(),
            ports(c)
          });
    }
    io.jstack.cli.internal.Table.print(out(), lines.stream().map(List::of).toList());
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** {@code 5 seconds ago}, {@code 3 minutes ago}, as Docker prints ages. */
  static String ago(Instant created) {
    long s = Math.max(0, Instant.now().getEpochSecond() - created.getEpochSecond());
    if (s < 60) {
      return s + " seconds ago";
    }
    if (s < 3600) {
      return s / 60 + (s / 60 == 1 ? " minute ago" : " minutes ago");
    }
    if (s < 86400) {
      return s / 3600 + (s / 3600 == 1 ? " hour ago" : " hours ago");
    }
    return s / 86400 + (s / 86400 == 1 ? " day ago" : " days ago");
  }
}

package io.jstack.cli;

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
      paramLabel = "table|json",
      description = "Output format (default: table).")
  String format = "table";

  @Override
  public Integer call() {
    if (!format.equals("table") && !format.equals("json")) {
      throw new ParameterException(
          spec.commandLine(), "--format takes table or json, not " + format);
    }
    LoadedProject loaded = load();
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

  private void table(List<ContainerInfo> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"NAME", "IMAGE", "COMMAND", "SERVICE", "CREATED", "STATUS", "PORTS"});
    for (ContainerInfo c : rows) {
      String command = c.command().isEmpty() ? "" : "\"" + abbreviate(c.command(), 20) + "\"";
      lines.add(
          new String[] {
            c.name(),
            c.image(),
            command,
            c.label(ComposeLabels.SERVICE),
            ago(c.created()),
            c.status(),
            String.join(", ", c.ports().stream().map(Object::toString).toList())
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

package io.jstack.cli;

import io.jstack.cli.internal.LogPrinter;
import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.LogStream;
import io.jstack.planner.ComposeLabels;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code jstack logs}: the output of the project's containers. */
@Command(
    name = "logs",
    description = "Show the output of containers.",
    footer = {"", "Examples:", "  jstack logs -f web", "  jstack logs --tail 5 --since 10m"})
final class LogsCommand extends ProjectCommand implements Callable<Integer> {
  private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-f", "--follow"},
      description = "Keep following new output.")
  boolean follow;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N|all",
      description = "Only the last N lines of each container.")
  String tail = "all";

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only output since a time (2024-01-02T15:04:05Z) or a duration ago (42m).")
  @Nullable String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only output before a time or a duration ago.")
  @Nullable String until;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Show timestamps.")
  boolean timestamps;

  @Option(names = "--no-color", description = "No colours.")
  boolean noColor;

  @Option(names = "--no-log-prefix", description = "No container name prefix.")
  boolean noPrefix;

  @Override
  public Integer call() throws Exception {
    Integer tailLines = null;
    if (!tail.equals("all")) {
      try {
        tailLines = Integer.parseInt(tail);
      } catch (NumberFormatException e) {
        throw new ParameterException(
            spec.commandLine(), "--tail takes a number or all, not " + tail);
      }
    }
    String sinceTs = unixTime(since, "--since");
    String untilTs = unixTime(until, "--until");
    LoadedProject loaded = loadOrNamed();
    for (String s : services) {
      if (!loaded.withoutFiles() && !loaded.project().services().containsKey(s)) {
        throw new ParameterException(spec.commandLine(), "no such service: " + s);
      }
    }
    if (root.swarm()) {
      if (untilTs != null) {
        throw new ParameterException(
            spec.commandLine(),
            "--until: a swarm's service logs have no end time; use --since and --tail");
      }
      LogPrinter printer =
          LogPrinter.forTerminal(out(), root.ansi(), noColor, noPrefix, timestamps);
      return follow
          ? SwarmCommands.followLogs(root, loaded, services, tailLines, sinceTs, printer)
          : SwarmCommands.logs(root, loaded, services, tailLines, sinceTs, printer);
    }
    Engine engine = engine();
    try {
      List<ContainerInfo> containers = new ArrayList<>();
      for (ContainerInfo c :
          engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
        if ("True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))) {
          continue;
        }
        if (services.isEmpty() || services.contains(c.label(ComposeLabels.SERVICE))) {
          containers.add(c);
        }
      }
      containers.sort(Comparator.comparing(ContainerInfo::name));
      LogPrinter printer =
          LogPrinter.forTerminal(out(), root.ansi(), noColor, noPrefix, timestamps);
      if (follow) {
        Signals.Registration signals = root.caller().interrupts().exitOnInterrupt();
        try {
          if (untilTs != null) {
            printer.follow(engine, containers, sinceTs, untilTs, tailLines);
          } else {
            // Keeps following containers that start later, until Ctrl-C.
            printer.followProject(
                engine,
                loaded.project().name(),
                containers,
                c ->
                    !"True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))
                        && (services.isEmpty()
                            || services.contains(c.label(ComposeLabels.SERVICE))),
                sinceTs,
                tailLines);
          }
        } finally {
          signals.close();
        }
      } else {
        printer.print(
            engine,
            containers,
            new LogStream.Options(false, tailLines, sinceTs, untilTs, timestamps));
      }
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }

  /** An RFC 3339 time or a duration ago ({@code 42m}) as Unix seconds, as the engine wants it. */
  private @Nullable String unixTime(@Nullable String value, String flag) {
    if (value == null) {
      return null;
    }
    Matcher m = RELATIVE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      return Long.toString(Instant.now().minus(d).getEpochSecond());
    }
    if (value.matches("\\d+(\\.\\d+)?")) {
      return value;
    }
    try {
      return Long.toString(Instant.parse(value).getEpochSecond());
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          flag + " takes a time like 2024-01-02T15:04:05Z or a duration like 42m, not " + value);
    }
  }
}

package io.jstack.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.cli.internal.RowTemplate;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.engine.VolumeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jstack volume ...}: the volumes of the engine the global options select, as {@code docker
 * volume} shows and removes them, for hosts without Docker's CLI.
 */
@Command(
    name = "volume",
    description = "Manage the engine's volumes (as docker volume).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      VolumeCommands.Ls.class,
      VolumeCommands.Inspect.class,
      VolumeCommands.Rm.class,
      VolumeCommands.Prune.class
    })
final class VolumeCommands implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name a command: ls, inspect, rm or prune");
  }

  /** The fields a {@code --format} template may name, with their table headers, as Docker's. */
  static final Map<String, String> FIELDS = fields();

  /** Docker's default columns for volumes. */
  static final String TABLE = "table {{.Driver}}\t{{.Name}}";

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Name", "VOLUME NAME");
    f.put("Driver", "DRIVER");
    f.put("Scope", "SCOPE");
    f.put("Mountpoint", "MOUNTPOINT");
    f.put("Labels", "LABELS");
    f.put("Links", "LINKS");
    f.put("Size", "SIZE");
    f.put("Availability", "AVAILABILITY");
    f.put("Group", "GROUP");
    f.put("Status", "STATUS");
    return Collections.unmodifiableMap(f);
  }

  /**
   * Prints {@code volumes} by name as {@code docker volume ls} does: only their names when {@code
   * quiet}, else as {@code template} says.
   */
  static void print(
      java.io.PrintWriter out, List<VolumeInfo> volumes, boolean quiet, RowTemplate template) {
    List<VolumeInfo> sorted = new ArrayList<>(volumes);
    sorted.sort(Comparator.comparing(VolumeInfo::name));
    if (quiet) {
      sorted.forEach(v -> out.println(v.name()));
    } else {
      template.print(out, sorted.stream().map(VolumeCommands::row).toList());
    }
    out.flush();
  }

  /** A volume's fields, as Docker's volume formatter has them (what it cannot know is N/A). */
  private static Map<String, Object> row(VolumeInfo v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Name", v.name());
    m.put("Driver", v.driver());
    m.put("Scope", v.scope());
    m.put("Mountpoint", v.mountpoint());
    m.put("Labels", v.labels());
    for (String unknown : List.of("Links", "Size", "Availability", "Group", "Status")) {
      m.put(unknown, "N/A");
    }
    return m;
  }

  /** A volume as {@code docker volume inspect} shows it. */
  static ObjectNode inspect(VolumeInfo v) {
    ObjectNode o = Subcommand.JSON.createObjectNode();
    o.put("CreatedAt", v.createdAt());
    o.put("Driver", v.driver());
    ObjectNode labels = o.putObject("Labels");
    new java.util.TreeMap<>(v.labels()).forEach(labels::put);
    o.put("Mountpoint", v.mountpoint());
    o.put("Name", v.name());
    ObjectNode options = o.putObject("Options");
    new java.util.TreeMap<>(v.options()).forEach(options::put);
    o.put("Scope", v.scope());
    return o;
  }

  @Command(
      name = "ls",
      aliases = "list",
      description = "List volumes.",
      footer = {
        "",
        "Examples:",
        "  jstack volume ls --filter dangling=true -q",
        "  jstack volume ls --format '{{.Name}} {{.Mountpoint}}'"
      })
  static final class Ls extends ResourceVerb.ListVerb {
    @Option(
        names = {"-q", "--quiet"},
        description = "Only volume names.")
    boolean quiet;

    @Option(
        names = {"-f", "--filter"},
        paramLabel = "KEY=VALUE",
        description = "Only these: dangling=true|false, driver=D, label=K[=V], name=PART.")
    List<String> filter = new ArrayList<>();

    @Override
    public Integer call() {
      RowTemplate template = template(TABLE, FIELDS);
      ListFilters filters = filters(filter);
      print(out(), onEngine(e -> e.volumes(filters)), quiet, template);
      return Jstack.EXIT_OK;
    }
  }

  @Command(name = "inspect", description = "Show volumes as JSON.")
  static final class Inspect extends ResourceVerb {
    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> names;

    @Option(
        names = {"-f", "--format"},
        paramLabel = "TEMPLATE",
        description = "A Go template over each volume ('{{.Mountpoint}}') instead of JSON.")
    @Nullable String format;

    @Override
    public Integer call() {
      return onEngine(e -> inspect(names, format, n -> e.volume(n).map(VolumeCommands::inspect)));
    }
  }

  @Command(
      name = "rm",
      aliases = "remove",
      description = "Remove volumes (none a container uses, running or not).")
  static final class Rm extends ResourceVerb {
    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> names;

    @Option(
        names = {"-f", "--force"},
        description = "A volume that is not there is no error.")
    boolean force;

    @Override
    public Integer call() {
      return onEngine(
          e ->
              removeEach(
                  names,
                  n -> {
                    try {
                      e.removeVolume(n);
                    } catch (EngineException.NotFound gone) {
                      if (!force) {
                        throw gone;
                      }
                    }
                  },
                  false));
    }
  }

  /**
   * As {@code docker volume prune} of Docker 23 and later: anonymous volumes, unless {@code -a}.
   */
  @Command(
      name = "prune",
      description =
          "Remove the anonymous volumes no container uses; with -a, every volume no container uses.")
  static final class Prune extends ResourceVerb.PruneVerb {
    @Option(
        names = {"-a", "--all"},
        description = "Every unused volume, not only anonymous ones.")
    boolean all;

    @Override
    public Integer call() {
      Engine.Pruned pruned =
          prune(
              "WARNING! This will remove "
                  + (all ? "all local volumes" : "anonymous local volumes")
                  + " not used by at least one container.",
              all ? ListFilters.none().with("all", "true") : ListFilters.none(),
              "Volumes",
              Engine::pruneVolumes);
      out().println("Total reclaimed space: " + ImageCommands.humanSize(pruned.reclaimedBytes()));
      out().flush();
      return Jstack.EXIT_OK;
    }
  }
}

package io.jstack.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.cli.internal.Confirm;
import io.jstack.cli.internal.RowTemplate;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What the commands on an engine's volumes and networks share ({@code jstack volume ...}, {@code
 * jstack network ...}), as Docker's CLI has them: the engine the global options select, {@code
 * --filter} and {@code --format}, {@code inspect} and {@code rm} of several names (each failure on
 * a line of its own, the others done), and the question a {@code prune} asks.
 */
@Command
abstract class ResourceVerb extends Subcommand {
  /** {@code volume} or {@code network}: the group's name, which the messages name. */
  String kind() {
    return spec.parent().name();
  }

  /** Runs {@code work} on the engine the global options select, then lets the engine go. */
  <T> T onEngine(Function<Engine, T> work) {
    Engine engine = root().openEngine();
    try {
      return work.apply(engine);
    } finally {
      ProjectCommand.close(engine);
    }
  }

  /** The {@code --filter key=value} options given; a usage error for one without {@code =}. */
  ListFilters filters(List<String> given) {
    try {
      return ListFilters.parse(given);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--filter: " + e.getMessage());
    }
  }

  /**
   * What {@code --format} asks a list for (see {@link RowTemplate#forList}); a usage error else.
   */
  RowTemplate listFormat(String format, String defaultTable, Map<String, String> fields) {
    try {
      return RowTemplate.forList(format, defaultTable, fields);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
  }

  /**
   * Prints what {@code find} shows of each name as Docker's inspect does: a JSON array, or with
   * {@code format} a line per one (a template over its top-level fields). A name not found gets a
   * line on stderr, the others are still shown.
   *
   * @return the exit code: 1 when a name was not found
   */
  int inspect(
      List<String> names, @Nullable String format, Function<String, Optional<ObjectNode>> find) {
    ArrayNode all = JSON.createArrayNode();
    boolean missing = false;
    for (String name : names) {
      Optional<ObjectNode> found = find.apply(name);
      if (found.isEmpty()) {
        err().println("jstack: " + notFound(name));
        missing = true;
      } else if (format == null) {
        all.add(found.get());
      } else {
        printTemplate(format, found.get());
      }
    }
    if (format == null) {
      try {
        printJson(all);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    out().flush();
    err().flush();
    return missing ? Jstack.EXIT_FAILURE : Jstack.EXIT_OK;
  }

  private void printTemplate(String format, ObjectNode object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> row = JSON.convertValue(object, LinkedHashMap.class);
    Map<String, String> fields = new LinkedHashMap<>();
    row.keySet().forEach(k -> fields.put(k, k));
    RowTemplate template;
    try {
      template = RowTemplate.parse(format, fields);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
    template.print(out(), List.of(row));
  }

  /**
   * Removes each name with {@code remove}, printing it once removed, as {@code docker volume rm}
   * and {@code docker network rm} do; a failure gets a line on stderr, the others are still
   * removed. With {@code force}, a name that is not there is passed over in silence, as {@code
   * docker network rm -f} does ({@code docker volume rm -f} asks the daemon, which counts a missing
   * volume removed, so its name is printed: that command's {@code remove} says so itself).
   *
   * @return the exit code: 1 when one could not be removed
   */
  int removeEach(List<String> names, Consumer<String> remove, boolean force) {
    boolean failed = false;
    for (String name : names) {
      try {
        remove.accept(name);
        out().println(name);
      } catch (EngineException.NotFound e) {
        if (!force) {
          err().println("jstack: " + notFound(name));
          failed = true;
        }
      } catch (EngineException.Conflict e) {
        err()
            .println(
                "jstack: cannot remove "
                    + kind()
                    + " "
                    + name
                    + ", a container uses it: remove that container first ("
                    + e.getMessage()
                    + ")");
        failed = true;
      } catch (EngineException e) {
        err().println("jstack: cannot remove " + kind() + " " + name + ": " + e.getMessage());
        failed = true;
      }
      out().flush();
      err().flush();
    }
    return failed ? Jstack.EXIT_FAILURE : Jstack.EXIT_OK;
  }

  private String notFound(String name) {
    return "no such " + kind() + ": " + name + " (see 'jstack " + kind() + " ls')";
  }

  /**
   * Asks Docker's question after {@code warning} on standard output and reads the answer from
   * standard input.
   *
   * @throws EngineException when the answer is not {@code y}: nothing is done
   */
  void confirm(String warning) {
    boolean yes;
    try {
      yes =
          Confirm.yes(
              out(), root().stdin(), warning + "\nAre you sure you want to continue? [y/N] ");
    } catch (IOException e) {
      throw new EngineException("cannot read the answer from standard input: " + e.getMessage(), e);
    }
    if (!yes) {
      throw new EngineException(
          kind()
              + " prune cancelled, nothing was removed: answer y to go ahead, or pass -f to not be"
              + " asked");
    }
  }

  /** What {@code ls} of volumes and networks share: {@code --format}. */
  @Command
  abstract static class ListVerb extends ResourceVerb {
    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description =
            "table (the default), json, a Go template ('{{.Name}}'), or 'table TEMPLATE'.")
    String format = "table";

    /** What {@code --format} asks for, {@code defaultTable} for {@code table}. */
    RowTemplate template(String defaultTable, Map<String, String> fields) {
      return listFormat(format, defaultTable, fields);
    }
  }

  /**
   * What {@code prune} of volumes and networks share: {@code -f} and {@code --filter}, and Docker's
   * question first unless {@code -f}.
   */
  @Command
  abstract static class PruneVerb extends ResourceVerb implements OwnProcess {
    @Option(
        names = {"-f", "--force"},
        description = "Do not ask for confirmation.")
    boolean force;

    @Option(
        names = "--filter",
        paramLabel = "KEY=VALUE",
        description = "Only these: label=K[=V], label!=K[=V].")
    List<String> filter = new ArrayList<>();

    @Override
    public @Nullable String whyOwnProcess() {
      return force
          ? null
          : kind() + " prune reads its confirmation from standard input (or pass -f)";
    }

    /**
     * Asks, after {@code warning}, unless {@code -f}, then runs {@code prune} with the {@code
     * --filter}s given and {@code more}; prints {@code Deleted <heading>:} and the names removed.
     */
    Engine.Pruned prune(
        String warning,
        ListFilters more,
        String heading,
        java.util.function.BiFunction<Engine, ListFilters, Engine.Pruned> prune) {
      ListFilters filters = filters(filter);
      for (Map.Entry<String, List<String>> f : more.values().entrySet()) {
        for (String v : f.getValue()) {
          filters = filters.with(f.getKey(), v);
        }
      }
      if (!force) {
        confirm(warning);
      }
      ListFilters chosen = filters;
      Engine.Pruned pruned = onEngine(e -> prune.apply(e, chosen));
      if (!pruned.deleted().isEmpty()) {
        out().println("Deleted " + heading + ":");
        pruned.deleted().forEach(out()::println);
        out().println();
      }
      return pruned;
    }
  }
}

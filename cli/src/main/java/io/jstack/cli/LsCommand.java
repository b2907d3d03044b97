package io.jstack.cli;

import io.jstack.compose.ProjectWriter;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.planner.ComposeLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jstack ls}: the projects the engine runs, whoever started them. */
@Command(name = "ls", description = "List running projects (-a: all).")
final class LsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand Jstack root;

  @Option(
      names = {"-a", "--all"},
      description = "Also stopped projects.")
  boolean all;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only project names.")
  boolean quiet;

  @Option(
      names = "--format",
      paramLabel = "table|json",
      description = "Output format (default: table).")
  String format = "table";

  @Override
  public Integer call() {
    Engine engine = root.openEngine();
    try {
      Map<String, List<ContainerInfo>> projects = new TreeMap<>();
      for (ContainerInfo c : engine.containers(Map.of(ComposeLabels.PROJECT, ""))) {
        projects.computeIfAbsent(c.label(ComposeLabels.PROJECT), k -> new ArrayList<>()).add(c);
      }
      var out = spec.commandLine().getOut();
      List<String[]> rows = new ArrayList<>();
      for (Map.Entry<String, List<ContainerInfo>> e : projects.entrySet()) {
        Map<String, Integer> states = new TreeMap<>();
        e.getValue().forEach(c -> states.merge(c.state().dockerName(), 1, Integer::sum));
        if (!all && !states.containsKey("running")) {
          continue;
        }
        StringBuilder status = new StringBuilder();
        states.forEach(
            (s, n) ->
                status
                    .append(status.length() == 0 ? "" : ", ")
                    .append(s)
                    .append('(')
                    .append(n)
                    .append(')'));
        String files = e.getValue().get(0).labels().getOrDefault(ComposeLabels.CONFIG_FILES, "");
        rows.add(new String[] {e.getKey(), status.toString(), files});
      }
      if (quiet) {
        rows.forEach(r -> out.println(r[0]));
      } else if (format.equals("json")) {
        List<Object> list = new ArrayList<>();
        for (String[] r : rows) {
          list.add(Map.of("Name", r[0], "Status", r[1], "ConfigFiles", r[2]));
        }
        out.println(ProjectWriter.jsonLine(list));
      } else {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("NAME", "STATUS", "CONFIG FILES"));
        rows.forEach(r -> table.add(List.of(r)));
        io.jstack.cli.internal.Table.print(out, table);
      }
      out.flush();
      return Jstack.EXIT_OK;
    } finally {
      ProjectCommand.close(engine);
    }
  }
}

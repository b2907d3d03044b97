package io.jstack.cli;

import io.jstack.cli.internal.RowTemplate;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.ListFilters;
import io.jstack.engine.VolumeInfo;
import io.jstack.planner.ComposeLabels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack volumes}: the project's volumes, as {@code docker compose volumes} (Compose 2.23
 * and later) lists them: those carrying the project's label, or with services named, those of them
 * that the services' containers mount.
 */
@Command(name = "volumes", description = "List the project's volumes.")
final class VolumesCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only the volumes these services mount.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Only volume names.")
  boolean quiet;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table (the default), json, a Go template ('{{.Name}}'), or 'table TEMPLATE'.")
  String format = "table";

  @Override
  public Integer call() {
    RowTemplate template;
    try {
      template = RowTemplate.forList(format, VolumeCommands.TABLE, VolumeCommands.FIELDS);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
    LoadedProject loaded = loadOrNamed();
    if (!loaded.project().services().isEmpty()) {
      requireServices(loaded, services);
    }
    String project = loaded.project().name();
    Engine engine = engine();
    try {
      List<VolumeInfo> volumes =
          engine.volumes(ListFilters.none().with("label", ComposeLabels.PROJECT + "=" + project));
      if (!services.isEmpty()) {
        Set<String> mounted = new HashSet<>();
        for (ContainerInfo c : engine.containers(Map.of(ComposeLabels.PROJECT, project))) {
          if (services.contains(c.label(ComposeLabels.SERVICE))) {
            c.mounts().forEach(m -> mounted.add(m.name()));
          }
        }
        volumes = volumes.stream().filter(v -> mounted.contains(v.name())).toList();
      }
      VolumeCommands.print(out(), volumes, quiet, template);
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }
}

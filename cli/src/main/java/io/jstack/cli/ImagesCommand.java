package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.ImageInfo;
import io.jstack.planner.ComposeLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jstack images}: the images the project's containers use. */
@Command(name = "images", description = "List the images used by the project's containers.")
final class ImagesCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Only image ids.")
  boolean quiet;

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, services);
    Engine engine = engine();
    try {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"CONTAINER", "REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
      for (ContainerInfo c :
          engine.containers(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
        if (!services.isEmpty() && !services.contains(c.label(ComposeLabels.SERVICE))) {
          continue;
        }
        Optional<ImageInfo> image = engine.image(c.imageId());
        String ref = c.image();
        int colon = ref.lastIndexOf(':');
        boolean tagged = colon > ref.lastIndexOf('/');
        String id = c.imageId().replaceFirst("^sha256:", "");
        if (quiet) {
          out().println(id);
          continue;
        }
        long size = image.map(ImageInfo::size).orElse(0L);
        rows.add(
            new String[] {
              c.name(),
              tagged ? ref.substring(0, colon) : ref,
              tagged ? ref.substring(colon + 1) : "latest",
              id.substring(0, Math.min(12, id.length())),
              size == 0 ? "" : String.format("%.1fMB", size / 1e6)
            });
      }
      if (!quiet) {
        io.jstack.cli.internal.Table.print(out(), rows.stream().map(List::of).toList());
      }
      out().flush();
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }
}

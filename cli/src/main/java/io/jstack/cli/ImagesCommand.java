package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.ImageReference;
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
        String[] repositoryAndTag = repositoryAndTag(c.image());
        String id = c.imageId().replaceFirst("^sha256:", "");
        if (quiet) {
          out().println(id);
          continue;
        }
        long size = image.map(ImageInfo::size).orElse(0L);
        rows.add(
            new String[] {
              c.name(),
              repositoryAndTag[0],
              repositoryAndTag[1],
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

  /**
   * The REPOSITORY and TAG columns for a container's image: its short name, and its tag ({@code
   * latest} when none is written, {@code <none>} for a digest); what the parser refuses shows as it
   * is, without a tag.
   */
  static String[] repositoryAndTag(String image) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      return new String[] {image, "<none>"};
    }
    return new String[] {ref.familiarName(), ref.tag() == null ? "<none>" : ref.tag()};
  }
}

package io.jstack.cli;

import io.jstack.compose.LoadedProject;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jstack commit}: a new image of a service container's changes (Docker Compose's {@code
 * commit}, as {@code docker commit}); prints its id.
 */
@Command(
    name = "commit",
    description = "Create a new image from a service container's changes.",
    footer = {"", "Example:", "  jstack commit -m 'seeded' -c 'ENV SEEDED=1' db shop/db:seeded"})
final class CommitCommand extends ProjectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SERVICE")
  String service;

  @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
  @Nullable String reference;

  @Option(
      names = {"-a", "--author"},
      paramLabel = "AUTHOR",
      description = "The image's author.")
  @Nullable String author;

  @Option(
      names = {"-c", "--change"},
      paramLabel = "INSTRUCTION",
      description =
          "A Dockerfile instruction to apply to the image (CMD, ENTRYPOINT, ENV, EXPOSE,"
              + " HEALTHCHECK, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR); repeatable.")
  List<String> changes = new ArrayList<>();

  @Option(
      names = {"-m", "--message"},
      paramLabel = "MESSAGE",
      description = "The commit message.")
  @Nullable String message;

  @Option(
      names = {"-p", "--pause"},
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Pause the container while it is committed (default: true).")
  boolean pause = true;

  @Mixin ContainerIndex index = new ContainerIndex();

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, List.of(service));
    Engine engine = engine();
    try {
      ContainerInfo c = index.pick(engine, loaded.project().name(), service);
      out()
          .println(
              engine.commitContainer(
                  c.id(), new Engine.CommitSpec(reference, message, author, changes, pause)));
      return Jstack.EXIT_OK;
    } finally {
      close(engine);
    }
  }
}

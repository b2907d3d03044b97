package io.jstack.cli;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code jstack image build}: a Dockerfile build without a compose file, on the engine {@code
 * --engine} names (the embedded one reads the context directory in place). The build's progress
 * goes to stderr as {@code docker build} prints it; {@code -q} prints only the image ID, on stdout.
 */
@Command(
    name = "build",
    description = "Build an image from a Dockerfile and a context directory.",
    footer = {
      "",
      "Examples:",
      "  jstack image build -t app:dev .",
      "  jstack image build -t app:1 -f docker/Dockerfile --build-arg VERSION=1 --target run ."
    })
final class ImageBuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-t", "--tag"},
      paramLabel = "NAME[:TAG]",
      description = "A name for the image; repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The Dockerfile (default: DIR/Dockerfile).")
  @Nullable Path file;

  @Option(
      names = "--build-arg",
      paramLabel = "KEY[=VALUE]",
      description = "A build argument (KEY alone: its value in the environment); repeatable.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "The stage to build.")
  @Nullable String target;

  @Option(names = "--no-cache", description = "Run every step, using no cached result.")
  boolean noCache;

  @Option(names = "--pull", description = "Always pull newer base images.")
  boolean pull;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description = "A label the image gets; repeatable.")
  List<String> labels = new ArrayList<>();

  @Option(
      names = "--secret",
      paramLabel = "id=ID,src=FILE",
      description =
          "A secret RUN --mount=type=secret may mount (never in a layer); repeatable. On the"
              + " jstack engine only.")
  List<String> secretSpecs = new ArrayList<>();

  @Option(
      names = "--cache-from",
      paramLabel = "IMAGE",
      description =
          "An image whose steps the build may reuse instead of running them (as docker build"
              + " --cache-from); repeatable. One the engine does not have is ignored.")
  List<String> cacheFrom = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the image ID (on stdout), no progress.")
  boolean quiet;

  @Parameters(paramLabel = "DIR", description = "The build context, a directory.")
  Path context;

  @Override
  public Integer call() {
    Jstack root = (Jstack) spec.root().userObject();
    Path dir = root.caller().resolve(context);
    if (!Files.isDirectory(dir)) {
      throw new ParameterException(
          spec.commandLine(), "the build context " + context + " is not a directory");
    }
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : buildArgs) {
      int eq = a.indexOf('=');
      if (eq == 0 || a.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "--build-arg takes KEY=VALUE or KEY, not " + a);
      }
      if (eq < 0) {
        String v = root.environment().get(a);
        if (v != null) {
          args.put(a, v);
        }
      } else {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    Map<String, String> labelMap = new LinkedHashMap<>();
    for (String l : labels) {
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "--label takes KEY=VALUE, not " + l);
      }
      labelMap.put(l.substring(0, eq), l.substring(eq + 1));
    }
    Map<String, Path> secrets = new java.util.TreeMap<>();
    for (String sp : secretSpecs) {
      String id = null;
      Path src = null;
      for (String kv : sp.split(",")) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        String v = eq < 0 ? "" : kv.substring(eq + 1);
        switch (k) {
          case "id" -> id = v;
          case "src", "source" -> src = root.caller().resolve(v);
          case "type" -> {
            if (!v.equals("file")) {
              throw new ParameterException(
                  spec.commandLine(), "--secret type=" + v + " is not supported: use a file");
            }
          }
          default ->
              throw new ParameterException(
                  spec.commandLine(), "--secret takes id=ID,src=FILE, not " + sp);
        }
      }
      if (id == null || id.isEmpty() || src == null || !Files.isRegularFile(src)) {
        throw new ParameterException(
            spec.commandLine(), "--secret takes id=ID,src=FILE with an existing FILE, not " + sp);
      }
      secrets.put(id, src);
    }
    String dockerfile = null;
    String inline = null;
    if (file != null) {
      Path f = root.caller().resolve(file);
      if (!Files.isRegularFile(f)) {
        throw new ParameterException(spec.commandLine(), "no such Dockerfile: " + file);
      }
      if (f.startsWith(dir)) {
        dockerfile = dir.relativize(f).toString();
      } else {
        // Sent as text, under its own name, by which the build's errors name it.
        dockerfile = String.valueOf(f.getFileName());
        try {
          inline = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the Dockerfile " + file, e);
        }
      }
    }
    BuildSpec build =
        new BuildSpec(
            dir,
            dockerfile,
            inline,
            tags,
            args,
            target,
            labelMap,
            noCache,
            pull,
            null,
            null,
            List.of(),
            null,
            secrets,
            cacheFrom);
    PrintWriter err = spec.commandLine().getErr();
    Engine engine = root.openEngine();
    String id;
    try {
      id =
          engine.buildImage(
              build,
              line -> {
                if (!quiet) {
                  err.println(line);
                  err.flush();
                }
              });
    } catch (EngineException e) {
      String name = file == null ? "Dockerfile" : String.valueOf(file.getFileName());
      throw new EngineException(dockerfileError(e.getMessage(), name), e);
    } finally {
      ProjectCommand.close(engine);
    }
    if (quiet) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(id);
      out.flush();
    }
    return Jstack.EXIT_OK;
  }

  /**
   * The engine's error, from its {@code NAME:LINE} on when it names the Dockerfile {@code name}
   * ({@code build image X failed: Dockerfile:3: ...} is {@code Dockerfile:3: ...}: this command
   * builds one image).
   */
  static String dockerfileError(@Nullable String message, String name) {
    if (message == null) {
      return "the build failed";
    }
    int at = message.indexOf(": " + name + ":");
    return at < 0 ? message : message.substring(at + 2);
  }
}

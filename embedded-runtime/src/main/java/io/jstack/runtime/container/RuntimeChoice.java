package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Which OCI runtime the engine runs containers with, and why: the one asked for ({@code --runtime}
 * or {@code JSTACK_RUNTIME}), else of those installed ({@link #KNOWN}) the fastest that runs a
 * container here, each probed with a real, timed run ({@link RuntimeTools#probe}). A runtime that
 * cannot run one here is skipped with a warning that says what to change (crun on a hybrid cgroup
 * host); one asked for that cannot is an error.
 *
 * @param reason one line for {@code jstack engine status}: the runtime and why it was chosen
 * @param warnings what the engine says when it starts
 */
public record RuntimeChoice(RuntimeTools tools, String reason, List<String> warnings) {
  /** The runtimes jstack knows, in its order of preference when probes cannot be timed. */
  public static final List<String> KNOWN = List.of("crun", "runc");

  /** The environment variable that names the runtime. */
  public static final String VARIABLE = "JSTACK_RUNTIME";

  private static @Nullable RuntimeChoice forThisProcess;

  public RuntimeChoice {
    warnings = List.copyOf(warnings);
  }

  /**
   * The choice for this process, made once: by {@code JSTACK_RUNTIME}, else the fastest that runs a
   * container here (probed in a temporary directory, removed after).
   *
   * @throws EngineException as {@link #choose}
   */
  public static synchronized RuntimeChoice forThisProcess() {
    if (forThisProcess == null) {
      Path scratch;
      try {
        scratch = Files.createTempDirectory("runtime-probe-");
      } catch (IOException e) {
        throw new EngineException(
            "cannot make a directory to check the OCI runtime in: " + e.getMessage(), e);
      }
      try {
        forThisProcess = choose(System.getenv(VARIABLE), VARIABLE, scratch);
      } finally {
        try {
          LayerUnpacker.removeTree(scratch);
        } catch (IOException ignored) {
          // A temporary directory.
        }
      }
    }
    return forThisProcess;
  }

  /**
   * Chooses the runtime: {@code requested} (a name of {@link #KNOWN}, or a path) when not blank,
   * which {@code requestedBy} asked for; else the fastest installed one that runs a container here.
   * Probes run in {@code scratch}, which keeps their verdicts.
   *
   * @throws EngineException when conmon or every runtime is missing, the requested one is unknown,
   *     missing or cannot run a container here, or none can
   */
  public static RuntimeChoice choose(@Nullable String requested, String requestedBy, Path scratch) {
    return choose(requested, requestedBy, scratch, RuntimeTools::find);
  }

  /** {@link #choose}, finding each of {@link #KNOWN} by name with {@code find}. */
  static RuntimeChoice choose(
      @Nullable String requested,
      String requestedBy,
      Path scratch,
      Function<String, Optional<Path>> find) {
    Path conmon =
        RuntimeTools.find("conmon").orElseThrow(() -> RuntimeTools.missing("conmon", "conmon"));
    Path init =
        RuntimeTools.find("catatonit").or(() -> RuntimeTools.find("tini-static")).orElse(null);
    if (requested != null && !requested.isBlank()) {
      RuntimeTools tools = new RuntimeTools(requestedPath(requested, requestedBy), conmon, init);
      RuntimeTools.Probe probe;
      try {
        probe = tools.probe(scratch);
      } catch (EngineException e) {
        throw new EngineException(
            tools.name() + ", chosen by " + requestedBy + ": " + e.getMessage(), e);
      }
      return new RuntimeChoice(
          tools,
          tools.name() + " (" + tools.runtime() + "), chosen by " + requestedBy + timed(probe),
          probe.warnings());
    }
    List<Passed> passed = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (String name : KNOWN) {
      Optional<Path> found = find.apply(name);
      if (found.isEmpty()) {
        continue;
      }
      RuntimeTools tools = new RuntimeTools(found.get(), conmon, init);
      try {
        passed.add(new Passed(tools, tools.probe(scratch)));
      } catch (EngineException e) {
        refusals.add(e.getMessage());
      }
    }
    if (passed.isEmpty()) {
      if (refusals.isEmpty()) {
        throw RuntimeTools.missing("an OCI runtime (crun or runc)", "crun runc");
      }
      throw new EngineException(
          "no OCI runtime can run containers here: " + String.join("; ", refusals));
    }
    Passed best = fastest(passed);
    String name = best.tools().name();
    List<String> warnings = new ArrayList<>(best.probe().warnings());
    refusals.forEach(r -> warnings.add(r + "; using " + name + " meanwhile"));
    StringBuilder why = new StringBuilder(name + " (" + best.tools().runtime() + "), ");
    if (passed.size() == 1 && refusals.isEmpty()) {
      why.append("the only runtime installed").append(timed(best.probe()));
    } else if (passed.size() == 1) {
      why.append("the only runtime that runs a container here")
          .append(timed(best.probe()))
          .append("; ")
          .append(String.join("; ", refusals));
    } else {
      List<String> times = new ArrayList<>();
      for (Passed p : passed) {
        long t = p.probe().millis();
        times.add(p.tools().name() + " " + (t < 0 ? "untimed" : t + " ms"));
      }
      why.append("the fastest that runs a container here (")
          .append(String.join(", ", times))
          .append(")");
    }
    return new RuntimeChoice(best.tools(), why.toString(), warnings);
  }

  /** A runtime that ran the probe's container. */
  private record Passed(RuntimeTools tools, RuntimeTools.Probe probe) {}

  /**
   * The timed runtime that took least, ties in {@link #KNOWN}'s order; when none could be timed (no
   * static init to run), runc, which runs on every host jstack supports.
   */
  private static Passed fastest(List<Passed> passed) {
    Passed best = null;
    for (Passed p : passed) {
      long t = p.probe().millis();
      if (t >= 0 && (best == null || t < best.probe().millis())) {
        best = p;
      }
    }
    if (best != null) {
      return best;
    }
    return passed.stream()
        .filter(p -> p.tools().name().equals("runc"))
        .findFirst()
        .orElse(passed.get(0));
  }

  private static String timed(RuntimeTools.Probe p) {
    return p.millis() < 0
        ? " (not timed: no static init to run; apt-get install -y catatonit)"
        : " (a container ran in " + p.millis() + " ms)";
  }

  private static Path requestedPath(String requested, String requestedBy) {
    if (requested.contains("/")) {
      Path p = Path.of(requested);
      if (!Files.isExecutable(p)) {
        throw new EngineException(
            "the OCI runtime "
                + requested
                + " that "
                + requestedBy
                + " names is not an executable file");
      }
      return p;
    }
    String name = requested.strip().toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(name)) {
      throw new EngineException(
          "unknown OCI runtime '"
              + requested
              + "' in "
              + requestedBy
              + ": jstack runs "
              + String.join(" or ", KNOWN)
              + " (or give a path)");
    }
    return RuntimeTools.find(name)
        .orElseThrow(
            () ->
                new EngineException(
                    requestedBy
                        + " asks for "
                        + name
                        + ", which is not installed: apt-get install -y "
                        + name));
  }
}

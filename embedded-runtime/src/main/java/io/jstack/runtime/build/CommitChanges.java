package io.jstack.runtime.build;

import io.jstack.engine.EngineException;
import io.jstack.runtime.build.internal.StageState;
import io.jstack.runtime.image.ImageConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --change} instructions of {@code docker commit} (and {@code import}): Dockerfile
 * instructions that set an image's defaults, applied to the defaults a commit would give its image,
 * as moby's {@code builder/dockerfile} dispatches them for a commit.
 */
public final class CommitChanges {
  /** The instructions a commit takes: those that change no file (moby's validCommitCommands). */
  static final Set<String> ALLOWED =
      Set.of(
          "cmd",
          "entrypoint",
          "env",
          "expose",
          "healthcheck",
          "label",
          "onbuild",
          "stopsignal",
          "user",
          "volume",
          "workdir");

  private CommitChanges() {}

  /**
   * {@code defaults} with each of {@code changes} applied in turn.
   *
   * @throws EngineException.InvalidArgument when a change does not parse as a Dockerfile
   *     instruction, or is one a commit does not take (RUN, COPY, FROM, ...)
   */
  public static ImageConfig apply(ImageConfig defaults, List<String> changes) {
    StageState state = new StageState(null, null, defaults);
    for (String change : changes) {
      String line = change.strip();
      if (line.isEmpty()) {
        continue;
      }
      String keyword = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      if (!ALLOWED.contains(keyword)) {
        throw new EngineException.InvalidArgument(
            keyword.toUpperCase(Locale.ROOT)
                + " is not a valid change command: a commit takes "
                + String.join(", ", ALLOWED.stream().sorted().map(CommitChanges::upper).toList()));
      }
      List<Instruction> parsed;
      try {
        parsed = Dockerfile.parse(line + "\n").instructions();
      } catch (DockerfileException e) {
        throw new EngineException.InvalidArgument(
            "cannot read the change " + line + ": " + e.getMessage());
      }
      for (Instruction in : parsed) {
        if (in instanceof Instruction.Workdir w) {
          state.workdir(w.path());
        } else {
          state.apply(in);
        }
      }
    }
    return state.config();
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}

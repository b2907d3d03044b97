package io.jstack.runtime.build;

import io.jstack.runtime.build.internal.DockerfileLexer;
import io.jstack.runtime.build.internal.InstructionParser;
import io.jstack.runtime.build.internal.RawInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile: its parser directives and its instructions in order, words as written.
 * {@link BuildPlan#of} then substitutes variables and splits it into stages.
 *
 * @param syntax the {@code # syntax=} value, empty when not given
 * @param escape the escape token, {@code \} or {@code `}
 * @param check the {@code # check=} value, empty when not given
 * @param warnings what BuildKit warns about while parsing (empty continuation lines), one line each
 */
public record Dockerfile(
    String syntax,
    char escape,
    String check,
    List<Instruction> instructions,
    List<String> warnings) {
  /**
   * The syntax images that select jstack's frontend: docker/dockerfile:1 and its 1.x tags, with or
   * without docker.io/ and a digest; untagged and latest are 1.x too. The labs channel ({@code
   * 1-labs}, {@code 1.7-labs}, {@code labs}) is accepted as well: BuildKit documents {@code COPY
   * --parents} (and {@code --exclude} before 1.19) only under it, so Dockerfiles using them carry a
   * labs syntax line; a labs-only flag the builder lacks fails at its line like any unknown flag.
   */
  private static final Pattern BUILT_IN =
      Pattern.compile(
          "^(docker\\.io/)?docker/dockerfile(:1(\\.\\d+){0,2}(-labs)?|:labs|:latest)?"
              + "(@sha256:[0-9a-f]{64})?$");

  public Dockerfile {
    instructions = List.copyOf(instructions);
    warnings = List.copyOf(warnings);
  }

  /**
   * Parses a Dockerfile's text.
   *
   * @throws DockerfileException with the line, on a bad directive, an unsupported syntax image, an
   *     unknown instruction, a malformed flag or wrong arguments
   */
  public static Dockerfile parse(String text) {
    DockerfileLexer.Result lexed = DockerfileLexer.lex(text);
    String syntax = lexed.directives().getOrDefault("syntax", "");
    if (!syntax.isEmpty()) {
      String image = syntax.split(" ", 2)[0];
      if (!BUILT_IN.matcher(image).matches()) {
        throw DockerfileException.at(
            syntaxLine(text),
            "the syntax image " + image + " is not supported, jstack builds with its own frontend",
            "use # syntax=docker/dockerfile:1 or remove the line");
      }
    }
    List<Instruction> out = new ArrayList<>();
    for (RawInstruction raw : lexed.instructions()) {
      out.add(InstructionParser.parse(raw));
    }
    return new Dockerfile(
        syntax,
        lexed.escape(),
        lexed.directives().getOrDefault("check", ""),
        out,
        lexed.warnings());
  }

  private static int syntaxLine(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i]
          .replaceAll("\\s", "")
          .toLowerCase(java.util.Locale.ROOT)
          .startsWith("#syntax=")) {
        return i + 1;
      }
    }
    return 1;
  }
}

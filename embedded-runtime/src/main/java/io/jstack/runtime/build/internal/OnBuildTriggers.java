package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Instruction;
import java.util.List;
import java.util.Locale;

/**
 * A base image's ONBUILD triggers read as the Dockerfile lines they were, as BuildKit's {@code
 * dispatchOnBuildTriggers} ({@code frontend/dockerfile/dockerfile2llb/convert.go}) reads them: each
 * one a single instruction, neither FROM, MAINTAINER nor ONBUILD, dispatched right after the FROM
 * of the image. Errors name that FROM's line and the trigger.
 */
public final class OnBuildTriggers {
  private OnBuildTriggers() {}

  /**
   * Parses {@code trigger}, one entry of {@code image}'s {@code OnBuild}, as an instruction on line
   * {@code fromLine}.
   *
   * @throws DockerfileException at {@code fromLine} when the trigger is not one valid instruction
   */
  public static Instruction parse(String trigger, int fromLine, String image) {
    try {
      List<RawInstruction> raws = DockerfileLexer.lex(trigger).instructions();
      if (raws.size() != 1) {
        throw DockerfileException.at(
            fromLine,
            "an ONBUILD trigger should be a single expression",
            "rebuild the base image with one instruction per ONBUILD");
      }
      RawInstruction raw = relined(raws.get(0), fromLine);
      String keyword = raw.keyword().toUpperCase(Locale.ROOT);
      if (keyword.equals("ONBUILD") || keyword.equals("FROM") || keyword.equals("MAINTAINER")) {
        throw DockerfileException.at(
            fromLine,
            keyword + " isn't allowed as an ONBUILD trigger",
            "rebuild the base image without it");
      }
      return InstructionParser.parse(raw);
    } catch (DockerfileException e) {
      throw failed(e, trigger, fromLine, image);
    }
  }

  /**
   * {@code e}, which a trigger of {@code image} caused, named as an error of the FROM on {@code
   * fromLine}.
   */
  public static DockerfileException failed(
      DockerfileException e, String trigger, int fromLine, String image) {
    String prefix = "ONBUILD trigger \"" + oneLine(trigger) + "\" of " + image + ": ";
    if (e.problem().startsWith(prefix)) {
      return e;
    }
    return DockerfileException.at(fromLine, prefix + e.problem(), e.fix());
  }

  private static String oneLine(String trigger) {
    String first = trigger.strip().split("\n", 2)[0];
    return first.length() < trigger.strip().length() ? first + " ..." : first;
  }

  private static RawInstruction relined(RawInstruction r, int line) {
    RawInstruction t = r.trigger() == null ? null : relined(r.trigger(), line);
    return new RawInstruction(
        r.keyword(), r.flags(), r.args(), r.json(), r.original(), r.heredocs(), line, t);
  }
}

package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Command;
import io.jstack.runtime.build.Instruction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** HEALTHCHECK NONE and HEALTHCHECK [options] CMD, as BuildKit's {@code parseHealthcheck}. */
final class Healthchecks {
  private Healthchecks() {}

  static Instruction.Healthcheck parse(RawInstruction raw, Flags flags) {
    List<String> args = raw.args();
    InstructionParser.atLeastOne(args, "HEALTHCHECK");
    String type = args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = args.subList(1, args.size());
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw new LexException("HEALTHCHECK NONE takes no arguments");
      }
      // BuildKit does not read the flags of HEALTHCHECK NONE.
      return new Instruction.Healthcheck(
          raw.line(),
          List.of("NONE"),
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          0);
    }
    flags
        .string("interval")
        .string("timeout")
        .string("start-period")
        .string("start-interval")
        .string("retries")
        .parse(raw.flags());
    if (!type.equals("CMD")) {
      throw new LexException("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    Command cmd = InstructionParser.commandOf(rest, raw.json());
    if (cmd.args().isEmpty()) {
      throw new LexException("Missing command after HEALTHCHECK CMD");
    }
    List<String> test = new ArrayList<>();
    test.add(raw.json() ? "CMD" : "CMD-SHELL");
    test.addAll(cmd.args());
    int retries = 0;
    String r = flags.string("retries", "");
    if (!r.isEmpty()) {
      try {
        retries = Integer.parseInt(r);
      } catch (NumberFormatException e) {
        throw new LexException(
            "strconv.ParseInt: parsing \"" + r + "\": invalid syntax (--retries)");
      }
      if (retries < 0) {
        throw new LexException("--retries cannot be negative (" + retries + ")");
      }
    }
    return new Instruction.Healthcheck(
        raw.line(),
        test,
        InstructionParser.interval("interval", flags.string("interval", "")),
        InstructionParser.interval("timeout", flags.string("timeout", "")),
        InstructionParser.interval("start-period", flags.string("start-period", "")),
        InstructionParser.interval("start-interval", flags.string("start-interval", "")),
        retries);
  }
}

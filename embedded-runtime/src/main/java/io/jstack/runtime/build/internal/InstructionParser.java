package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Command;
import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Heredoc;
import io.jstack.runtime.build.Instruction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Types a {@link RawInstruction}: checks its flags and argument counts with BuildKit's rules and
 * messages ({@code frontend/dockerfile/instructions/parse.go}) and builds the {@link Instruction}
 * record. Nothing is substituted here.
 */
public final class InstructionParser {
  static final List<String> KEYWORDS =
      List.of(
          "ADD",
          "ARG",
          "CMD",
          "COPY",
          "ENTRYPOINT",
          "ENV",
          "EXPOSE",
          "FROM",
          "HEALTHCHECK",
          "LABEL",
          "MAINTAINER",
          "ONBUILD",
          "RUN",
          "SHELL",
          "STOPSIGNAL",
          "USER",
          "VOLUME",
          "WORKDIR");
  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");

  private InstructionParser() {}

  /**
   * The typed instruction.
   *
   * @throws DockerfileException on an unknown instruction, a malformed flag or wrong arguments
   */
  public static Instruction parse(RawInstruction raw) {
    try {
      return typed(raw);
    } catch (Flags.FlagException e) {
      throw DockerfileException.at(raw.line(), String.valueOf(e.getMessage()), e.fix);
    } catch (LexException e) {
      throw DockerfileException.at(
          raw.line(), String.valueOf(e.getMessage()), fixFor(raw.keyword()));
    }
  }

  private static String fixFor(String keyword) {
    return "see https://docs.docker.com/reference/dockerfile/#" + keyword.toLowerCase(Locale.ROOT);
  }

  private static Instruction typed(RawInstruction raw) {
    String keyword = raw.keyword().toUpperCase(Locale.ROOT);
    List<String> args = raw.args();
    int line = raw.line();
    Flags flags = new Flags(keyword);
    switch (keyword) {
      case "FROM":
        {
          flags.string("platform").parse(raw.flags());
          String stageName = "";
          if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
            stageName = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(stageName).matches()) {
              throw new LexException(
                  "invalid name for build stage: \""
                      + args.get(2)
                      + "\", name can't start with a number or contain symbols");
            }
          } else if (args.size() != 1) {
            throw new LexException("FROM requires either one or three arguments");
          }
          return new Instruction.From(line, args.get(0), stageName, flags.string("platform", ""));
        }
      case "RUN":
        {
          flags.strings("mount").string("network").string("security").parse(raw.flags());
          List<String> mounts = flags.strings("mount", List.of());
          for (String m : mounts) {
            // Values with variables are checked once substituted, in the build plan.
            if (m.indexOf('$') < 0) {
              try {
                MountSpec.parse(m, v -> v);
              } catch (LexException e) {
                throw DockerfileException.at(
                    line, String.valueOf(e.getMessage()), StageExpander.MOUNT_DOCS);
              }
            }
          }
          String network = flags.string("network", "default");
          if (!List.of("default", "none", "host").contains(network)) {
            throw new LexException(
                "invalid network mode \"" + network + "\" (use default, none or host)");
          }
          String security = flags.string("security", "sandbox");
          if (!List.of("sandbox", "insecure").contains(security)) {
            throw new LexException(
                "security " + security + " is not valid (use sandbox or insecure)");
          }
          return new Instruction.Run(line, command(raw), mounts, network, security, raw.heredocs());
        }
      case "CMD":
        flags.parse(raw.flags());
        return new Instruction.Cmd(line, command(raw));
      case "ENTRYPOINT":
        flags.parse(raw.flags());
        return new Instruction.Entrypoint(line, command(raw));
      case "ENV":
        flags.parse(raw.flags());
        return new Instruction.Env(line, keyValues(args, keyword));
      case "LABEL":
        flags.parse(raw.flags());
        return new Instruction.Label(line, keyValues(args, keyword));
      case "ARG":
        return arg(raw, flags);
      case "MAINTAINER":
        exactlyOne(args, keyword);
        flags.parse(raw.flags());
        return new Instruction.Maintainer(line, args.get(0));
      case "EXPOSE":
        atLeastOne(args, keyword);
        flags.parse(raw.flags());
        return new Instruction.Expose(line, args);
      case "VOLUME":
        {
          atLeastOne(args, keyword);
          flags.parse(raw.flags());
          List<String> paths = new ArrayList<>();
          for (String v : args) {
            if (v.isBlank()) {
              throw new LexException("VOLUME specified can not be an empty string");
            }
            paths.add(v.strip());
          }
          return new Instruction.Volume(line, paths);
        }
      case "USER":
        exactlyOne(args, keyword);
        flags.parse(raw.flags());
        return new Instruction.User(line, args.get(0));
      case "WORKDIR":
        exactlyOne(args, keyword);
        flags.parse(raw.flags());
        return new Instruction.Workdir(line, args.get(0));
      case "STOPSIGNAL":
        exactlyOne(args, keyword);
        flags.parse(raw.flags());
        return new Instruction.StopSignal(line, args.get(0));
      case "SHELL":
        flags.parse(raw.flags());
        if (args.isEmpty()) {
          throw new LexException("SHELL requires at least one argument");
        }
        if (!raw.json()) {
          throw new LexException("SHELL requires the arguments to be in JSON form");
        }
        return new Instruction.Shell(line, args);
      case "HEALTHCHECK":
        return Healthchecks.parse(raw, flags);
      case "ONBUILD":
        return onbuild(raw, flags);
      case "COPY":
      case "ADD":
        return CopyAdd.parse(raw, flags);
      default:
        throw DockerfileException.at(
            line,
            "unknown instruction: " + raw.keyword(),
            "use one of " + String.join(", ", KEYWORDS));
    }
  }

  /** The command of RUN, CMD or ENTRYPOINT (BuildKit's {@code handleJSONArgs}). */
  static Command command(RawInstruction raw) {
    return commandOf(raw.args(), raw.json());
  }

  static Command commandOf(List<String> args, boolean json) {
    if (json) {
      return Command.exec(args);
    }
    return args.isEmpty() ? new Command(List.of(), false) : Command.shell(String.join(" ", args));
  }

  private static List<Instruction.KeyValue> keyValues(List<String> args, String keyword) {
    atLeastOne(args, keyword);
    List<Instruction.KeyValue> pairs = new ArrayList<>();
    for (int j = 0; j + 2 < args.size(); j += 3) {
      if (args.get(j).isEmpty()) {
        throw new LexException(keyword + " names can not be blank");
      }
      pairs.add(new Instruction.KeyValue(args.get(j), args.get(j + 1)));
    }
    return pairs;
  }

  private static Instruction arg(RawInstruction raw, Flags flags) {
    atLeastOne(raw.args(), "ARG");
    flags.parse(raw.flags());
    List<Instruction.ArgDefinition> defs = new ArrayList<>();
    for (String a : raw.args()) {
      int eq = a.indexOf('=');
      if (eq == 0) {
        throw new LexException("ARG names can not be blank");
      }
      defs.add(
          eq < 0
              ? new Instruction.ArgDefinition(a, null)
              : new Instruction.ArgDefinition(a.substring(0, eq), a.substring(eq + 1)));
    }
    return new Instruction.Arg(raw.line(), defs);
  }

  private static Instruction onbuild(RawInstruction raw, Flags flags) {
    if (raw.trigger() == null) {
      throw new LexException("ONBUILD requires at least one argument");
    }
    flags.parse(raw.flags());
    String trigger = raw.trigger().keyword().toUpperCase(Locale.ROOT);
    if (trigger.equals("ONBUILD")) {
      throw new LexException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }
    if (trigger.equals("MAINTAINER") || trigger.equals("FROM")) {
      throw new LexException(trigger + " isn't allowed as an ONBUILD trigger");
    }
    StringBuilder expression =
        new StringBuilder(
            Pattern.compile("(?i)^\\s*ONBUILD\\s*").matcher(raw.original()).replaceAll(""));
    for (Heredoc doc : raw.heredocs()) {
      expression.append('\n').append(doc.content()).append(doc.name());
    }
    return new Instruction.Onbuild(raw.line(), expression.toString(), parse(raw.trigger()));
  }

  static void atLeastOne(List<String> args, String keyword) {
    if (args.isEmpty()) {
      throw new LexException(keyword + " requires at least one argument");
    }
  }

  static void exactlyOne(List<String> args, String keyword) {
    if (args.size() != 1) {
      throw new LexException(keyword + " requires exactly one argument");
    }
  }

  /** A healthcheck duration flag: empty is zero, otherwise at least a millisecond. */
  static Duration interval(String flag, String value) {
    if (value.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d = Units.goDuration(value);
    if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new LexException("Interval \"" + flag + "\" cannot be less than 1ms");
    }
    return d;
  }
}

package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Heredoc;
import io.jstack.runtime.build.Instruction;
import io.jstack.runtime.build.Mount;
import io.jstack.runtime.build.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Substitutes the instructions of one stage in order, as BuildKit's {@code dockerfile2llb}
 * dispatches them: the stage's environment (base image, ENV, ARGs with values) feeds the
 * substitution of ENV, LABEL, ARG defaults, COPY/ADD sources, destination and --chown/--chmod, ADD
 * --checksum, heredoc sources whose delimiter was not quoted, WORKDIR, USER, VOLUME, EXPOSE,
 * STOPSIGNAL and RUN --mount values. RUN's command, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER
 * and ONBUILD are left as written: the shell, or a later build, reads them.
 */
public final class StageExpander {
  static final String MOUNT_DOCS = "see https://docs.docker.com/reference/dockerfile/#run---mount";

  private final ShellLexer lex;
  private final Map<String, String> globalArgs;
  private final Map<String, String> buildArgs;
  private final Set<String> consumed;
  private final Map<String, String> env;

  /** BuildKit's {@code d.buildArgs}: the ARGs declared in scope, value null when it has none. */
  private final LinkedHashMap<String, String> args;

  /**
   * A stage starting from {@code env} with {@code args} in scope (both inherited from a base stage,
   * or the image's environment and none).
   *
   * @param consumed collects the build arguments an ARG takes a value from
   */
  public StageExpander(
      char escape,
      Map<String, String> globalArgs,
      Map<String, String> buildArgs,
      Map<String, String> env,
      Map<String, String> args,
      Set<String> consumed) {
    this.lex = ShellLexer.of(escape);
    this.globalArgs = globalArgs;
    this.buildArgs = buildArgs;
    this.consumed = consumed;
    this.env = new LinkedHashMap<>(env);
    this.args = new LinkedHashMap<>(args);
  }

  /** The environment at this point of the stage: what a following stage starts from. */
  public Map<String, String> env() {
    return new LinkedHashMap<>(env);
  }

  /** The ARGs in scope at this point, for a stage built on this one. */
  public Map<String, String> args() {
    return new LinkedHashMap<>(args);
  }

  /**
   * Substitutes one instruction and applies its effect (ENV, ARG) to the stage.
   *
   * @throws DockerfileException when a substitution fails, naming the instruction's line
   */
  public Step dispatch(Instruction in) {
    Set<String> read = new LinkedHashSet<>();
    UnaryOperator<String> x = word -> expand(word, read, in);
    List<Mount> mounts = List.of();
    Instruction out = in;
    if (in instanceof Instruction.Env e) {
      List<Instruction.KeyValue> pairs = new ArrayList<>();
      for (Instruction.KeyValue kv : e.pairs()) {
        pairs.add(new Instruction.KeyValue(x.apply(kv.key()), x.apply(kv.value())));
      }
      // All pairs are substituted before any is set: ENV A=1 B=$A reads the old A.
      pairs.forEach(kv -> env.put(kv.key(), kv.value()));
      out = new Instruction.Env(e.line(), pairs);
    } else if (in instanceof Instruction.Arg a) {
      out = arg(a, read);
    } else if (in instanceof Instruction.Label l) {
      List<Instruction.KeyValue> pairs = new ArrayList<>();
      for (Instruction.KeyValue kv : l.pairs()) {
        pairs.add(new Instruction.KeyValue(x.apply(kv.key()), x.apply(kv.value())));
      }
      out = new Instruction.Label(l.line(), pairs);
    } else if (in instanceof Instruction.Copy c) {
      checkFrom(c);
      out =
          new Instruction.Copy(
              c.line(),
              map(c.sources(), x),
              inline(c.inline(), read, in),
              x.apply(c.destination()),
              c.from(),
              x.apply(c.chown()),
              x.apply(c.chmod()),
              c.link(),
              c.excludes(),
              c.parents());
    } else if (in instanceof Instruction.Add a) {
      out =
          new Instruction.Add(
              a.line(),
              map(a.sources(), x),
              inline(a.inline(), read, in),
              x.apply(a.destination()),
              x.apply(a.chown()),
              x.apply(a.chmod()),
              a.link(),
              a.excludes(),
              x.apply(a.checksum()),
              a.keepGitDir(),
              a.unpack());
    } else if (in instanceof Instruction.Workdir w) {
      out = new Instruction.Workdir(w.line(), x.apply(w.path()));
    } else if (in instanceof Instruction.User u) {
      out = new Instruction.User(u.line(), x.apply(u.user()));
    } else if (in instanceof Instruction.StopSignal s) {
      out = new Instruction.StopSignal(s.line(), x.apply(s.signal()));
    } else if (in instanceof Instruction.Volume v) {
      out = new Instruction.Volume(v.line(), map(v.paths(), x));
    } else if (in instanceof Instruction.Expose e) {
      List<String> ports = new ArrayList<>();
      for (String p : e.ports()) {
        ports.addAll(guard(in, () -> withReads(lex.process(p, env), read).words()));
      }
      out = new Instruction.Expose(e.line(), ports);
    } else if (in instanceof Instruction.Run r) {
      List<Mount> parsed = new ArrayList<>();
      for (String m : r.mounts()) {
        try {
          parsed.add(MountSpec.parse(m, x));
        } catch (LexException e) {
          throw DockerfileException.at(in.line(), String.valueOf(e.getMessage()), MOUNT_DOCS);
        }
      }
      mounts = parsed;
      // RUN sees every ARG in scope as an environment variable, so they all key its cache.
      read.addAll(args.keySet());
    }
    return new Step(out, argValues(read), mounts);
  }

  private Instruction.Arg arg(Instruction.Arg a, Set<String> read) {
    List<Instruction.ArgDefinition> defs = new ArrayList<>();
    for (Instruction.ArgDefinition def : a.args()) {
      String key = def.name();
      String value = def.defaultValue();
      // The default for the history: substituted, as BuildKit's frontend, unless a build
      // argument gives the value (then as written: the default is not read at all).
      String written = value;
      boolean hasValue = buildArgs.containsKey(key);
      if (value == null && !hasValue && globalArgs.containsKey(key)) {
        // A global ARG (or a predefined one such as TARGETARCH) redeclared without a default.
        value = globalArgs.get(key);
      } else if (hasValue) {
        value = buildArgs.get(key);
        consumed.add(key);
      } else if (value != null) {
        String d = value;
        value = expand(d, read, a);
        written = value;
      }
      if (value != null) {
        env.put(key, value);
      }
      args.remove(key);
      args.put(key, value);
      read.add(key);
      defs.add(new Instruction.ArgDefinition(key, value, written));
    }
    return new Instruction.Arg(a.line(), defs);
  }

  private void checkFrom(Instruction.Copy c) {
    if (c.from().isEmpty()) {
      return;
    }
    String plain = guard(c, () -> lex.processWord(c.from(), Map.of()));
    if (!plain.equals(c.from())) {
      throw DockerfileException.at(
          c.line(),
          "variable expansion is not supported for --from",
          "define a new stage with FROM using ARG from global scope as a workaround");
    }
  }

  private List<Heredoc> inline(List<Heredoc> docs, Set<String> read, Instruction in) {
    List<Heredoc> out = new ArrayList<>();
    for (Heredoc d : docs) {
      if (!d.expand()) {
        out.add(d);
        continue;
      }
      // Heredoc bodies are substituted without quote processing, with \ as escape token.
      ShellLexer raw = ShellLexer.of('\\').skipProcessQuotes();
      String text = guard(in, () -> withReads(raw.process(d.text(), env), read).word());
      out.add(new Heredoc(d.name(), text, true, false, d.fileDescriptor()));
    }
    return out;
  }

  private String expand(String word, Set<String> read, Instruction in) {
    return guard(in, () -> withReads(lex.process(word, env), read).word());
  }

  private static ShellLexer.Result withReads(ShellLexer.Result r, Set<String> read) {
    read.addAll(r.matched());
    return r;
  }

  private Map<String, String> argValues(Set<String> read) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> a : args.entrySet()) {
      if (read.contains(a.getKey())) {
        // As BuildKit's runCommandString: the environment's value wins (a later ENV).
        String v = env.getOrDefault(a.getKey(), a.getValue());
        out.put(a.getKey(), v == null ? "" : v);
      }
    }
    return out;
  }

  private static List<String> map(List<String> words, UnaryOperator<String> x) {
    List<String> out = new ArrayList<>();
    for (String w : words) {
      out.add(x.apply(w));
    }
    return out;
  }

  static <T> T guard(Instruction in, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (LexException e) {
      throw substitutionError(in, e);
    }
  }

  /** The error for a word of {@code in} that cannot be substituted. */
  public static DockerfileException substitutionError(Instruction in, LexException e) {
    return DockerfileException.at(
        in.line(),
        e.getMessage() + " in " + in.keyword(),
        "check the quotes and ${...} forms, or escape $ as \\$");
  }
}

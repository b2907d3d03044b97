package io.jstack.runtime.build;

import io.jstack.runtime.build.internal.OnBuildTriggers;
import io.jstack.runtime.build.internal.ShellLexer;
import io.jstack.runtime.build.internal.StageExpander;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A Dockerfile's stages in order, with variables substituted and build arguments scoped as
 * BuildKit's frontend does ({@code frontend/dockerfile/dockerfile2llb/convert.go}): ARGs before the
 * first FROM are global and only FROM lines see them, unless a stage declares them again; build
 * arguments override ARG defaults; a later ENV overrides an ARG; the platform ARGs (BUILDPLATFORM,
 * TARGETARCH, ...) are predefined globals; the proxy arguments (HTTP_PROXY, ...) reach RUN without
 * an ARG.
 *
 * @param stages the stages in the order written
 * @param globalArgs the global ARGs and predefined platform ARGs with their final values
 * @param proxyEnv the proxy build arguments given, passed to every RUN but kept out of cache keys
 * @param unusedBuildArgs build arguments no ARG consumed (Docker warns about them)
 */
public record BuildPlan(
    List<Stage> stages,
    Map<String, String> globalArgs,
    Map<String, String> proxyEnv,
    Set<String> unusedBuildArgs) {
  private static final Set<String> PROXY_ARGS =
      Set.of("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy");

  public BuildPlan {
    stages = List.copyOf(stages);
    globalArgs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(globalArgs));
    proxyEnv = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(proxyEnv));
    unusedBuildArgs = java.util.Collections.unmodifiableSet(new TreeSet<>(unusedBuildArgs));
  }

  /**
   * Plans {@code dockerfile} for {@code options}.
   *
   * @throws DockerfileException when an instruction comes before the first FROM, a FROM's image or
   *     platform substitutes to nothing, or a substitution fails
   */
  public static BuildPlan of(Dockerfile dockerfile, BuildOptions options) {
    Map<String, String> buildArgs = options.buildArgs();
    Set<String> consumed = new LinkedHashSet<>();
    Map<String, String> globals = predefinedArgs(options);
    ShellLexer lex = ShellLexer.of(dockerfile.escape());
    List<Instruction> all = dockerfile.instructions();
    int i = 0;
    for (; i < all.size() && !(all.get(i) instanceof Instruction.From); i++) {
      Instruction in = all.get(i);
      if (!(in instanceof Instruction.Arg a)) {
        throw DockerfileException.at(
            in.line(),
            in.keyword() + " comes before the first FROM",
            "only ARG may come before FROM; move it into a stage");
      }
      for (Instruction.ArgDefinition def : a.args()) {
        String value = def.defaultValue();
        if (buildArgs.containsKey(def.name())) {
          value = buildArgs.get(def.name());
          consumed.add(def.name());
        } else if (value != null) {
          value = substitute(lex, value, globals, null, a);
        }
        if (value != null) {
          globals.put(def.name(), value);
        }
      }
    }
    if (i == all.size()) {
      throw DockerfileException.at(
          all.get(all.size() - 1).line(), "the Dockerfile has no FROM", "add FROM <image>");
    }
    List<Stage> stages = new ArrayList<>();
    Map<String, Integer> byName = new LinkedHashMap<>();
    List<StageExpander> finished = new ArrayList<>();
    while (i < all.size()) {
      Instruction.From from = (Instruction.From) all.get(i++);
      Map<String, String> fromArgs = new LinkedHashMap<>();
      String image = substitute(lex, from.image(), globals, fromArgs, from);
      if (image.isEmpty()) {
        throw DockerfileException.at(
            from.line(),
            "base name (" + from.image() + ") should not be blank",
            "set the build argument it uses or give it a default in a global ARG");
      }
      String platform = "";
      if (!from.platform().isEmpty()) {
        platform = substitute(lex, from.platform(), globals, fromArgs, from);
        if (platform.isEmpty()) {
          throw DockerfileException.at(
              from.line(),
              "empty platform value from expression " + from.platform(),
              "set the build argument it uses, e.g. --platform=$BUILDPLATFORM");
        }
      }
      Stage.Base base = baseOf(image, byName);
      StageExpander stage;
      if (base instanceof Stage.Base.StageRef ref) {
        StageExpander parent = finished.get(ref.index());
        stage =
            new StageExpander(
                dockerfile.escape(), globals, buildArgs, parent.env(), parent.args(), consumed);
      } else {
        Map<String, String> env = new LinkedHashMap<>();
        if (base instanceof Stage.Base.Image img) {
          for (String kv : options.imageEnv().apply(img.reference())) {
            int eq = kv.indexOf('=');
            env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
          }
        }
        stage = new StageExpander(dockerfile.escape(), globals, buildArgs, env, Map.of(), consumed);
      }
      List<Step> steps = new ArrayList<>();
      // BuildKit runs the triggers of the base, an image's or an earlier stage's ONBUILDs.
      List<String> triggers = new ArrayList<>();
      if (base instanceof Stage.Base.Image img) {
        triggers.addAll(options.imageOnBuild().apply(img.reference()));
      } else if (base instanceof Stage.Base.StageRef ref) {
        for (Step st : stages.get(ref.index()).steps()) {
          if (st.instruction() instanceof Instruction.Onbuild o) {
            triggers.add(o.expression());
          }
        }
      }
      for (String t : triggers) {
        Instruction trigger = OnBuildTriggers.parse(t, from.line(), image);
        try {
          steps.add(stage.dispatch(trigger).triggeredBy(t));
        } catch (DockerfileException e) {
          throw OnBuildTriggers.failed(e, t, from.line(), image);
        }
      }
      for (; i < all.size() && !(all.get(i) instanceof Instruction.From); i++) {
        steps.add(stage.dispatch(all.get(i)));
      }
      int index = stages.size();
      stages.add(new Stage(index, from.stageName(), base, platform, fromArgs, steps, from.line()));
      finished.add(stage);
      if (!from.stageName().isEmpty()) {
        byName.put(from.stageName(), index);
      }
    }
    Map<String, String> proxyByKind = new java.util.HashMap<>();
    Set<String> unused = new TreeSet<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(buildArgs).entrySet()) {
      if (PROXY_ARGS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        // As BuildKit: by sorted name, so http_proxy wins over HTTP_PROXY.
        proxyByKind.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
      } else if (!consumed.contains(e.getKey())
          && !predefinedArgs(options).containsKey(e.getKey())) {
        unused.add(e.getKey());
      }
    }
    // Each given proxy variable reaches RUN in both cases, as BuildKit's exec sets them.
    Map<String, String> proxy = new LinkedHashMap<>();
    for (String kind : List.of("http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy")) {
      String v = proxyByKind.get(kind);
      if (v != null && !v.isEmpty()) {
        proxy.put(kind.toUpperCase(Locale.ROOT), v);
        proxy.put(kind, v);
      }
    }
    return new BuildPlan(stages, globals, proxy, unused);
  }

  /**
   * A stage or image stage {@code stage} reads, and the line that names it.
   *
   * @param base what is read: an earlier stage, an image, or scratch
   * @param line its FROM's, COPY --from's or RUN --mount from='s line
   */
  public record Read(Stage.Base base, int line) {}

  /**
   * What stage {@code stage} reads, in the order its lines name them: its base (FROM), then what
   * each COPY --from and RUN --mount from= names.
   */
  public List<Read> reads(int stage) {
    List<Read> out = new java.util.ArrayList<>();
    Stage s = stages().get(stage);
    out.add(new Read(s.base(), s.line()));
    for (Step st : s.steps()) {
      if (st.instruction() instanceof Instruction.Copy c && !c.from().isEmpty()) {
        out.add(new Read(source(c.from(), stage), c.line()));
      }
      for (Mount m : st.mounts()) {
        if (!m.from().isEmpty()) {
          out.add(new Read(source(m.from(), stage), st.instruction().line()));
        }
      }
    }
    return out;
  }

  /**
   * What COPY --from or RUN --mount from= names, seen from stage {@code stageIndex}: an earlier
   * stage by name or index, else an image.
   */
  public Stage.Base source(String nameOrIndex, int stageIndex) {
    if (nameOrIndex.matches("\\d+")) {
      int idx = Integer.parseInt(nameOrIndex);
      if (idx < stageIndex) {
        return new Stage.Base.StageRef(idx);
      }
    }
    String lower = nameOrIndex.toLowerCase(Locale.ROOT);
    for (int s = 0; s < stageIndex && s < stages.size(); s++) {
      if (stages.get(s).name().equals(lower)) {
        return new Stage.Base.StageRef(s);
      }
    }
    return baseOf(nameOrIndex, Map.of());
  }

  private static Stage.Base baseOf(String image, Map<String, Integer> byName) {
    // Stage names are lower case; an image reference never matches one by accident since
    // BuildKit compares the substituted name case-insensitively too.
    Integer ref = byName.get(image.toLowerCase(Locale.ROOT));
    if (ref != null) {
      return new Stage.Base.StageRef(ref);
    }
    return image.equals("scratch") ? new Stage.Base.Scratch() : new Stage.Base.Image(image);
  }

  private static String substitute(
      ShellLexer lex,
      String word,
      Map<String, String> env,
      @Nullable Map<String, String> reads,
      Instruction in) {
    try {
      ShellLexer.Result r = lex.process(word, env);
      if (reads != null) {
        r.matched().forEach(k -> reads.put(k, env.get(k)));
      }
      return r.word();
    } catch (io.jstack.runtime.build.internal.LexException e) {
      throw StageExpander.substitutionError(in, e);
    }
  }

  /** BuildKit's {@code defaultArgs}: the platform ARGs, which build arguments may override. */
  private static Map<String, String> predefinedArgs(BuildOptions options) {
    String[] b = platform(options.buildPlatform());
    String[] t = platform(options.targetPlatform());
    Map<String, String> m = new LinkedHashMap<>();
    m.put("BUILDPLATFORM", format(b));
    m.put("BUILDOS", b[0]);
    m.put("BUILDOSVERSION", "");
    m.put("BUILDARCH", b[1]);
    m.put("BUILDVARIANT", b[2]);
    m.put("TARGETPLATFORM", format(t));
    m.put("TARGETOS", t[0]);
    m.put("TARGETOSVERSION", "");
    m.put("TARGETARCH", t[1]);
    m.put("TARGETVARIANT", t[2]);
    m.put("TARGETSTAGE", options.target().isEmpty() ? "default" : options.target());
    m.replaceAll((k, v) -> options.buildArgs().getOrDefault(k, v));
    return m;
  }

  private static String[] platform(String p) {
    String[] parts = p.split("/", 3);
    return new String[] {
      parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : ""
    };
  }

  private static String format(String[] p) {
    return p[0] + "/" + p[1] + (p[2].isEmpty() ? "" : "/" + p[2]);
  }
}

package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Command;
import io.jstack.runtime.build.Instruction;
import io.jstack.runtime.image.Healthcheck;
import io.jstack.runtime.image.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a stage is while it builds: the image it has reached (null for an empty {@code scratch}
 * before its first step) and the image defaults its instructions have set so far. Metadata
 * instructions change only the defaults, as BuildKit's {@code dispatch*} functions do in {@code
 * frontend/dockerfile/dockerfile2llb/convert.go}.
 */
public final class StageState {
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  private @Nullable String manifest;
  private @Nullable String reference;

  /** Names {@link #manifest} when {@link #reference} is first asked for; null once named. */
  private @Nullable Function<String, String> naming;

  private boolean cmdSet;
  private List<String> entrypoint;
  private List<String> cmd;
  private final Map<String, String> env = new LinkedHashMap<>();
  private @Nullable String workingDir;
  private @Nullable String user;
  private final Map<String, String> labels;
  private final TreeSet<String> exposedPorts;
  private final TreeSet<String> volumes;
  private @Nullable String stopSignal;
  private @Nullable Healthcheck healthcheck;
  private List<String> shell;
  private final List<String> onBuild;

  /**
   * A stage starting at image {@code manifest} (null for scratch), which {@code reference} names,
   * with its {@code defaults}.
   */
  public StageState(@Nullable String manifest, @Nullable String reference, ImageConfig defaults) {
    this.manifest = manifest;
    this.reference = reference;
    entrypoint = defaults.entrypoint();
    cmd = defaults.cmd();
    for (String e : defaults.env()) {
      env.put(e.split("=", 2)[0], e);
    }
    workingDir = defaults.workingDir();
    user = defaults.user();
    labels = new TreeMap<>(defaults.labels());
    exposedPorts = new TreeSet<>(defaults.exposedPorts());
    volumes = new TreeSet<>(defaults.volumes());
    stopSignal = defaults.stopSignal();
    healthcheck = defaults.healthcheck();
    shell = defaults.shell();
    // A child build runs its base's triggers; they are not inherited.
    onBuild = new ArrayList<>();
  }

  /** The defaults of {@code scratch}: no files, and BuildKit's default PATH. */
  public static ImageConfig scratchDefaults() {
    return new ImageConfig(
        List.of(),
        List.of(),
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        null,
        null,
        Map.of(),
        List.of(),
        null,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  /** The image reached, or null while the stage is an empty scratch. */
  public @Nullable String manifest() {
    return manifest;
  }

  /**
   * A name of the image reached (a build's own tag), or null while it is an empty scratch. An image
   * reached {@link #reachedUnnamed unnamed} is named now.
   */
  public synchronized @Nullable String reference() {
    Function<String, String> n = naming;
    if (reference == null && manifest != null && n != null) {
      reference = n.apply(manifest);
      naming = null;
    }
    return reference;
  }

  /** The stage has reached image {@code manifestDigest}, which {@code ref} names. */
  public synchronized void reached(String manifestDigest, String ref) {
    this.manifest = manifestDigest;
    this.reference = ref;
    this.naming = null;
  }

  /**
   * The stage has reached image {@code manifestDigest}, which something else keeps in the store (a
   * cache entry, a tag of the user's): {@code naming} gives it a name only if a step needs one (a
   * container of it, a {@code COPY --from} of the stage). A build whose steps are all cached so
   * writes no tag for them.
   */
  public synchronized void reachedUnnamed(String manifestDigest, Function<String, String> naming) {
    this.manifest = manifestDigest;
    this.reference = null;
    this.naming = naming;
  }

  /** The defaults as the image will have them. */
  public ImageConfig config() {
    return new ImageConfig(
        entrypoint,
        cmd,
        new ArrayList<>(env.values()),
        workingDir,
        user,
        labels,
        new ArrayList<>(exposedPorts),
        stopSignal,
        healthcheck,
        new ArrayList<>(volumes),
        shell,
        onBuild);
  }

  /** {@code KEY=value} of every variable set. */
  public List<String> env() {
    return new ArrayList<>(env.values());
  }

  /** The working directory, {@code /} when none is set. */
  public String workingDir() {
    return workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
  }

  /** The user, or null for root. */
  public @Nullable String user() {
    return user == null || user.isEmpty() ? null : user;
  }

  /** The argv of a RUN, CMD or ENTRYPOINT command: the exec form as is, the shell form by SHELL. */
  public List<String> argv(Command c) {
    if (c.execForm()) {
      return c.args();
    }
    List<String> argv = new ArrayList<>(shell.isEmpty() ? DEFAULT_SHELL : shell);
    argv.add(c.args().get(0));
    return argv;
  }

  /** Sets the working directory as WORKDIR does: relative to the current one. */
  public String workdir(String path) {
    workingDir = workdirOf(path);
    return workingDir;
  }

  /** The working directory WORKDIR {@code path} would set, not set. */
  public String workdirOf(String path) {
    String abs = path.startsWith("/") ? path : workingDir().replaceAll("/$", "") + "/" + path;
    return java.nio.file.Path.of(abs).normalize().toString();
  }

  /**
   * Applies a metadata instruction (one that changes no file) and returns how history records it,
   * as BuildKit words it; null when BuildKit records none (ONBUILD) or {@code in} is no metadata
   * instruction.
   */
  public @Nullable String apply(Instruction in) {
    if (in instanceof Instruction.Env e) {
      StringBuilder h = new StringBuilder("ENV");
      for (Instruction.KeyValue kv : e.pairs()) {
        env.put(kv.key(), kv.key() + "=" + kv.value());
        h.append(' ').append(kv.key()).append('=').append(kv.value());
      }
      return h.toString();
    }
    if (in instanceof Instruction.Label l) {
      StringBuilder h = new StringBuilder("LABEL");
      for (Instruction.KeyValue kv : l.pairs()) {
        labels.put(kv.key(), kv.value());
        h.append(' ').append(kv.key()).append('=').append(kv.value());
      }
      return h.toString();
    }
    if (in instanceof Instruction.Arg a) {
      StringBuilder h = new StringBuilder("ARG");
      for (Instruction.ArgDefinition d : a.args()) {
        h.append(' ').append(d.name()).append(d.written() == null ? "" : "=" + d.written());
      }
      return h.toString();
    }
    if (in instanceof Instruction.Cmd c) {
      cmd = argv(c.command());
      cmdSet = true;
      return "CMD " + HistoryText.quoted(cmd);
    }
    if (in instanceof Instruction.Entrypoint e) {
      entrypoint = argv(e.command());
      // As Docker: a new entrypoint drops the command inherited with the old one.
      if (!cmdSet) {
        cmd = List.of();
      }
      return "ENTRYPOINT " + HistoryText.quoted(entrypoint);
    }
    if (in instanceof Instruction.User u) {
      user = u.user();
      return "USER " + u.user();
    }
    if (in instanceof Instruction.Expose e) {
      List<String> ports = new ArrayList<>();
      for (String p : e.ports()) {
        ports.addAll(
            portRange(p.contains("/") ? p.toLowerCase(java.util.Locale.ROOT) : p + "/tcp"));
      }
      exposedPorts.addAll(ports);
      return "EXPOSE " + HistoryText.ports(ports);
    }
    if (in instanceof Instruction.Volume v) {
      volumes.addAll(v.paths());
      return "VOLUME " + HistoryText.plain(v.paths());
    }
    if (in instanceof Instruction.StopSignal s) {
      stopSignal = s.signal();
      return "STOPSIGNAL " + s.signal();
    }
    if (in instanceof Instruction.Healthcheck h) {
      healthcheck =
          new Healthcheck(
              h.test(), h.interval(), h.timeout(), h.startPeriod(), h.startInterval(), h.retries());
      return HistoryText.healthcheck(
          h.test(), h.interval(), h.timeout(), h.startPeriod(), h.retries());
    }
    if (in instanceof Instruction.Shell s) {
      shell = s.shell();
      return "SHELL " + HistoryText.plain(s.shell());
    }
    if (in instanceof Instruction.Onbuild o) {
      onBuild.add(o.expression());
      // BuildKit records no history for it (the classic builder does).
      return null;
    }
    if (in instanceof Instruction.Maintainer m) {
      return "MAINTAINER " + m.name();
    }
    return null;
  }

  /** The author MAINTAINER sets, or null. */
  public static @Nullable String author(Instruction in) {
    return in instanceof Instruction.Maintainer m ? m.name() : null;
  }

  /**
   * A port spec as the image config has it: a range ({@code 8000-8002/tcp}) is each of its ports,
   * as BuildKit's EXPOSE writes them.
   */
  private static List<String> portRange(String spec) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)-(\\d+)(/.*)").matcher(spec);
    if (!m.matches()) {
      return List.of(spec);
    }
    int from = Integer.parseInt(m.group(1));
    int to = Integer.parseInt(m.group(2));
    if (from > to || to > 65535) {
      return List.of(spec);
    }
    List<String> ports = new ArrayList<>();
    for (int port = from; port <= to; port++) {
      ports.add(port + m.group(3));
    }
    return ports;
  }
}

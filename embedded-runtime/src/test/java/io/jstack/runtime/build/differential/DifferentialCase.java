package io.jstack.runtime.build.differential;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One Dockerfile of the differential suite: a directory under {@link #ROOT} holding the Dockerfile
 * and its context, and optionally {@code case.properties} (how to build it, what to expect) and
 * {@code expected.txt} (the result, for features dockerd 20.10's BuildKit lacks; see {@link
 * Expected}). Files named {@code case.properties}, {@code expected.txt} and the directory {@code
 * served/} (files the test serves over HTTP on 127.0.0.1) are not part of the context.
 *
 * <p>The keys of {@code case.properties}:
 *
 * <ul>
 *   <li>{@code ci=true}: in the subset CI runs;
 *   <li>{@code dockerfile}: the Dockerfile's name, {@code Dockerfile} by default;
 *   <li>{@code args}: {@code K=V;K2=V2}, the build arguments; {@code ${URL}} stands for the base
 *       URL of the files the test serves;
 *   <li>{@code target}: the stage to build;
 *   <li>{@code secret}: {@code id=ID,src=FILE}, a secret from the context, for BuildKit;
 *   <li>{@code classic}: {@code same} (default: the classic builder gives BuildKit's image), {@code
 *       differs: WHY} (it gives another one; the suite checks that it still does), or {@code
 *       unsupported: WHY} (it refuses the Dockerfile, or cannot take what the case needs);
 *   <li>{@code fails}: a regular expression found in BuildKit's output when the build must fail;
 *       {@code failsLine}: the line the embedded engine names ({@code Dockerfile:LINE});
 *   <li>{@code modes}: {@code PATH=0600;PATH2=0700}, modes set on context files (git keeps only the
 *       executable bit; everything else is 0644 and directories 0755);
 *   <li>{@code symlinks}: {@code PATH=TARGET;...}, symbolic links made in the context;
 *   <li>{@code mkdirs}: {@code PATH;...}, empty directories made in the context (git keeps none);
 *   <li>{@code mountStubs}: {@code PATH;...}, the empty directories dockerd 20.10's BuildKit (0.8)
 *       leaves in a layer where a {@code RUN --mount} target did not exist. BuildKit since v0.9
 *       removes them after the RUN (moby/buildkit executor/stubs.go, {@code MountStubsCleaner}),
 *       and so does the embedded engine: the suite takes them out of BuildKit's tree, each of which
 *       must be there as an empty directory, and checks that the embedded engine's tree lacks them.
 * </ul>
 */
record DifferentialCase(String name, Path dir, Properties props) {
  /** Where the cases are, from the module's directory (where Maven runs tests). */
  static final Path ROOT = Path.of("src/test/resources/io/jstack/runtime/build/differential");

  /** The keys {@code case.properties} may hold. */
  static final Set<String> KEYS =
      Set.of(
          "ci",
          "dockerfile",
          "args",
          "target",
          "secret",
          "classic",
          "fails",
          "failsLine",
          "modes",
          "symlinks",
          "mkdirs",
          "mountStubs");

  private static final Set<String> NOT_CONTEXT =
      Set.of("case.properties", "expected.txt", "served");

  /** Every case, by name. */
  static List<DifferentialCase> all() throws IOException {
    if (!Files.isDirectory(ROOT)) {
      throw new IOException(
          ROOT.toAbsolutePath() + " is missing: run the test from the embedded-runtime module");
    }
    List<DifferentialCase> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(ROOT)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        cases.add(load(d));
      }
    }
    return cases;
  }

  static DifferentialCase load(Path dir) throws IOException {
    Properties p = new Properties();
    Path file = dir.resolve("case.properties");
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    for (String k : p.stringPropertyNames()) {
      if (!KEYS.contains(k)) {
        throw new IOException(file + ": unknown key " + k + "; the keys are " + KEYS);
      }
    }
    return new DifferentialCase(dir.getFileName().toString(), dir, p);
  }

  boolean ci() {
    return Boolean.parseBoolean(props.getProperty("ci", "false"));
  }

  String dockerfile() {
    return props.getProperty("dockerfile", "Dockerfile");
  }

  Optional<String> target() {
    return Optional.ofNullable(props.getProperty("target"));
  }

  /** The {@code mountStubs} paths, absolute, as the image trees name them. */
  List<String> mountStubs() {
    return list("mountStubs");
  }

  Optional<String> secret() {
    return Optional.ofNullable(props.getProperty("secret"));
  }

  /** {@code same}, {@code differs} or {@code unsupported}. */
  String classic() {
    String c = props.getProperty("classic", "same");
    return c.contains(":") ? c.substring(0, c.indexOf(':')).trim() : c.trim();
  }

  /** Why the classic builder differs from BuildKit or does not build this, as the case says. */
  String classicWhy() {
    String c = props.getProperty("classic", "same");
    return c.contains(":") ? c.substring(c.indexOf(':') + 1).trim() : "";
  }

  Optional<String> fails() {
    return Optional.ofNullable(props.getProperty("fails"));
  }

  Optional<String> failsLine() {
    return Optional.ofNullable(props.getProperty("failsLine"));
  }

  /** The build arguments, with {@code ${URL}} replaced by the given base URL. */
  Map<String, String> args(String url) {
    return pairs("args", url);
  }

  boolean hasExpected() {
    return Files.exists(dir.resolve("expected.txt"));
  }

  Expected expected() throws IOException {
    return Expected.parse(dir.resolve("expected.txt"));
  }

  boolean serves() {
    return Files.isDirectory(dir.resolve("served"));
  }

  /** Copies the context into {@code into}, with the modes, links and directories the case sets. */
  void prepare(Path into) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path src : all.sorted().toList()) {
        Path rel = dir.relativize(src);
        if (rel.toString().isEmpty() || NOT_CONTEXT.contains(rel.getName(0).toString())) {
          continue;
        }
        Path dst = into.resolve(rel.toString());
        if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dst);
          Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
          Files.copy(src, dst);
          boolean exec = Files.isExecutable(src);
          Files.setPosixFilePermissions(
              dst, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
    for (String d : list("mkdirs")) {
      Files.createDirectories(into.resolve(d));
    }
    for (Map.Entry<String, String> l : pairs("symlinks", "").entrySet()) {
      Files.createSymbolicLink(into.resolve(l.getKey()), Path.of(l.getValue()));
    }
    for (Map.Entry<String, String> m : pairs("modes", "").entrySet()) {
      Files.setPosixFilePermissions(into.resolve(m.getKey()), permissions(m.getValue()));
    }
  }

  private static Set<PosixFilePermission> permissions(String octal) {
    int mode = Integer.parseInt(octal, 8);
    StringBuilder s = new StringBuilder();
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  private List<String> list(String key) {
    String v = props.getProperty(key, "").trim();
    return v.isEmpty() ? List.of() : List.of(v.split(";"));
  }

  private Map<String, String> pairs(String key, String url) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : list(key)) {
      int eq = kv.indexOf('=');
      m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).replace("${URL}", url));
    }
    return m;
  }
}

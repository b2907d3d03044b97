package io.jstack.engine.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A build context's exclusions: a .dockerignore file read as moby/patternmatcher's {@code
 * ignorefile.ReadAll} reads it, matched with Docker's rules (see {@link PatternMatcher}), and the
 * check that lets a context walk skip an excluded directory as BuildKit's fsutil does. The one
 * implementation of these rules: the context jstack sends to an engine, the embedded builder's
 * context, and compose's {@code develop.watch} {@code ignore} and {@code include} patterns all use
 * it.
 */
public final class DockerIgnore {
  private static final String PATTERN_CHARS = "*[]?^\\";

  private final PatternMatcher matcher;
  private final @Nullable Path file;
  private final boolean onlyPrefixExclusions;

  private DockerIgnore(PatternMatcher matcher, @Nullable Path file) {
    this.matcher = matcher;
    this.file = file;
    boolean prefixOnly = true;
    for (String p : matcher.exclusionPatterns()) {
      if (containsAny(withoutTrailingGlob(p), PATTERN_CHARS)) {
        prefixOnly = false;
      }
    }
    this.onlyPrefixExclusions = prefixOnly;
  }

  /** Nothing excluded. */
  public static DockerIgnore none() {
    return new DockerIgnore(PatternMatcher.of(List.of()), null);
  }

  /**
   * Reads a .dockerignore file's text: {@code #} comments at the start of a line, blank lines
   * skipped, each pattern trimmed and cleaned, a leading {@code /} dropped, {@code !} kept.
   *
   * @param file the file's name for messages, e.g. {@code .dockerignore}
   * @throws PatternException naming the file and line of a malformed pattern
   */
  public static DockerIgnore parse(String text, String file) {
    return new DockerIgnore(PatternMatcher.of(patterns(text, file)), null);
  }

  private static List<String> patterns(String text, String file) {
    String[] lines =
        text.startsWith("\uFEFF") ? text.substring(1).split("\n", -1) : text.split("\n", -1);
    List<String> patterns = new ArrayList<>();
    for (int n = 0; n < lines.length; n++) {
      String line =
          lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
      if (line.startsWith("#")) {
        continue;
      }
      String pattern = line.strip();
      if (pattern.isEmpty()) {
        continue;
      }
      boolean invert = pattern.charAt(0) == '!';
      if (invert) {
        pattern = pattern.substring(1).strip();
      }
      if (!pattern.isEmpty()) {
        pattern = GoPaths.clean(pattern);
        if (pattern.length() > 1 && pattern.charAt(0) == '/') {
          pattern = pattern.substring(1);
        }
      }
      pattern = invert ? "!" + pattern : pattern;
      try {
        PatternMatcher.of(List.of(pattern));
      } catch (IllegalArgumentException e) {
        throw new PatternException(file, n + 1, String.valueOf(e.getMessage()));
      }
      patterns.add(pattern);
    }
    return patterns;
  }

  /**
   * The ignore file for a build: {@code <Dockerfile>.dockerignore} next to the Dockerfile when it
   * exists, else {@code .dockerignore} at the context's root (as BuildKit chooses), else nothing
   * excluded.
   *
   * @param dockerfile the Dockerfile's path, e.g. {@code context/build/app.Dockerfile}
   * @throws PatternException on a malformed pattern
   * @throws UncheckedIOException when an existing file cannot be read
   */
  public static DockerIgnore load(Path context, Path dockerfile) {
    Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
    Path general = context.resolve(".dockerignore");
    for (Path p : List.of(specific, general)) {
      if (Files.isRegularFile(p)) {
        try {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          return new DockerIgnore(PatternMatcher.of(patterns(text, p.getFileName().toString())), p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
      }
    }
    return none();
  }

  /** The file {@link #load} read; empty when there was none, or for parsed text. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The patterns in order, as matched. */
  public List<String> patterns() {
    return matcher.patterns();
  }

  /**
   * Whether the context-relative, slash-separated {@code path} is left out of the context: the last
   * pattern that matches it or a parent directory decides. The context root itself never is.
   */
  public boolean excludes(String path) {
    String p = GoPaths.clean(path);
    if (p.equals(".")) {
      return false;
    }
    return matcher.matchesOrParentMatches(p);
  }

  /**
   * Whether a walk of the context may skip directory {@code dir} without looking inside: it is
   * excluded and no {@code !} pattern could bring back something under it (fsutil's filter: only
   * when every exception is a plain path, and none starts with {@code dir/}).
   */
  public boolean canSkipDirectory(String dir) {
    if (!excludes(dir) || !onlyPrefixExclusions) {
      return false;
    }
    String dirSlash = GoPaths.clean(dir) + "/";
    for (String p : matcher.exclusionPatterns()) {
      if ((withoutTrailingGlob(p) + "/").startsWith(dirSlash)) {
        return false;
      }
    }
    return true;
  }

  private static String withoutTrailingGlob(String p) {
    String s = p.endsWith("/**") ? p.substring(0, p.length() - 3) : p;
    return s.endsWith("/*") ? s.substring(0, s.length() - 2) : s;
  }

  private static boolean containsAny(String s, String chars) {
    for (char c : chars.toCharArray()) {
      if (s.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * A malformed pattern in an ignore file; the message is one line, {@code FILE:LINE: what is
   * wrong; what to do}.
   */
  public static final class PatternException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final String FIX =
        "fix the pattern; see https://docs.docker.com/build/concepts/context/#dockerignore-files";

    private final String file;
    private final int line;
    private final String problem;

    PatternException(String file, int line, String problem) {
      super(file + ":" + line + ": " + problem + "; " + FIX);
      this.file = file;
      this.line = line;
      this.problem = problem;
    }

    /** The file's name as given to {@link #parse}, e.g. {@code .dockerignore}. */
    public String file() {
      return file;
    }

    /** The 1-based line of the pattern. */
    public int line() {
      return line;
    }

    /** What is wrong, in moby's words, without the location. */
    public String problem() {
      return problem;
    }

    /** What to do about it. */
    public String fix() {
      return FIX;
    }
  }
}

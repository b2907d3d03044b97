package io.jstack.engine.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Docker's .dockerignore pattern matcher, rule for rule as moby/patternmatcher ({@code
 * patternmatcher.go}, Unix separators): patterns are cleaned paths; {@code *} and {@code ?} stop at
 * {@code /}, {@code **} crosses it, {@code [...]} and {@code \} escapes as in Go's filepath.Match;
 * a pattern starting with {@code !} re-includes; the last pattern that matches decides; a path is
 * matched when it or one of its parent directories is. Like Go's filepath.Match, and unlike a
 * shell, a class is negated by {@code ^} only: {@code [!a]} matches {@code !} or {@code a}. {@link
 * DockerIgnore} reads a .dockerignore file into one; the embedded builder matches {@code COPY
 * --parents} sources with one.
 */
public final class PatternMatcher {
  private final List<Entry> patterns;
  private final boolean exclusions;

  private enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEXP
  }

  private record Entry(String cleaned, boolean exclusion, Kind kind, @Nullable Pattern regexp) {
    boolean matches(String path) {
      switch (kind) {
        case EXACT:
          return path.equals(cleaned);
        case PREFIX:
          return path.startsWith(cleaned.substring(0, cleaned.length() - 2));
        case SUFFIX:
          {
            String suffix = cleaned.substring(2);
            // **/foo also matches foo itself.
            return path.endsWith(suffix)
                || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
          }
        default:
          // Only an entry of kind REGEX gets here, and it has its pattern.
          return java.util.Objects.requireNonNull(regexp).matcher(path).matches();
      }
    }
  }

  private PatternMatcher(List<Entry> patterns) {
    this.patterns = List.copyOf(patterns);
    this.exclusions = patterns.stream().anyMatch(Entry::exclusion);
  }

  /**
   * Compiles {@code patterns}; blank ones are skipped.
   *
   * @throws IllegalArgumentException naming the first malformed pattern, in moby's words ({@link
   *     DockerIgnore#parse} checks each line first, to say which)
   */
  public static PatternMatcher of(List<String> patterns) {
    List<Entry> out = new ArrayList<>();
    for (String raw : patterns) {
      String p = raw.strip();
      if (p.isEmpty()) {
        continue;
      }
      p = GoPaths.clean(p);
      boolean exclusion = false;
      if (p.charAt(0) == '!') {
        if (p.length() == 1) {
          throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
        }
        exclusion = true;
        p = p.substring(1);
      }
      if (!GoPaths.validGlob(p)) {
        throw new IllegalArgumentException("syntax error in pattern " + raw.strip());
      }
      out.add(compile(p, exclusion));
    }
    return new PatternMatcher(out);
  }

  /** Whether any pattern starts with {@code !}. */
  public boolean hasExclusions() {
    return exclusions;
  }

  /** The cleaned patterns, {@code !} kept, in order. */
  public List<String> patterns() {
    List<String> out = new ArrayList<>();
    for (Entry e : patterns) {
      out.add(e.exclusion ? "!" + e.cleaned : e.cleaned);
    }
    return out;
  }

  /** The exclusion patterns ({@code !} removed), in order. */
  public List<String> exclusionPatterns() {
    List<String> out = new ArrayList<>();
    for (Entry e : patterns) {
      if (e.exclusion) {
        out.add(e.cleaned);
      }
    }
    return out;
  }

  /**
   * Whether the slash-separated {@code file} is matched, by itself or through a parent directory
   * (patternmatcher's {@code MatchesOrParentMatches}).
   */
  public boolean matchesOrParentMatches(String file) {
    boolean matched = false;
    for (Entry p : patterns) {
      // An inclusion cannot change a match, nor an exclusion a non-match.
      if (p.exclusion != matched) {
        continue;
      }
      boolean match = p.matches(file) || parentMatches(p, file);
      if (match) {
        matched = !p.exclusion;
      }
    }
    return matched;
  }

  /**
   * Per-pattern results for a directory, handed to its children while walking; {@link #NONE} at the
   * root.
   */
  public record MatchInfo(boolean[] parentMatched) {
    public static final MatchInfo NONE = new MatchInfo(new boolean[0]);
  }

  /** The outcome of {@link #matchesUsingParentResults}. */
  public record Result(boolean matched, MatchInfo info) {}

  /**
   * Whether {@code file} is matched, reusing its parent directory's per-pattern results instead of
   * rematching every parent (patternmatcher's {@code MatchesUsingParentResults}).
   */
  public Result matchesUsingParentResults(String file, MatchInfo parent) {
    boolean[] parentMatched = parent.parentMatched();
    if (parentMatched.length != 0 && parentMatched.length != patterns.size()) {
      throw new IllegalArgumentException("wrong number of values in parentMatched");
    }
    boolean matched = false;
    boolean[] info = new boolean[patterns.size()];
    for (int i = 0; i < patterns.size(); i++) {
      Entry p = patterns.get(i);
      boolean match = parentMatched.length != 0 && parentMatched[i];
      if (!match) {
        if (p.exclusion != matched) {
          continue;
        }
        // Without the parent's results, the parents are checked here.
        match = p.matches(file) || (parentMatched.length == 0 && parentMatches(p, file));
      }
      info[i] = match;
      if (match) {
        matched = !p.exclusion;
      }
    }
    return new Result(matched, new MatchInfo(info));
  }

  /** Whether {@code p} matches one of the directories {@code file} is in. */
  private static boolean parentMatches(Entry p, String file) {
    String parent = GoPaths.dir(file);
    if (parent.equals(".")) {
      return false;
    }
    String[] dirs = parent.split("/", -1);
    for (int i = 0; i < dirs.length; i++) {
      if (p.matches(String.join("/", java.util.Arrays.copyOfRange(dirs, 0, i + 1)))) {
        return true;
      }
    }
    return false;
  }

  private static Entry compile(String pattern, boolean exclusion) {
    StringBuilder re = new StringBuilder("^");
    Kind kind = Kind.EXACT;
    int[] cps = pattern.codePoints().toArray();
    int pos = 0;
    for (int i = 0; pos < cps.length; i++) {
      int ch = cps[pos++];
      if (ch == '*') {
        if (pos < cps.length && cps[pos] == '*') {
          pos++;
          // **/ is the same as **.
          if (pos < cps.length && cps[pos] == '/') {
            pos++;
          }
          if (pos == cps.length) {
            // A trailing ** matches everything below, as .gitignore.
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              re.append(".*");
              kind = Kind.REGEXP;
            }
          } else {
            // Any number of directories, even none.
            re.append("(.*/)?");
            kind = Kind.REGEXP;
          }
          if (i == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          kind = Kind.REGEXP;
        }
      } else if (ch == '?') {
        re.append("[^/]");
        kind = Kind.REGEXP;
      } else if (".+()|{}$".indexOf(ch) >= 0) {
        re.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        if (pos < cps.length) {
          re.append('\\').appendCodePoint(cps[pos++]);
          kind = Kind.REGEXP;
        } else {
          re.append("\\\\");
        }
      } else if (ch == '[' || ch == ']') {
        re.appendCodePoint(ch);
        kind = Kind.REGEXP;
      } else {
        re.appendCodePoint(ch);
      }
    }
    Pattern regexp = null;
    if (kind == Kind.REGEXP) {
      re.append('$');
      try {
        regexp = Pattern.compile(re.toString(), Pattern.UNIX_LINES);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("syntax error in pattern " + pattern);
      }
    }
    return new Entry(pattern, exclusion, kind, regexp);
  }
}

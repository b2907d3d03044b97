package io.jstack.engine.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} rules, as the Docker CLI applies them to a build context: patterns with
 * {@code *}, {@code ?}, {@code [...]} and {@code **}, a leading {@code !} to re-include, the last
 * matching rule winning; a rule that matches a directory matches everything below it. Compose's
 * {@code develop.watch} rules take the same patterns for {@code ignore} and {@code include}.
 */
public final class DockerIgnore {
  private record Rule(Pattern pattern, boolean exclude) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  /** The rules in the text of a {@code .dockerignore} file. */
  public static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exclude = true;
      if (line.startsWith("!")) {
        exclude = false;
        line = line.substring(1).strip();
      }
      line = clean(line);
      if (line.isEmpty()) {
        continue;
      }
      rules.add(new Rule(Pattern.compile(regex(line)), exclude));
    }
    return new DockerIgnore(rules);
  }

  /** No rules: nothing is left out. */
  public static DockerIgnore none() {
    return new DockerIgnore(List.of());
  }

  /** Whether {@code path} (relative, with {@code /}) is left out of the context. */
  public boolean excludes(String path) {
    boolean excluded = false;
    for (Rule r : rules) {
      if (matches(r.pattern(), path)) {
        excluded = r.exclude();
      }
    }
    return excluded;
  }

  /** A pattern matches the path itself or any directory above it. */
  private static boolean matches(Pattern p, String path) {
    if (p.matcher(path).matches()) {
      return true;
    }
    for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      if (p.matcher(path.substring(0, i)).matches()) {
        return true;
      }
    }
    return false;
  }

  private static String clean(String pattern) {
    String p = pattern.replace('\\', '/');
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }

  private static String regex(String pattern) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
            i++;
            sb.append("(.*/)?");
          } else {
            sb.append(".*");
          }
        } else {
          sb.append("[^/]*");
        }
      } else if (c == '?') {
        sb.append("[^/]");
      } else if (c == '[') {
        int end = pattern.indexOf(']', i);
        if (end < 0) {
          sb.append("\\[");
        } else {
          String cls = pattern.substring(i + 1, end);
          sb.append('[')
              .append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls)
              .append(']');
          i = end;
        }
      } else if ("\\.+(){}|^$".indexOf(c) >= 0) {
        sb.append('\\').append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}

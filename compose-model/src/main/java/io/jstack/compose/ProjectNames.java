package io.jstack.compose;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Compose project names: what a name may contain, and how a directory name becomes one.
 *
 * <p>A name given by the user ({@code -p}, {@code COMPOSE_PROJECT_NAME}, top-level {@code name:})
 * must already be valid; a name derived from the project directory is normalised first, as Docker
 * Compose does.
 */
public final class ProjectNames {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^-_a-z0-9]+");

  private ProjectNames() {}

  /** True when {@code name} is a valid project name as it stands. */
  public static boolean isValid(String name) {
    return VALID.matcher(name).matches();
  }

  /**
   * Lower-cases {@code raw}, drops every character outside {@code [a-z0-9_-]}, then drops leading
   * {@code _} and {@code -}; the result may be empty when nothing usable is left.
   */
  public static String normalize(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    String kept = INVALID_CHARS.matcher(lower).replaceAll("");
    int start = 0;
    while (start < kept.length() && (kept.charAt(start) == '_' || kept.charAt(start) == '-')) {
      start++;
    }
    return kept.substring(start);
  }

  /**
   * Why {@code name} is not a valid project name, in words fit for an error message, or the empty
   * string when it is valid.
   */
  public static String problem(String name) {
    if (name.isEmpty()) {
      return "project name must not be empty";
    }
    if (isValid(name)) {
      return "";
    }
    String suggestion = normalize(name);
    return "invalid project name \""
        + name
        + "\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as"
        + " well as start with a letter or number"
        + (suggestion.isEmpty() ? "" : " (try \"" + suggestion + "\")");
  }
}

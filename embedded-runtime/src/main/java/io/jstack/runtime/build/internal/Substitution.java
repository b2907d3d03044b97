package io.jstack.runtime.build.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The modifiers of {@code ${NAME<op>word}} once the word is read: defaults, alternatives, required
 * values, prefix and suffix removal and pattern replacement, with BuildKit's semantics ({@code
 * frontend/dockerfile/shell/lex.go} {@code processDollar}). Patterns are shell wildcards ({@code *}
 * and {@code ?}, no bracket expressions), converted to regular expressions as BuildKit's {@code
 * convertShellPatternToRegex} does.
 */
final class Substitution {
  private Substitution() {}

  /** Applies {@code op} ({@code - + ? # %}) to the variable; {@code value} is null when unset. */
  static String modify(
      String name,
      @Nullable String value,
      int op,
      boolean nullIsUnset,
      String word,
      String opText) {
    boolean empty = value == null || value.isEmpty();
    switch (op) {
      case '-':
        return value == null || (nullIsUnset && empty) ? word : value;
      case '+':
        return value == null || (nullIsUnset && empty) ? "" : word;
      case '?':
        if (value == null) {
          throw new LexException(
              name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
        }
        if (nullIsUnset && empty) {
          throw new LexException(
              name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
        }
        return value;
      case '#':
      case '%':
        {
          // # and % remove the shortest match, ## and %% the longest.
          boolean greedy = !word.isEmpty() && word.charAt(0) == op;
          String pattern = greedy ? word.substring(1) : word;
          String v = value != null ? value : "";
          return op == '%' ? trimSuffix(pattern, v, greedy) : trimPrefix(pattern, v, greedy);
        }
      default:
        throw new LexException("unsupported modifier (" + opText + ") in substitution");
    }
  }

  /** {@code ${NAME/pattern/replacement}}, or every match with {@code ${NAME//...}}. */
  static String replace(String value, String pattern, String replacement, boolean all) {
    Pattern re = toRegex(pattern, true, false);
    Matcher m = re.matcher(value);
    // Literal replacement: Go's ReplaceAllString would also expand $1-style references in it.
    String literal = Matcher.quoteReplacement(replacement);
    return all ? m.replaceAll(literal) : m.replaceFirst(literal);
  }

  static Pattern toRegex(String pattern, boolean greedy, boolean anchored) {
    StringBuilder out = new StringBuilder();
    if (anchored) {
      out.append('^');
    }
    int[] cps = pattern.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int tok = cps[i];
      switch (tok) {
        case '*':
          out.append(greedy ? ".*" : ".*?");
          continue;
        case '?':
          out.append('.');
          continue;
        case '\\':
          {
            int peek = i + 1 < cps.length ? cps[i + 1] : -1;
            // } and / had to be escaped inside ${}; the escape is not part of the pattern.
            if (peek == '}' || peek == '/') {
              continue;
            }
            if (peek != '*' && peek != '?' && peek != '\\') {
              throw new LexException(
                  "invalid pattern ("
                      + pattern
                      + ") in substitution: invalid escape '\\"
                      + (peek < 0 ? "" : new String(Character.toChars(peek)))
                      + "'");
            }
            out.append('\\').appendCodePoint(peek);
            i++;
            continue;
          }
        default:
          if ("[]{}.+()|^$".indexOf(tok) >= 0) {
            out.append('\\');
          }
          out.appendCodePoint(tok);
      }
    }
    try {
      return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      throw new LexException("invalid pattern (" + pattern + ") in substitution");
    }
  }

  static String trimPrefix(String pattern, String value, boolean greedy) {
    Matcher m = toRegex(pattern, greedy, true).matcher(value);
    return m.find() ? value.substring(m.end()) : value;
  }

  static String trimSuffix(String pattern, String value, boolean greedy) {
    // A regular expression finds the leftmost match only, so reverse both and trim a prefix.
    String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
    return reverse(reversed);
  }

  /** Reverses a pattern but keeps each escape before the character it escapes. */
  static String reversePattern(String pattern) {
    int[] in = pattern.codePoints().toArray();
    int[] out = new int[in.length];
    int last = in.length - 1;
    for (int i = 0; i <= last; ) {
      int tok = in[i];
      int o = last - i;
      if (tok == '\\' && i != last) {
        out[o - 1] = tok;
        out[o] = in[i + 1];
        i += 2;
      } else {
        out[o] = tok;
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  static String reverse(String s) {
    int[] cps = s.codePoints().toArray();
    StringBuilder b = new StringBuilder(s.length());
    for (int i = cps.length - 1; i >= 0; i--) {
      b.appendCodePoint(cps[i]);
    }
    return b.toString();
  }
}

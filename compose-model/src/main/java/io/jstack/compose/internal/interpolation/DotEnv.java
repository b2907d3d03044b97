package io.jstack.compose.internal.interpolation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Compose's env-file syntax ({@code .env}, {@code env_file:}), with the semantics of compose-go's
 * {@code dotenv} package.
 *
 * <p>A statement is {@code [export] KEY=value} or {@code KEY: value}; blank lines and lines
 * starting with {@code #} are skipped. Keys may hold letters, digits, {@code _ . - [ ]}. Values are
 * unquoted (to the end of the line, cut at the first {@code " #"}, trailing spaces trimmed),
 * single-quoted (literal, may span lines) or double-quoted (may span lines; shell escapes such as
 * {@code \n} and {@code \0123} are expanded). Unquoted and double-quoted values are interpolated
 * like Compose files. A bare {@code KEY} takes its value from the lookup, or is left out.
 *
 * <p>Variables in values are resolved from the lookup first and only then from the file, as in
 * compose-go: the process environment overrides what the file itself defines, also for the file's
 * own references. A redefined key keeps the position of its first definition.
 */
public final class DotEnv {
  private DotEnv() {}

  /**
   * Parses the text of an env file into an insertion-ordered map. {@code lookup} (normally the
   * process environment) returns empty for an unset variable; it is consulted first for every
   * variable a value refers to, before the variables defined earlier in the file, and it resolves
   * bare {@code KEY} lines with no {@code =}, which are dropped when it has no value.
   *
   * @throws DotEnvException naming the line of the first statement that cannot be parsed
   */
  public static Map<String, String> parse(
      String content, Function<String, Optional<String>> lookup) {
    return parse(content, Map.of(), lookup, name -> {});
  }

  /**
   * Parses an env file on top of {@code earlier}, the variables of the env files read before it, as
   * Compose does for several {@code --env-file}s: references resolve from {@code lookup}, then from
   * this file and {@code earlier} combined, and the result is {@code earlier} overridden by this
   * file, in insertion order. {@code onUnset} is told every referenced variable that is unset and
   * has no default (Compose substitutes "" and warns).
   *
   * @throws DotEnvException naming the line of the first statement that cannot be parsed
   */
  public static Map<String, String> parse(
      String content,
      Map<String, String> earlier,
      Function<String, Optional<String>> lookup,
      Consumer<String> onUnset) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(earlier, "earlier");
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(onUnset, "onUnset");
    Parser parser = new Parser(content, earlier, lookup, onUnset);
    parser.run();
    return Collections.unmodifiableMap(parser.out);
  }

  /** A scan over one file's text; {@code pos} and {@code line} only move forwards. */
  private static final class Parser {
    private final String src;
    private final int n;
    private final Function<String, Optional<String>> lookup;
    private final Consumer<String> onUnset;
    private final LinkedHashMap<String, String> out;
    private int pos;
    private int line = 1;

    Parser(
        String src,
        Map<String, String> earlier,
        Function<String, Optional<String>> lookup,
        Consumer<String> onUnset) {
      this.src = src;
      this.n = src.length();
      this.lookup = lookup;
      this.onUnset = onUnset;
      this.out = new LinkedHashMap<>(earlier);
      // Editors on Windows like to start files with a byte-order mark; it is not part of a key.
      this.pos = n > 0 && src.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    void run() {
      while (skipToStatement()) {
        statement();
      }
    }

    /** Moves past blank space and comments; false at the end of the text. */
    private boolean skipToStatement() {
      while (true) {
        while (pos < n && isSpace(src.charAt(pos))) {
          if (src.charAt(pos) == '\n') {
            line++;
          }
          pos++;
        }
        if (pos >= n) {
          return false;
        }
        if (src.charAt(pos) != '#') {
          return true;
        }
        int newline = src.indexOf('\n', pos);
        if (newline < 0) {
          pos = n;
          return false;
        }
        pos = newline;
      }
    }

    private void statement() {
      final int statementLine = line;
      // compose-go tests for "export" followed by regexp \s, i.e. [\t\n\f\r ] (no \v), then
      // drops the horizontal space after it; a newline stays and leaves an empty key.
      if (src.startsWith("export", pos)
          && pos + 6 < n
          && "\t\n\f\r ".indexOf(src.charAt(pos + 6)) >= 0) {
        pos += 6;
        skipInlineSpace();
        if (pos >= n) {
          throw new DotEnvException(statementLine, "expected a variable name after \"export\"");
        }
      }

      int keyStart = pos;
      int keyEnd = -1;
      char terminator = 0;
      for (int i = keyStart; i < n; ) {
        int cp = src.codePointAt(i);
        if (cp == '=' || cp == ':' || cp == '\n') {
          keyEnd = i;
          terminator = (char) cp;
          break;
        }
        // Inner spaces are allowed here and rejected below, so the error can say why.
        if (!isInlineSpace(cp) && !isKeyChar(cp)) {
          int newline = src.indexOf('\n', keyStart);
          throw new DotEnvException(
              statementLine,
              "unexpected character "
                  + Template.goQuote(new String(Character.toChars(cp)))
                  + " in variable name "
                  + Template.goQuote(src.substring(keyStart, newline < 0 ? n : newline)));
        }
        i += Character.charCount(cp);
      }
      // A bare KEY on the last line, without a newline, is read like one with a newline
      // (compose-go would store its text as the value of an empty key).
      boolean inherited = keyEnd < 0 || terminator == '\n';
      if (keyEnd < 0) {
        keyEnd = n;
      }
      String key = src.substring(keyStart, trimEnd(src, keyStart, keyEnd));
      if (key.indexOf(' ') >= 0) {
        throw new DotEnvException(statementLine, "key cannot contain a space");
      }
      pos = Math.min(keyEnd + 1, n);

      if (inherited) {
        // compose-go skips this count when the untrimmed key holds a space ("KEY  "), so its
        // later line numbers are one short; jstack counts every line.
        if (terminator == '\n') {
          line++;
        }
        lookup(key).ifPresent(value -> out.put(key, value));
        return;
      }
      skipInlineSpace();
      String value = value(statementLine);
      out.put(key, value);
    }

    private String value(int statementLine) {
      if (pos < n && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')) {
        return quoted(statementLine);
      }
      int newline = src.indexOf('\n', pos);
      int end = newline < 0 ? n : newline;
      String value = src.substring(pos, end);
      pos = newline < 0 ? n : newline + 1;
      line++;
      // Only " #" starts a comment, so "a#b" and URLs with fragments survive.
      int comment = value.indexOf(" #");
      if (comment >= 0) {
        value = value.substring(0, comment);
      }
      value = value.substring(0, trimEnd(value, 0, value.length()));
      return interpolate(value, statementLine);
    }

    /**
     * Reads a quoted value. A backslash keeps the next character, and both are kept unless that
     * character is the closing quote; double-quoted values then get their escapes expanded.
     */
    private String quoted(int statementLine) {
      final int start = pos;
      final char quote = src.charAt(start);
      StringBuilder raw = new StringBuilder();
      boolean escaped = false;
      for (int i = start + 1; i < n; i++) {
        char c = src.charAt(i);
        if (c == '\n') {
          line++;
        }
        if (c != quote) {
          if (!escaped && c == '\\') {
            escaped = true;
            continue;
          }
          if (escaped) {
            escaped = false;
            raw.append('\\');
          }
          raw.append(c);
          continue;
        }
        if (escaped) {
          escaped = false;
          raw.append(c);
          continue;
        }
        // Whatever follows the closing quote on this line is read as the next statement, as in
        // compose-go: a comment, more blank space, or even another KEY=value.
        pos = i + 1;
        String value = raw.toString();
        return quote == '"' ? interpolate(expandEscapes(value), statementLine) : value;
      }
      int newline = src.indexOf('\n', start);
      throw new DotEnvException(
          statementLine,
          "unterminated quoted value " + src.substring(start, newline < 0 ? n : newline));
    }

    private String interpolate(String value, int statementLine) {
      if (value.indexOf('$') < 0) {
        return value;
      }
      try {
        return Template.substitute(value, this::resolve, onUnset);
      } catch (TemplateException e) {
        throw new DotEnvException(statementLine, e);
      }
    }

    private Optional<String> resolve(String name) {
      Optional<String> found = lookup(name);
      return found.isPresent() ? found : Optional.ofNullable(out.get(name));
    }

    private Optional<String> lookup(String name) {
      return Objects.requireNonNull(lookup.apply(name), "lookup result");
    }

    private void skipInlineSpace() {
      while (pos < n && isInlineSpace(src.charAt(pos))) {
        pos++;
      }
    }
  }

  /**
   * Expands the escapes compose-go recognises in double-quoted values: {@code \a \b \f \n \r \t \v
   * \\ \"}, {@code \0} plus three octal digits, and {@code \$} for a literal dollar. Anything else,
   * including {@code \c} and malformed octal (which loses its {@code 0}), is left as written.
   */
  static String expandEscapes(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    int n = s.length();
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == n) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      i += 2;
      switch (next) {
        case 'a':
          out.append('\u0007');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'v':
          out.append('\u000B');
          break;
        case '\\':
        case '"':
          out.append(next);
          break;
        case '$':
          out.append("$$"); // interpolation turns it back into one literal '$'
          break;
        case '0':
          {
            int digitsStart = i;
            while (i < n && i < digitsStart + 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
              i++;
            }
            int octal = parseOctalByte(s, digitsStart, i);
            if (octal >= 0) {
              out.append((char) octal);
            } else {
              // compose-go rewrites "\0" to "\" before trying, and keeps the rewritten text.
              out.append('\\').append(s, digitsStart, i);
            }
            break;
          }
        default:
          // Not an escape (\c is matched by compose-go but is not one either): keep the
          // backslash, and read the next character afresh.
          out.append('\\');
          i--;
      }
    }
    return out.toString();
  }

  /** The value of exactly three octal digits in s[from, to) when at most 255, else -1. */
  private static int parseOctalByte(String s, int from, int to) {
    if (to - from != 3) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c > '7') {
        return -1;
      }
      value = value * 8 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  /** Go's {@code unicode.IsLetter || unicode.IsNumber}, or one of {@code _ . - [ ]}. */
  private static boolean isKeyChar(int cp) {
    if (cp == '_' || cp == '.' || cp == '-' || cp == '[' || cp == ']' || Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /** Space that stays within a line, as compose-go's parser defines it. */
  private static boolean isInlineSpace(int c) {
    return c == '\t' || c == 0x0B || c == '\f' || c == '\r' || c == ' ' || c == 0x85 || c == 0xA0;
  }

  /** Go's {@code unicode.IsSpace}: the Unicode White_Space characters. */
  private static boolean isSpace(char c) {
    if (c <= 0xFF) {
      return c == '\n' || isInlineSpace(c);
    }
    return c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** The end of s[from, to) once trailing white space is trimmed. */
  private static int trimEnd(String s, int from, int to) {
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }
}

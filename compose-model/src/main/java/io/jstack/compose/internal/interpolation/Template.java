package io.jstack.compose.internal.interpolation;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Compose variable interpolation ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} and the
 * other operators), with the semantics of Docker Compose v2, i.e. of compose-go's {@code template}
 * package.
 *
 * <p>compose-go implements interpolation as one regular expression plus a brace counter, and a few
 * consequences of that are visible to users. This scanner reproduces them, rather than a tidier
 * grammar, so that a file interpolates the same under jstack as under {@code docker compose}:
 *
 * <ul>
 *   <li>A name is {@code [_a-zA-Z][_a-zA-Z0-9]*}; there are no dotted names.
 *   <li>A {@code $} not followed by {@code $}, a name or <code>{</code> is kept as it is, including
 *       a {@code $} at the very end.
 *   <li>An expression with an operator, such as <code>${A:-x}</code>, first reaches to the last
 *       <code>}</code> on its line. Its end is then found by counting braces, skipping the
 *       character right after every <code>{</code>. When the braces balance, that is the natural
 *       end and the text after it is interpolated normally. When they never balance (e.g. <code>
 *       ${A:-{}} ${B}</code>), the whole stretch up to that last <code>}</code> is the operand.
 *   <li>Operands (defaults, alternatives, error messages) are interpolated only when used, so an
 *       unused <code>${X:?}</code> inside them neither fails nor warns.
 *   <li>An invalid expression inside an operand, or after an operand on the same line, reports that
 *       fragment rather than the whole template, as compose-go does.
 * </ul>
 */
public final class Template {
  /**
   * How many expressions may nest inside each other's operands. compose-go recurses without limit;
   * real files nest two or three levels, and a limit keeps absurd input from exhausting the Java
   * stack.
   */
  static final int MAX_NESTING = 100;

  private Template() {}

  /**
   * Substitutes variables in {@code template}. {@code lookup} returns empty for an unset variable;
   * {@code onUnset} is told the name of every variable that was needed, unset, and had no default
   * (Compose then substitutes "" and warns).
   *
   * @throws TemplateException when the template is malformed or a required variable is missing
   */
  public static String substitute(
      String template, Function<String, Optional<String>> lookup, Consumer<String> onUnset) {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(onUnset, "onUnset");
    // Most strings in a Compose file have nothing to interpolate; don't allocate for them.
    if (template.indexOf('$') < 0) {
      return template;
    }
    return new Expander(lookup, onUnset).expand(template, 0);
  }

  /** Writes {@code literal} so that substitute() gives it back: every '$' doubled. */
  public static String escape(String literal) {
    return literal.indexOf('$') < 0 ? literal : literal.replace("$", "$$");
  }

  /** One substitution: the caller's functions, shared by every nested operand. */
  private static final class Expander {
    private final Function<String, Optional<String>> lookup;
    private final Consumer<String> onUnset;

    Expander(Function<String, Optional<String>> lookup, Consumer<String> onUnset) {
      this.lookup = lookup;
      this.onUnset = onUnset;
    }

    /** Interpolates {@code s}, an operand {@code depth} levels below the caller's template. */
    String expand(String s, int depth) {
      final int n = s.length();
      StringBuilder out = null;
      int copied = 0; // s[copied, next '$') is still to be copied to out
      // The fragment an invalid expression is reported in: compose-go interpolates the text after
      // a truncated operand as a template of its own, so errors there name only that text.
      int regionStart = 0;
      int regionEnd = n;
      // The end of the line last searched for a '}', and the last '}' found on it (or -1), so that
      // a line full of operators is searched once, not once per operator.
      int lineEnd = -1;
      int lastBrace = -1;
      int i = 0;
      while (true) {
        int dollar = s.indexOf('$', i);
        if (dollar < 0 || dollar + 1 == n) {
          break; // a '$' at the very end stays as it is
        }
        if (dollar >= regionEnd) {
          regionStart = 0;
          regionEnd = n;
        }
        char next = s.charAt(dollar + 1);
        if (next == '$') {
          out = append(out, s, copied, dollar).append('$');
          i = copied = dollar + 2;
          continue;
        }
        if (isNameStart(next)) {
          int end = nameEnd(s, dollar + 2);
          String value = valueOrWarn(s.substring(dollar + 1, end));
          out = append(out, s, copied, dollar).append(value);
          i = copied = end;
          continue;
        }
        if (next != '{') {
          i = dollar + 1; // e.g. "$1", "$ ", "$}": not an expression, kept as is
          continue;
        }

        int nameStart = dollar + 2;
        if (nameStart >= n || !isNameStart(s.charAt(nameStart))) {
          throw invalid(s, regionStart, regionEnd);
        }
        int nameEnd = nameEnd(s, nameStart + 1);
        if (nameEnd >= n) {
          throw invalid(s, regionStart, regionEnd);
        }
        String name = s.substring(nameStart, nameEnd);
        char after = s.charAt(nameEnd);
        if (after == '}') {
          out = append(out, s, copied, dollar).append(valueOrWarn(name));
          i = copied = nameEnd + 1;
          continue;
        }

        boolean colon = after == ':';
        int operandStart;
        if (colon && nameEnd + 1 < n && isOperator(s.charAt(nameEnd + 1))) {
          operandStart = nameEnd + 2;
        } else if (isOperator(after)) {
          operandStart = nameEnd + 1;
        } else {
          throw invalid(s, regionStart, regionEnd);
        }
        char operator = s.charAt(operandStart - 1);

        if (operandStart > lineEnd) {
          int newline = s.indexOf('\n', operandStart);
          lineEnd = newline < 0 ? n : newline;
          lastBrace = -1;
          for (int j = lineEnd - 1; j >= operandStart; j--) {
            if (s.charAt(j) == '}') {
              lastBrace = j;
              break;
            }
          }
        }
        if (lastBrace < operandStart) {
          throw invalid(s, regionStart, regionEnd);
        }
        int close = closingBrace(s, dollar, lastBrace);
        int end = close >= 0 ? close : lastBrace;

        String value = apply(name, operator, colon, s.substring(operandStart, end), depth);
        out = append(out, s, copied, dollar).append(value);
        if (end < lastBrace) {
          regionStart = end + 1;
          regionEnd = lastBrace + 1;
        }
        i = copied = end + 1;
      }
      if (out == null) {
        return s;
      }
      return out.append(s, copied, n).toString();
    }

    private String apply(String name, char operator, boolean colon, String operand, int depth) {
      Optional<String> found = Objects.requireNonNull(lookup.apply(name), "lookup result");
      String value = found.orElse("");
      // With a colon, an empty value counts as missing.
      boolean present = found.isPresent() && !(colon && value.isEmpty());
      switch (operator) {
        case '-':
          return present ? value : expandOperand(operand, depth);
        case '+':
          return present ? expandOperand(operand, depth) : value;
        default: // '?'
          if (present) {
            return value;
          }
          String reason = expandOperand(operand, depth);
          throw new TemplateException(
              reason.isEmpty()
                  ? "required variable " + name + " is missing a value"
                  : "required variable " + name + " is missing a value: " + reason);
      }
    }

    /** Interpolates an operand, which is a template of its own one level down. */
    private String expandOperand(String operand, int depth) {
      if (operand.indexOf('$') < 0) {
        return operand;
      }
      if (depth + 1 >= MAX_NESTING) {
        throw new TemplateException(
            "Invalid template: "
                + goQuote(operand)
                + " nests variables more than "
                + MAX_NESTING
                + " levels deep");
      }
      return expand(operand, depth + 1);
    }

    private String valueOrWarn(String name) {
      Optional<String> found = Objects.requireNonNull(lookup.apply(name), "lookup result");
      if (found.isEmpty()) {
        onUnset.accept(name);
        return "";
      }
      return found.get();
    }
  }

  /**
   * Where the expression starting at {@code from} ends, counting braces up to {@code to} inclusive
   * as compose-go does: the character after each <code>{</code> is skipped, so <code>{}</code>
   * inside an operand does not count as a closing brace. Returns -1 when the count never returns to
   * zero.
   */
  private static int closingBrace(String s, int from, int to) {
    int open = 0;
    for (int j = from; j <= to; j++) {
      char c = s.charAt(j);
      if (c == '}') {
        if (--open == 0) {
          return j;
        }
      } else if (c == '{') {
        open++;
        j++;
      }
    }
    return -1;
  }

  private static StringBuilder append(@Nullable StringBuilder out, String s, int from, int to) {
    if (out == null) {
      out = new StringBuilder(s.length() + 16);
    }
    return out.append(s, from, to);
  }

  private static TemplateException invalid(String s, int from, int to) {
    return new TemplateException("Invalid template: " + goQuote(s.substring(from, to)));
  }

  private static boolean isOperator(char c) {
    return c == '-' || c == '+' || c == '?';
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int nameEnd(String s, int from) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (!isNameStart(c) && !(c >= '0' && c <= '9')) {
        break;
      }
      i++;
    }
    return i;
  }

  /**
   * Quotes {@code s} as Go's {@code %q} does, so messages read exactly like Docker Compose's:
   * double quotes, backslash escapes for quotes, backslashes and non-printable characters.
   */
  static String goQuote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"':
        case '\\':
          out.append('\\').appendCodePoint(cp);
          continue;
        case 0x07:
          out.append("\\a");
          continue;
        case '\b':
          out.append("\\b");
          continue;
        case '\f':
          out.append("\\f");
          continue;
        case '\n':
          out.append("\\n");
          continue;
        case '\r':
          out.append("\\r");
          continue;
        case '\t':
          out.append("\\t");
          continue;
        case 0x0B:
          out.append("\\v");
          continue;
        default:
          break;
      }
      if (isGoPrintable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp < ' ' || cp == 0x7F) {
        appendHex(out.append("\\x"), cp, 2);
      } else if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
        out.append("\\ufffd"); // Go would have seen invalid UTF-8 and shown the replacement
      } else if (cp < 0x10000) {
        appendHex(out.append("\\u"), cp, 4);
      } else {
        appendHex(out.append("\\U"), cp, 8);
      }
    }
    return out.append('"').toString();
  }

  private static void appendHex(StringBuilder out, int value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(Character.forDigit((value >> shift) & 0xF, 16));
    }
  }

  /**
   * Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space.
   */
  private static boolean isGoPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
      case Character.MATH_SYMBOL:
      case Character.CURRENCY_SYMBOL:
      case Character.MODIFIER_SYMBOL:
      case Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }
}

package io.jstack.examples.shop;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The little JSON the shop reads and writes: a flat object of strings, numbers, booleans and nulls
 * in (RFC 8259, without nesting), and quoted strings out.
 */
public final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one flat JSON object; numbers come back as {@link BigDecimal}, in the order written.
   *
   * @throws ShopException (400) naming the character where the text stops being such an object
   */
  public static Map<String, @Nullable Object> parseObject(String text) {
    Json p = new Json(text);
    Map<String, @Nullable Object> fields = new LinkedHashMap<>();
    p.skipSpace();
    p.expect('{');
    p.skipSpace();
    if (p.peek() == '}') {
      p.pos++;
    } else {
      while (true) {
        p.skipSpace();
        int keyStart = p.pos;
        String key = p.string();
        if (fields.containsKey(key)) {
          p.pos = keyStart;
          throw p.error("field \"" + key + "\" is given twice");
        }
        p.skipSpace();
        p.expect(':');
        p.skipSpace();
        fields.put(key, p.value());
        p.skipSpace();
        if (p.peek() == ',') {
          p.pos++;
        } else {
          p.expect('}');
          break;
        }
      }
    }
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("text after the object");
    }
    return fields;
  }

  /** The JSON string for a Java string, with the quotes. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private @Nullable Object value() {
    char c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (c == '{' || c == '[') {
      throw error("nested objects and arrays are not supported here");
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (text.startsWith(word, pos)) {
        pos += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    throw error("expected a value");
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character in a string (escape it)");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = pos < text.length() ? text.charAt(pos++) : '\0';
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("\\u needs four hex digits");
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException x) {
            throw error("\\u needs four hex digits");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("unknown escape \\" + e);
        }
      }
    }
  }

  private BigDecimal number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && "0123456789+-.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    // BigDecimal accepts forms JSON does not: a leading '+', "1.", ".5" and leading zeros.
    boolean jsonForm = n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    if (!jsonForm) {
      pos = digits;
      throw error("bad number " + n);
    }
    return new BigDecimal(n);
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error(
          "expected '" + c + "'" + (pos < text.length() ? " but found '" + peek() + "'" : ""));
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private ShopException error(String what) {
    String where = pos < text.length() ? "at character " + (pos + 1) : "at the end";
    return new ShopException(400, "bad JSON " + where + ": " + what);
  }
}

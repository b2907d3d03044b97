package io.jstack.compose.internal.yaml;

import org.jspecify.annotations.Nullable;

/**
 * Resolves plain scalars the way Compose's Go YAML decoder does: the YAML 1.2 core schema, except
 * that integers follow Go's base prefixes, so a legacy octal {@code 0440} is 288.
 */
public final class ScalarKinds {
  private ScalarKinds() {}

  public static YNode.Kind resolve(String v) {
    if (v.isEmpty()) {
      return YNode.Kind.NULL;
    }
    switch (v) {
      case "~", "null", "Null", "NULL" -> {
        return YNode.Kind.NULL;
      }
      case "true", "True", "TRUE", "false", "False", "FALSE" -> {
        return YNode.Kind.BOOL;
      }
      case ".inf",
          ".Inf",
          ".INF",
          "+.inf",
          "+.Inf",
          "+.INF",
          "-.inf",
          "-.Inf",
          "-.INF",
          ".nan",
          ".NaN",
          ".NAN" -> {
        return YNode.Kind.FLOAT;
      }
      default -> {}
    }
    char c = v.charAt(0);
    if (!(c >= '0' && c <= '9') && c != '-' && c != '+' && c != '.') {
      return YNode.Kind.STRING;
    }
    if (parseInt(v) != null) {
      return YNode.Kind.INT;
    }
    if (isFloat(v)) {
      return YNode.Kind.FLOAT;
    }
    return YNode.Kind.STRING;
  }

  /**
   * Parses an integer with Go's {@code strconv.ParseInt(s, 0, 64)} rules: optional sign, {@code
   * 0x}/{@code 0o}/{@code 0b} prefixes, a leading {@code 0} meaning octal, underscores between
   * digits after a prefix; {@code null} when it is not such an integer.
   */
  public static @Nullable Long parseInt(String v) {
    int i = 0;
    boolean negative = false;
    if (i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
      negative = v.charAt(i) == '-';
      i++;
    }
    String body = v.substring(i);
    if (body.isEmpty()) {
      return null;
    }
    int radix = 10;
    boolean prefixed = false;
    if (body.length() > 1 && body.charAt(0) == '0') {
      char p = Character.toLowerCase(body.charAt(1));
      if (p == 'x') {
        radix = 16;
        body = body.substring(2);
        prefixed = true;
      } else if (p == 'o') {
        radix = 8;
        body = body.substring(2);
        prefixed = true;
      } else if (p == 'b') {
        radix = 2;
        body = body.substring(2);
        prefixed = true;
      } else {
        radix = 8;
        body = body.substring(1);
        prefixed = true;
      }
    }
    if (body.isEmpty()) {
      return null;
    }
    if (prefixed) {
      if (body.startsWith("_") || body.endsWith("_") || body.contains("__")) {
        return null;
      }
      body = body.replace("_", "");
    }
    for (int k = 0; k < body.length(); k++) {
      if (Character.digit(body.charAt(k), radix) < 0) {
        return null;
      }
    }
    try {
      long value = Long.parseLong(body, radix);
      return negative ? -value : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isFloat(String v) {
    int i = 0;
    int n = v.length();
    if (v.charAt(0) == '+' || v.charAt(0) == '-') {
      i++;
    }
    int digits = 0;
    while (i < n && Character.isDigit(v.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && v.charAt(i) == '.') {
      i++;
      while (i < n && Character.isDigit(v.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i++;
      if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && Character.isDigit(v.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }
}

package io.jstack.compose.internal.syntax;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class ByteSizes {
  private ByteSizes() {}

  public static long parse(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    long mult = 1;
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.endsWith("k")) {
      mult = 1L << 10;
    } else if (v.endsWith("m")) {
      mult = 1L << 20;
    } else if (v.endsWith("g")) {
      mult = 1L << 30;
    }
    if (mult != 1) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      return (long) (Double.parseDouble(v) * mult);
    } catch (NumberFormatException e) {
      throw new SyntaxException("invalid size \"" + s + "\"");
    }
  }

  public static String format(long bytes) {
    return Long.toString(bytes);
  }
}

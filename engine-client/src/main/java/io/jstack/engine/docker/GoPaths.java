package io.jstack.engine.docker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Go's path.Clean and path.Dir for slash-separated paths, as Docker's tools clean the paths in a
 * context, an archive or a pattern; and filepath.Match's pattern syntax, for {@link
 * PatternMatcher}.
 */
public final class GoPaths {
  private GoPaths() {}

  /** Go's path.Clean: no repeated or trailing slashes, no . elements, .. resolved lexically. */
  public static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> out = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(part);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** Go's path.Dir: everything before the last slash, cleaned; "." when there is none. */
  public static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(slash < 0 ? "" : path.substring(0, slash + 1));
  }

  /**
   * Whether Go's filepath.Match accepts {@code pattern}: every {@code [...]} closed, not empty,
   * with well formed ranges, and no {@code \} at the end.
   */
  static boolean validGlob(String pattern) {
    int[] p = pattern.codePoints().toArray();
    int i = 0;
    while (i < p.length) {
      int c = p[i];
      if (c == '\\') {
        if (i + 1 >= p.length) {
          return false;
        }
        i += 2;
      } else if (c == '[') {
        i++;
        if (i < p.length && p[i] == '^') {
          i++;
        }
        int ranges = 0;
        while (true) {
          if (i < p.length && p[i] == ']' && ranges > 0) {
            i++;
            break;
          }
          i = classChar(p, i);
          if (i < 0) {
            return false;
          }
          if (p[i] == '-') {
            i = classChar(p, i + 1);
            if (i < 0) {
              return false;
            }
          }
          ranges++;
        }
      } else {
        i++;
      }
    }
    return true;
  }

  /** Go's getEsc: one class character at {@code i}; the index after it, or -1 when malformed. */
  private static int classChar(int[] p, int i) {
    if (i >= p.length || p[i] == '-' || p[i] == ']') {
      return -1;
    }
    if (p[i] == '\\') {
      i++;
      if (i >= p.length) {
        return -1;
      }
    }
    i++;
    // The class must go on: a ']' or more characters have to follow.
    return i >= p.length ? -1 : i;
  }
}

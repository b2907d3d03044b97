package io.jstack.compose.internal.syntax;

import java.util.ArrayList;
import java.util.List;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class ShellWords {
  private ShellWords() {}

  public static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}

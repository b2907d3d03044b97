package io.jstack.cli.internal;

import java.io.PrintWriter;
import java.util.List;

/** Columns as Docker prints them: each as wide as its widest cell, three spaces apart. */
public final class Table {
  private Table() {}

  /** Prints {@code rows} (the first is the header); short rows leave their last columns empty. */
  public static void print(PrintWriter out, List<List<String>> rows) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        sb.append(
            i == columns - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}

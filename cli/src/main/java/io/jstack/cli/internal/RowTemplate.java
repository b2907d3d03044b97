package io.jstack.cli.internal;

import io.jstack.compose.ProjectWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Go-template subset that {@code --format} takes, as Docker's CLIs read it: text with actions
 * {@code {{.Field}}}, {@code {{.Label "key"}}}, {@code {{json .}}}, {@code {{json .Field}}}, {@code
 * {{upper .Field}}} and {@code {{lower .Field}}}; {@code \t} and {@code \n} in the text are a tab
 * and a new line; a leading {@code table} prints a header of the fields' names and aligns the
 * tab-separated columns. Anything else is refused when the template is read, before any row.
 */
public final class RowTemplate {
  /** One piece of a template: literal text, or a field (maybe through a function). */
  private record Part(String text, String field, String function, String argument) {
    static Part literal(String text) {
      return new Part(text, "", "", "");
    }
  }

  private final boolean table;
  private final boolean json;
  private final List<Part> parts;
  private final Map<String, String> headers;

  private RowTemplate(boolean table, List<Part> parts, Map<String, String> headers) {
    this(table, false, parts, headers);
  }

  private RowTemplate(boolean table, boolean json, List<Part> parts, Map<String, String> headers) {
    this.table = table;
    this.json = json;
    this.parts = parts;
    this.headers = headers;
  }

  /**
   * What a list command's {@code --format} asks for, as Docker's list commands read it: {@code
   * table} (its default columns, {@code defaultTable}), {@code json} (one object per row, each map
   * as Docker prints labels, {@code k=v,k2=v2}), or a template (see {@link #parse}).
   *
   * @throws IllegalArgumentException saying what is wrong with the template and which fields there
   *     are
   */
  public static RowTemplate forList(
      String format, String defaultTable, Map<String, String> fields) {
    return switch (format) {
      case "table" -> parse(defaultTable, fields);
      case "json" -> new RowTemplate(false, true, List.of(), fields);
      default -> parse(format, fields);
    };
  }

  /**
   * Reads {@code format} for rows with these fields ({@code fields}: each field's header in a
   * table).
   *
   * @throws IllegalArgumentException saying what is wrong and which fields there are
   */
  public static RowTemplate parse(String format, Map<String, String> fields) {
    boolean table = format.startsWith("table ") || format.startsWith("table\t");
    String text =
        (table ? format.substring("table".length()).strip() : format)
            .replace("\\t", "\t")
            .replace("\\n", "\n");
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf("{{", at);
      if (open < 0) {
        parts.add(Part.literal(text.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(Part.literal(text.substring(at, open)));
      }
      int close = text.indexOf("}}", open);
      if (close < 0) {
        throw new IllegalArgumentException(
            "template: unclosed action at " + (open + 1) + ": add }}");
      }
      parts.add(action(text.substring(open + 2, close).strip(), fields));
      at = close + 2;
    }
    return new RowTemplate(table, List.copyOf(parts), fields);
  }

  private static Part action(String action, Map<String, String> fields) {
    String[] words = action.split("\\s+", 2);
    if (words[0].equals(".Label") && words.length == 2 && words[1].matches("\"[^\"]*\"")) {
      return new Part("", "Labels", "label", words[1].substring(1, words[1].length() - 1));
    }
    if (words.length == 1 && words[0].startsWith(".") && words[0].length() > 1) {
      return new Part("", field(words[0], fields), "", "");
    }
    if (words.length == 2 && List.of("json", "upper", "lower").contains(words[0])) {
      String arg = words[1];
      if (arg.equals(".") && words[0].equals("json")) {
        return new Part("", ".", "json", "");
      }
      if (arg.startsWith(".") && arg.length() > 1) {
        return new Part("", field(arg, fields), words[0], "");
      }
    }
    throw new IllegalArgumentException(
        "template: cannot read {{"
            + action
            + "}}: use {{.Field}}, {{.Label \"key\"}}, {{json .}}, {{json .Field}}, {{upper"
            + " .Field}} or {{lower .Field}}; fields: "
            + String.join(", ", fields.keySet()));
  }

  private static String field(String reference, Map<String, String> fields) {
    String name = reference.substring(1);
    if (!fields.containsKey(name)) {
      throw new IllegalArgumentException(
          "template: no field " + reference + "; fields: " + String.join(", ", fields.keySet()));
    }
    return name;
  }

  /**
   * Prints one line per row (a row: each field's value; {@code Labels} a map of them): aligned
   * columns under a header for a table.
   */
  public void print(PrintWriter out, List<Map<String, Object>> rows) {
    if (json) {
      for (Map<String, Object> row : rows) {
        Map<String, Object> flat = new TreeMap<>(row);
        flat.replaceAll((k, v) -> v instanceof Map<?, ?> m ? labels(m) : v);
        out.println(ProjectWriter.jsonLine(flat));
      }
      return;
    }
    if (!table) {
      for (Map<String, Object> row : rows) {
        out.println(render(row, false));
      }
      return;
    }
    List<List<String>> lines = new ArrayList<>();
    lines.add(List.of(render(Map.of(), true).split("\t", -1)));
    for (Map<String, Object> row : rows) {
      lines.add(List.of(render(row, false).split("\t", -1)));
    }
    Table.print(out, lines);
  }

  private String render(Map<String, Object> row, boolean header) {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (p.field().isEmpty()) {
        sb.append(p.text());
      } else if (header) {
        sb.append(
            p.function().equals("label")
                ? p.argument().toUpperCase(Locale.ROOT)
                : p.field().equals(".") ? "" : headers.get(p.field()));
      } else {
        sb.append(value(p, row));
      }
    }
    return sb.toString();
  }

  private static String value(Part p, Map<String, Object> row) {
    Object v = p.field().equals(".") ? new TreeMap<>(row) : row.get(p.field());
    switch (p.function()) {
      case "json":
        return v == null ? "null" : ProjectWriter.jsonLine(v);
      case "label":
        Object label = v instanceof Map<?, ?> labels ? labels.get(p.argument()) : null;
        return label == null ? "" : label.toString();
      case "upper":
        return String.valueOf(v).toUpperCase(Locale.ROOT);
      case "lower":
        return String.valueOf(v).toLowerCase(Locale.ROOT);
      default:
        return v instanceof Map<?, ?> m ? labels(m) : v == null ? "" : v.toString();
    }
  }

  /** A map as Docker prints labels in a template: {@code k=v,k2=v2}, by key. */
  private static String labels(Map<?, ?> m) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(m).forEach((k, v) -> out.add(k + "=" + v));
    return String.join(",", out);
  }
}

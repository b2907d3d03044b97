package io.jstack.runtime.build.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result a case must give where dockerd 20.10's BuildKit cannot build it, from {@code
 * expected.txt}: one statement per line, taken from BuildKit's own frontend tests, which each file
 * cites in {@code # source: moby/buildkit FILE TEST} lines.
 *
 * <pre>
 * config FIELD JSON            the config field (absent when JSON is null)
 * history N                    the number of history entries
 * file PATH MODE UID:GID TEXT  a regular file; TEXT with \n, \t, \\ and \s (a space) escapes
 * dir PATH MODE UID:GID        a directory
 * symlink PATH MODE UID:GID TARGET  a symbolic link
 * absent PATH                  nothing at PATH
 * </pre>
 *
 * @param sources the cited tests
 * @param config expected config fields, JSON text by name
 * @param history the expected number of history entries, or -1 when not stated
 * @param entries expected tree lines (as {@link ImageTree} writes them) by path; {@code null}
 *     values for absent paths
 */
record Expected(
    List<String> sources, Map<String, String> config, int history, Map<String, String> entries) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Expected parse(Path file) throws IOException {
    List<String> sources = new ArrayList<>();
    Map<String, String> config = new LinkedHashMap<>();
    Map<String, String> entries = new LinkedHashMap<>();
    int history = -1;
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.startsWith("# source:")) {
        sources.add(line.substring(9).trim());
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.split(" ", 5);
      String where = file + ":" + n + ": ";
      try {
        switch (w[0]) {
          case "config" -> {
            String json = line.substring(w[0].length() + w[1].length() + 2);
            if (!ImageTree.FIELDS.contains(w[1])) {
              throw new IOException(where + "no compared config field " + w[1]);
            }
            config.put(w[1], JSON.readTree(json).toString());
          }
          case "history" -> history = Integer.parseInt(w[1]);
          case "file" -> {
            byte[] text = unescape(w.length > 4 ? w[4] : "").getBytes(StandardCharsets.UTF_8);
            entries.put(
                w[1],
                String.format(
                    "%s file %s %s %d sha256:%s",
                    w[1], w[2], w[3], text.length, ImageTree.sha256(text)));
          }
          case "dir" -> entries.put(w[1], w[1] + " dir " + w[2] + " " + w[3]);
          case "symlink" ->
              entries.put(w[1], w[1] + " symlink " + w[2] + " " + w[3] + " -> " + w[4]);
          case "absent" -> entries.put(w[1], null);
          default -> throw new IOException(where + "unknown statement " + w[0]);
        }
      } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
        throw new IOException(where + "malformed: " + line, e);
      }
    }
    return new Expected(sources, config, history, entries);
  }

  /** What in {@code tree} differs from these expectations; empty when nothing does. */
  List<String> differences(ImageTree tree) throws IOException {
    List<String> d = new ArrayList<>();
    for (Map.Entry<String, String> c : config.entrySet()) {
      String got = tree.config().get(c.getKey());
      JsonNode want = JSON.readTree(c.getValue());
      JsonNode gotJson = got == null ? NullNode.getInstance() : JSON.readTree(got);
      // JSON equality: the order of an object's fields does not count.
      if (!want.equals(gotJson)) {
        d.add("config " + c.getKey() + ": expected " + want + ", got " + gotJson);
      }
    }
    if (history >= 0 && history != tree.history()) {
      d.add("history: expected " + history + " entries, got " + tree.history());
    }
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String got = tree.tree().get(e.getKey());
      if (e.getValue() == null ? got != null : !e.getValue().equals(got)) {
        d.add("tree: expected " + e.getValue() + ", got " + got);
      }
    }
    return d;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        b.append(
            switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 's' -> ' ';
              default -> e;
            });
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}

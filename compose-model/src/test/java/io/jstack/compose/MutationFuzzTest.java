package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Seeded mutations of the corpus: whatever the loader is given, it either loads it or throws {@link
 * ComposeException} whose line is a line of the file and whose YAML path exists in the document (or
 * ends at the missing key, or points into a short-syntax scalar); it never hangs.
 */
class MutationFuzzTest {
  static final int FILES = Integer.getInteger("jstack.fuzz.files", 5_000);
  static final long SEED = Long.getLong("jstack.fuzz.seed", 20261128L);

  static final String[] TOKENS = {
    "",
    "null",
    "~",
    "[",
    "]",
    "{",
    "}",
    "*x",
    "&a",
    "!reset",
    "!override",
    "!bogus",
    "0x1F",
    "0440",
    "-1",
    "99999999999999999999",
    "true",
    "no",
    "1.5",
    ".inf",
    "${",
    "${X:?boom}",
    "${Y:-fallback}",
    "$$",
    "$",
    "a:b:c:d",
    "80:xyz",
    "65536:80",
    "127.0.0.1::80/udp",
    "'",
    "\"",
    "[1, 2",
    ": :",
    "|",
    ">",
    "- item",
    "? complex",
    "@",
    "`",
    "%",
    "<<: *nope",
    "::",
    "/abs:/x:ro,z",
    "./rel:/y",
    "tmpfs",
    "service:db",
    "container:x",
    "1gb",
    "10s",
    "1h2m3s",
    "CMD-SHELL",
    "[\"CMD\", \"true\"]",
    "{a: 1, a: 2}",
    "[*a, *a]",
    "&a [*a]"
  };

  static ExecutorService executor;
  static List<Path> corpus;

  @BeforeAll
  static void setUp() throws IOException {
    executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "fuzz-load");
              t.setDaemon(true);
              return t;
            });
    corpus = CorpusTest.corpus().toList();
  }

  @AfterAll
  static void tearDown() {
    executor.shutdownNow();
  }

  @Test
  void mutatedCorpus_onlyEverFailsWithOurErrorAtARealPlace() throws Exception {
    Random random = new Random(SEED);
    int loaded = 0;
    int refused = 0;
    for (int i = 0; i < FILES; i++) {
      Path source = corpus.get(random.nextInt(corpus.size()));
      String original = Files.readString(source);
      String mutated = mutate(original, random);
      Outcome outcome = load(mutated, source.getParent(), i);
      if (outcome.error() == null) {
        loaded++;
        continue;
      }
      refused++;
      check(outcome.error(), mutated, i, source);
    }
    // Both sides must be exercised, or the mutations are too weak or too strong to mean anything.
    assertThat(loaded).as("mutated files that still load").isGreaterThan(FILES / 20);
    assertThat(refused).as("mutated files refused").isGreaterThan(FILES / 4);
  }

  record Outcome(ComposeException error) {}

  private Outcome load(String text, Path dir, int iteration) throws Exception {
    ProjectOptions options =
        ProjectOptions.of(List.of(Path.of("-")), Map.of("HOME", "/home/user"), dir)
            .withProjectName("fuzz")
            .withProfiles(List.of("*"))
            .withStdin(text);
    Future<Outcome> f =
        executor.submit(
            () -> {
              try {
                ComposeLoader.load(options);
                return new Outcome(null);
              } catch (ComposeException e) {
                return new Outcome(e);
              }
            });
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(
          "load did not finish in 5 s (seed " + SEED + ", file " + iteration + "):\n" + text);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(
          "not a ComposeException (seed " + SEED + ", file " + iteration + "):\n" + text,
          e.getCause());
    }
  }

  private static void check(ComposeException e, String text, int iteration, Path source) {
    String where =
        " (seed " + SEED + ", file " + iteration + " from " + source + "): " + e.getMessage();
    assertThat(e.getMessage()).as("one line" + where).doesNotContain("\n");
    int lines = text.split("\n", -1).length;
    e.location()
        .ifPresent(
            loc -> {
              if (loc.file().equals("-")) {
                assertThat(loc.line()).as("line" + where).isBetween(1, lines);
                assertThat(loc.column()).as("column" + where).isPositive();
              }
            });
    if (!e.yamlPath().isEmpty()) {
      Object doc;
      try {
        doc =
            new Load(LoadSettings.builder().setAllowDuplicateKeys(true).build())
                .loadFromString(text);
      } catch (RuntimeException unparsable) {
        return;
      }
      if (!pathExists(doc, segments(e.yamlPath()))) {
        fail("YAML path does not exist in the document" + where + "\n" + text);
      }
    }
  }

  /** The path exists, or only its last key is missing, or it runs into a short-syntax scalar. */
  static boolean pathExists(Object node, List<Object> path) {
    for (int i = 0; i < path.size(); i++) {
      Object seg = path.get(i);
      boolean last = i == path.size() - 1;
      if (node instanceof Map<?, ?> m && seg instanceof String key) {
        if (!m.containsKey(key)) {
          return last || mergeKeyIn(m);
        }
        node = m.get(key);
      } else if (node instanceof List<?> l && seg instanceof Integer index) {
        if (index >= l.size()) {
          return false;
        }
        node = l.get(index);
      } else if (node instanceof List<?> l && seg instanceof String key) {
        // The short, list form of a mapping: [name, ...] or [KEY=VALUE, ...].
        Object item = l.stream().filter(x -> names(x, key)).findFirst().orElse(null);
        if (item == null) {
          return last;
        }
        node = item;
      } else {
        return !(node instanceof Map) && !(node instanceof List);
      }
    }
    return true;
  }

  private static boolean names(Object item, String key) {
    String s = String.valueOf(item);
    return s.equals(key) || s.startsWith(key + "=") || s.startsWith(key + ":");
  }

  private static boolean mergeKeyIn(Map<?, ?> m) {
    return m.containsKey("<<");
  }

  /** {@code services.web.ports[0]} or {@code labels["a.b"]} to its segments. */
  static List<Object> segments(String path) {
    List<Object> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.' || c == '[') {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        if (c == '.') {
          i++;
        } else if (path.charAt(i + 1) == '"') {
          StringBuilder key = new StringBuilder();
          i = quoted(path, i + 1, key) + 1;
          out.add(key.toString());
        } else {
          int end = path.indexOf(']', i);
          out.add(Integer.parseInt(path.substring(i + 1, end)));
          i = end + 1;
        }
      } else if (c == '"') {
        StringBuilder key = new StringBuilder();
        i = quoted(path, i, key);
        out.add(key.toString());
      } else {
        cur.append(c);
        i++;
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Reads the quoted key starting at {@code open}; returns the index after its closing quote. */
  private static int quoted(String path, int open, StringBuilder key) {
    int j = open + 1;
    while (j < path.length()) {
      char c = path.charAt(j);
      if (c == '\\' && j + 1 < path.length() && path.charAt(j + 1) == '"') {
        key.append('"');
        j += 2;
      } else if (c == '"') {
        return j + 1;
      } else {
        key.append(c);
        j++;
      }
    }
    return j;
  }

  static String mutate(String text, Random random) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds && !lines.isEmpty(); r++) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(9)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> {
          int other = random.nextInt(lines.size());
          lines.set(at, lines.get(other));
          lines.set(other, line);
        }
        case 3 ->
            lines.set(at, random.nextBoolean() ? "  " + line : line.replaceFirst("^ {1,2}", ""));
        case 4 -> {
          int colon = line.indexOf(": ");
          String token = TOKENS[random.nextInt(TOKENS.length)];
          lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + token : line + token);
        }
        case 5 -> {
          int dash = line.indexOf("- ");
          String token = TOKENS[random.nextInt(TOKENS.length)];
          lines.set(at, dash >= 0 ? line.substring(0, dash + 2) + token : line);
        }
        case 6 -> {
          String indent = line.replaceAll("^( *).*$", "$1");
          String key =
              random.nextBoolean() ? "x-fuzz" : SERVICE_KEYS[random.nextInt(SERVICE_KEYS.length)];
          lines.add(at, indent + key + ": " + TOKENS[random.nextInt(TOKENS.length)]);
        }
        case 7 -> {
          if (!line.isEmpty()) {
            int pos = random.nextInt(line.length());
            char c = "{}[]:,&*!|>'\"#-?% \t$".charAt(random.nextInt(20));
            lines.set(at, line.substring(0, pos) + c + line.substring(pos + 1));
          }
        }
        default -> {
          String joined = String.join("\n", lines);
          return joined.substring(0, random.nextInt(joined.length() + 1));
        }
      }
    }
    return String.join("\n", lines);
  }

  static final String[] SERVICE_KEYS = {
    "image",
    "ports",
    "volumes",
    "environment",
    "depends_on",
    "networks",
    "command",
    "healthcheck",
    "build",
    "extends",
    "secrets",
    "configs",
    "deploy",
    "ulimits",
    "labels",
    "env_file",
    "extra_hosts",
    "mem_limit",
    "stop_grace_period",
    "privileged",
    "profiles",
    "include",
    "services",
    "name",
    "links",
    "network_mode",
    "scale",
    "container_name",
    "restart",
    "x-a"
  };
}

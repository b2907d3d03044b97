package io.jstack.runtime.build.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The differential suite's table ({@code features.tsv}) names a case for every feature issue 17
 * names, only cases that exist, and every case; each case is well-formed and builds only from the
 * local busybox, {@code scratch} or its own stages.
 */
class DifferentialFeaturesTest {
  /**
   * Every feature of issue 17's "Dockerfile language" and "context" bullets, as the table names it.
   */
  static final List<String> FEATURES =
      List.of(
          "directive # syntax",
          "directive # escape",
          "directive # check",
          "line continuations",
          "comments",
          "exec form",
          "shell form",
          "heredoc RUN",
          "heredoc COPY",
          "heredoc ADD",
          "heredoc <<-",
          "heredoc quoted delimiter",
          "heredoc several per instruction",
          "substitution $VAR ${VAR}",
          "substitution escaped and quoted",
          "substitution ${VAR:-word}",
          "substitution ${VAR:+word}",
          "substitution ${VAR:?word}",
          "substitution ${VAR-word} ${VAR+word}",
          "substitution ${VAR#pat} ${VAR##pat}",
          "substitution ${VAR%pat} ${VAR%%pat}",
          "substitution ${VAR/pat/rep} ${VAR//pat/rep}",
          "ARG global before FROM",
          "ARG redeclared per stage",
          "ARG --build-arg overrides",
          "ARG predefined platform",
          "ARG predefined proxy",
          "FROM AS",
          "FROM --platform",
          "FROM scratch",
          "FROM a stage as base",
          "FROM unused stages skipped",
          "RUN",
          "CMD",
          "ENTRYPOINT",
          "ENV",
          "ARG",
          "LABEL",
          "MAINTAINER",
          "EXPOSE",
          "VOLUME",
          "USER",
          "WORKDIR",
          "SHELL",
          "STOPSIGNAL",
          "HEALTHCHECK options",
          "HEALTHCHECK exec form and defaults",
          "HEALTHCHECK NONE",
          "ONBUILD recorded",
          "ONBUILD triggers run in the child",
          "COPY",
          "COPY --from stage",
          "COPY --from index",
          "COPY --from image",
          "COPY --chown",
          "ADD --chown",
          "COPY --chmod",
          "ADD --chmod",
          "COPY --link",
          "COPY --exclude",
          "COPY --parents",
          "ADD tar uncompressed",
          "ADD tar gzip",
          "ADD tar bzip2",
          "ADD tar xz",
          "ADD tar zstd",
          "ADD URL",
          "ADD --checksum",
          "RUN --mount=type=cache",
          "RUN --mount=type=bind",
          "RUN --mount=type=tmpfs",
          "RUN --mount=type=secret",
          "RUN --network=default",
          "RUN --network=none",
          "RUN --network=host",
          ".dockerignore",
          ".dockerignore **",
          ".dockerignore ! exceptions",
          ".dockerignore order",
          "<name>.Dockerfile.dockerignore",
          "COPY keeps symbolic links",
          "COPY never follows a symbolic link out of the context",
          "failing build: bad instruction",
          "failing build: failing RUN",
          "failing build: missing COPY source",
          "failing build: a required variable",
          "--target");

  private static final Pattern FROM =
      Pattern.compile("(?im)^\\s*FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");
  private static final Pattern FROM_FLAG = Pattern.compile("--from=(\\S+)");

  /** The table: feature to the cases it names, in file order. */
  static Map<String, List<String>> table() throws IOException {
    Map<String, List<String>> t = new LinkedHashMap<>();
    int n = 0;
    for (String line :
        Files.readAllLines(DifferentialCase.ROOT.resolve("features.tsv"), StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      assertThat(cols).as("features.tsv:" + n + ": FEATURE<TAB>CASE,CASE...").hasSize(2);
      assertThat(t.put(cols[0], List.of(cols[1].split(","))))
          .as("features.tsv:" + n + ": " + cols[0] + " twice")
          .isNull();
    }
    return t;
  }

  @Test
  void everyFeature_hasACase_andEveryNamedCaseExists() throws Exception {
    Map<String, List<String>> table = table();
    Set<String> cases = new TreeSet<>();
    DifferentialCase.all().forEach(c -> cases.add(c.name()));

    assertThat(FEATURES).allSatisfy(f -> assertThat(table.get(f)).as(f).isNotEmpty());
    assertThat(table.keySet()).as("features the issue does not name").isSubsetOf(FEATURES);
    table.forEach((f, named) -> assertThat(cases).as(f).containsAll(named));
    Set<String> used = new HashSet<>();
    table.values().forEach(used::addAll);
    assertThat(cases).as("cases no feature names").isSubsetOf(used);
    assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
  }

  @Test
  void everyCase_isWellFormed_andBuildsFromLocalImagesOnly() throws Exception {
    List<String> problems = new ArrayList<>();
    for (DifferentialCase c : DifferentialCase.all()) {
      Path dockerfile = c.dir().resolve(c.dockerfile());
      if (!Files.isRegularFile(dockerfile)) {
        problems.add(c.name() + ": no " + c.dockerfile());
        continue;
      }
      String text = Files.readString(dockerfile);
      Set<String> stages = new HashSet<>();
      Matcher m = FROM.matcher(text);
      while (m.find()) {
        String image = m.group(1);
        if (!image.equals("jstack-examples/busybox:latest")
            && !image.equals("scratch")
            && !image.contains("$")
            && !stages.contains(image.toLowerCase())) {
          problems.add(c.name() + ": FROM " + image + " is neither the local busybox nor a stage");
        }
        if (m.group(2) != null) {
          stages.add(m.group(2).toLowerCase());
        }
      }
      Matcher f = FROM_FLAG.matcher(text);
      while (f.find()) {
        String from = f.group(1).split(",")[0];
        // Any other name is an image a builder would pull, from Docker Hub for a bare name (a
        // lookup of registry-1.docker.io through the host's resolver): a failing case may name
        // one on 127.0.0.1 instead, where nothing listens.
        if (!from.matches("\\d+|jstack-examples/busybox:latest")
            && !stages.contains(from.toLowerCase())
            && !(c.fails().isPresent() && from.startsWith("127.0.0.1:"))) {
          problems.add(c.name() + ": --from=" + from + " is neither a stage nor local");
        }
      }
      Matcher syntax = Pattern.compile("(?m)^#\\s*syntax\\s*=\\s*(\\S+)").matcher(text);
      if (syntax.find()
          && !(c.hasExpected() && syntax.group(1).startsWith("docker/dockerfile:"))
          && !(c.fails().isPresent() && syntax.group(1).startsWith("127.0.0.1:"))) {
        problems.add(c.name() + ": # syntax=" + syntax.group(1) + " would be pulled by dockerd");
      }
      if (c.hasExpected()) {
        Expected e = c.expected();
        if (e.sources().isEmpty()
            || !e.sources().stream().allMatch(s -> s.matches("moby/\\S+ \\S+ \\S+.*"))) {
          problems.add(c.name() + ": expected.txt cites no 'moby/REPO FILE TEST' source");
        }
        if (e.config().isEmpty() && e.entries().isEmpty()) {
          problems.add(c.name() + ": expected.txt expects nothing");
        }
      }
      if (c.fails().isPresent() != c.failsLine().isPresent()) {
        problems.add(c.name() + ": fails and failsLine go together");
      }
      if (c.fails().isPresent() && c.hasExpected()) {
        problems.add(c.name() + ": a failing case has no expected result");
      }
      if (!Set.of("same", "differs", "unsupported").contains(c.classic())
          || !c.classic().equals("same") && c.classicWhy().isEmpty()) {
        problems.add(c.name() + ": classic must be same, differs: WHY or unsupported: WHY");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theCiSubset_coversEveryFeature() throws Exception {
    Set<String> ci = new HashSet<>();
    DifferentialCase.all().stream().filter(DifferentialCase::ci).forEach(c -> ci.add(c.name()));
    List<String> uncovered = new ArrayList<>();
    table()
        .forEach(
            (feature, named) -> {
              if (named.stream().noneMatch(ci::contains)) {
                uncovered.add(feature);
              }
            });

    assertThat(uncovered).as("features no ci=true case covers").isEmpty();
  }
}

package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JstackTest {

  /** What one run of the command printed, and its exit code. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Jstack.run(args, new PrintWriter(out), new PrintWriter(err), Map.of());
    return new Run(code, out.toString(), err.toString());
  }

  /** The verbs a command line for {@code args} knows. */
  static java.util.Set<String> verbsBuiltFor(String... args) {
    return Jstack.commandLine(
            args,
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            io.jstack.cli.internal.Caller.process(Map.of()),
            (kind, env) -> {
              throw new AssertionError("building a command line must not open an engine");
            },
            null)
        .getSubcommands()
        .keySet();
  }

  @Test
  void aCommandLine_buildsOnlyTheVerbItNames_pastGlobalOptionsAndTheirValues() {
    assertThat(verbsBuiltFor("ps")).containsExactly("ps");
    assertThat(verbsBuiltFor("--engine", "docker", "-f", "a.yaml", "-p", "x", "ps", "-a"))
        .containsExactly("ps");
    assertThat(verbsBuiltFor("--engine=docker", "-fa.yaml", "--stacktrace", "up", "-d"))
        .containsExactly("up");
    assertThat(verbsBuiltFor("image", "build", ".")).containsExactly("image");
    // No verb, help, completion and anything picocli must correct get every verb.
    for (String[] all :
        new String[][] {
          {}, {"--help"}, {"help", "up"}, {"completion"}, {"pss"}, {"--no-such-flag", "ps"}
        }) {
      assertThat(verbsBuiltFor(all))
          .as(String.join(" ", all))
          .contains("up", "ps", "help")
          .hasSizeGreaterThan(25);
    }
  }

  @Test
  void aMisspeltVerb_isAUsageErrorThatSuggestsTheRightOne() {
    Run r = run("-p", "x", "pss");
    assertThat(r.code()).isEqualTo(Jstack.EXIT_USAGE);
    assertThat(r.err()).contains("pss").contains("ps");
  }

  @Test
  void version_printsTheBuildVersion() {
    Run r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).matches("jstack version \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    assertThat(run("version", "--short").out().strip()).doesNotContain("jstack").isNotEmpty();
  }

  @Test
  void help_listsTheVerbs() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: jstack").contains("version").contains("help");
  }

  @Test
  void everyCommand_answersHelpAndH_withItsOwnUsage() {
    java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
    commandPaths(
        Jstack.commandLine(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            Map.of(),
            (kind, env) -> {
              throw new AssertionError("--help must not open an engine");
            },
            null),
        new java.util.ArrayList<>(),
        paths);
    // The walk itself is checked: the verbs and the nested commands the bug report names.
    assertThat(paths)
        .contains(
            java.util.List.of("up"),
            java.util.List.of("image", "push"),
            java.util.List.of("engine", "status"))
        .hasSizeGreaterThan(30);
    for (java.util.List<String> path : paths) {
      for (String flag : new String[] {"--help", "-h"}) {
        java.util.List<String> args = new java.util.ArrayList<>(path);
        args.add(flag);
        Run r = run(args.toArray(String[]::new));
        String line = "jstack " + String.join(" ", args);
        assertThat(r.code()).as(line + ": " + r.err()).isZero();
        assertThat(r.err()).as(line).isEmpty();
        assertThat(r.out())
            .as(line)
            .startsWith("Usage: jstack " + String.join(" ", path) + (path.isEmpty() ? "" : " "));
      }
    }
  }

  private static void commandPaths(
      picocli.CommandLine cl,
      java.util.List<String> path,
      java.util.List<java.util.List<String>> out) {
    out.add(java.util.List.copyOf(path));
    for (var sub : cl.getSubcommands().entrySet()) {
      // Aliases name the same command again.
      if (!sub.getKey().equals(sub.getValue().getCommandName())) {
        continue;
      }
      path.add(sub.getKey());
      commandPaths(sub.getValue(), path, out);
      path.remove(path.size() - 1);
    }
  }

  @Test
  void unknownVerb_isAOneLineUsageErrorWithAHint() {
    Run r = run("verzion");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("jstack: unknown command 'verzion'; did you mean 'version'?")
        .contains("see 'jstack --help'");
  }

  @Test
  void unknownFlag_isAOneLineUsageError() {
    Run r = run("--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("jstack: unknown flag '--bogus'");
  }

  @Test
  void completion_coversEveryVerbAndItsFlags() {
    Run bash = run("completion", "bash");
    assertThat(bash.code()).isZero();
    assertThat(bash.out())
        .contains("complete -F _complete_jstack")
        .contains("exec")
        .contains("--remove-orphans");
    Run zsh = run("completion", "zsh");
    assertThat(zsh.out())
        .startsWith("#compdef jstack\nautoload -U +X bashcompinit && bashcompinit\n");
  }

  @Test
  void helpOfAVerb_showsItsExamples() {
    Run r = run("help", "up");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Usage: jstack up")
        .contains("Examples:")
        .contains("jstack up -d --wait");
  }
}

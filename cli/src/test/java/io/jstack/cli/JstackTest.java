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

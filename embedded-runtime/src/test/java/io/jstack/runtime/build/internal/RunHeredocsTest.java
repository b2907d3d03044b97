package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.build.Heredoc;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the shell runs for a RUN with here-documents, as BuildKit's dispatchRun makes it. */
class RunHeredocsTest {
  @Test
  void aLoneMarker_runsTheDocumentAsTheScript() {
    RunHeredocs.Script s =
        RunHeredocs.of("<<EOF", List.of(new Heredoc("EOF", "echo a\nwhoami\n", true, false, 0)));

    assertThat(s).isEqualTo(new RunHeredocs.Script("echo a\nwhoami\n", null));
  }

  @Test
  void aDashedMarker_stripsLeadingTabs_quotedOrNot() {
    assertThat(
            RunHeredocs.of("<<-EOF", List.of(new Heredoc("EOF", "\techo a\n", true, true, 0)))
                .script())
        .isEqualTo("echo a\n");
    assertThat(
            RunHeredocs.of("<<-'EOF'", List.of(new Heredoc("EOF", "\techo '$x'\n", false, true, 0)))
                .script())
        .isEqualTo("echo '$x'\n");
  }

  @Test
  void aShebang_makesAnExecutableFileInDevPipes_chompedForDash() {
    RunHeredocs.Script s =
        RunHeredocs.of(
            "<<-EOF",
            List.of(new Heredoc("EOF", "\t#!/bin/awk -f\n\tBEGIN { print 1 }\n", true, true, 0)));

    assertThat(s)
        .isEqualTo(
            new RunHeredocs.Script(
                "/dev/pipes/EOF",
                new RunHeredocs.File("EOF", "#!/bin/awk -f\nBEGIN { print 1 }\n")));
  }

  /** dockerfile_heredoc_test.go testRunComplexHeredoc: the shell reads the documents itself. */
  @Test
  void aCommandWithDocuments_handsTheShellTheDocumentsAfterIt() {
    RunHeredocs.Script s =
        RunHeredocs.of(
            "<<EOF 3<<IN1 awk -f -",
            List.of(
                new Heredoc("EOF", "BEGIN { print }\n", true, false, 0),
                new Heredoc("IN1", "\thello\n", true, true, 3)));

    assertThat(s.file()).isNull();
    assertThat(s.script()).isEqualTo("<<EOF 3<<IN1 awk -f -\nBEGIN { print }\nEOF\n\thello\nIN1");
  }

  @Test
  void aMarkerWithTwoWords_isAComplexCommand() {
    RunHeredocs.Script s =
        RunHeredocs.of("<<EOF sh", List.of(new Heredoc("EOF", "echo x\n", true, false, 0)));

    assertThat(s.script()).isEqualTo("<<EOF sh\necho x\nEOF");
    assertThat(RunHeredocs.of("<<'E F'", List.of(new Heredoc("E F", "x\n", false, false, 0))))
        .isEqualTo(new RunHeredocs.Script("x\n", null));
  }
}

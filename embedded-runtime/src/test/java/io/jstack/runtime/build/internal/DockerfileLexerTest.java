package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.runtime.build.DockerfileException;
import io.jstack.runtime.build.Heredoc;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileLexerTest {

  private static List<RawInstruction> lex(String text) {
    return DockerfileLexer.lex(text).instructions();
  }

  /** The Dockerfile of parser_heredoc_test.go TestParseExtractsHeredoc, with its expectations. */
  @Test
  void heredocs_areExtractedAsBuildKitsTestParseExtractsHeredoc() {
    String df =
        """

        FROM alpine:3.6
        RUN ls
        USER <<INVALID
        RUN <<EMPTY
        EMPTY
        RUN 3<<EMPTY2
        EMPTY2
        RUN "<<NOHEREDOC"
        RUN <<INDENT
        \tfoo
        \tbar
        INDENT
        RUN <<-UNINDENT2
        \tbaz
        \tquux
        \tUNINDENT2
        RUN <<-'NOEXPAND'
        \tdon't expand $NAME
        NOEXPAND
        RUN <<COMMENT
        # internal comment
        echo foo bar # trailing comment
        COMMENT
        RUN --mount=type=cache,target=/foo <<MOUNT
        echo hello
        MOUNT
        COPY <<FILE1 <<FILE2 /dest
        content 1
        FILE1
        content 2
        FILE2
        COPY <<X <<Y /dest
        Y
        X
        X
        Y
        RUN <<COMPLEX python3
        print('hello world')
        COMPLEX
        RUN <<eo'f'
        echo foo
        eof
        RUN <<eo\\'f
        echo foo
        eo'f
        RUN <<'e'o\\'f
        echo foo
        eo'f
        RUN <<'one two'
        echo bar
        one two
        RUN <<$EOF
        $EOF
        RUN <<  EOF  > foo
        EOF
        """;
    List<RawInstruction> in = lex(df);
    assertThat(in.get(1).heredocs()).isEmpty(); // RUN ls
    assertThat(in.get(2).heredocs()).isEmpty(); // USER cannot hold heredocs
    assertThat(in.get(3).heredocs()).containsExactly(new Heredoc("EMPTY", "", true, false, 0));
    assertThat(in.get(4).heredocs()).containsExactly(new Heredoc("EMPTY2", "", true, false, 3));
    assertThat(in.get(5).heredocs()).isEmpty(); // quoted "<<NOHEREDOC"
    assertThat(in.get(6).heredocs())
        .containsExactly(new Heredoc("INDENT", "\tfoo\n\tbar\n", true, false, 0));
    Heredoc unindent = in.get(7).heredocs().get(0);
    assertThat(unindent).isEqualTo(new Heredoc("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0));
    assertThat(unindent.text()).isEqualTo("baz\nquux\n");
    assertThat(in.get(8).heredocs())
        .containsExactly(new Heredoc("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0));
    assertThat(in.get(9).heredocs().get(0).content())
        .isEqualTo("# internal comment\necho foo bar # trailing comment\n");
    assertThat(in.get(10).heredocs())
        .containsExactly(new Heredoc("MOUNT", "echo hello\n", true, false, 0));
    assertThat(in.get(11).heredocs())
        .containsExactly(
            new Heredoc("FILE1", "content 1\n", true, false, 0),
            new Heredoc("FILE2", "content 2\n", true, false, 0));
    assertThat(in.get(12).heredocs())
        .containsExactly(
            new Heredoc("X", "Y\n", true, false, 0), new Heredoc("Y", "X\n", true, false, 0));
    assertThat(in.get(13).heredocs())
        .containsExactly(new Heredoc("COMPLEX", "print('hello world')\n", true, false, 0));
    assertThat(in.get(14).heredocs())
        .containsExactly(new Heredoc("eof", "echo foo\n", false, false, 0));
    assertThat(in.get(15).heredocs())
        .containsExactly(new Heredoc("eo'f", "echo foo\n", true, false, 0));
    assertThat(in.get(16).heredocs())
        .containsExactly(new Heredoc("eo'f", "echo foo\n", false, false, 0));
    assertThat(in.get(17).heredocs())
        .containsExactly(new Heredoc("one two", "echo bar\n", false, false, 0));
    assertThat(in.get(18).heredocs()).containsExactly(new Heredoc("$EOF", "", true, false, 0));
    assertThat(in.get(19).heredocs()).containsExactly(new Heredoc("EOF", "", true, false, 0));
    assertThat(in).hasSize(20);
  }

  /** parser_heredoc_test.go TestParseJSONHeredoc: the exec form has no heredocs. */
  @Test
  void jsonForm_hasNoHeredocs() {
    List<RawInstruction> in = lex("FROM alpine:3.6\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n");
    assertThat(in.get(1).heredocs()).isEmpty();
    assertThat(in.get(1).json()).isTrue();
    assertThat(in.get(2).args()).containsExactly("<<'EOF'");
  }

  @Test
  void unterminatedHeredoc_isAnErrorAtItsInstruction() {
    assertThatThrownBy(() -> lex("FROM a\nRUN <<EOF\necho hi\n"))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("Dockerfile:2: unterminated heredoc EOF; end it with a line holding only EOF");
  }

  /** The line numbers of testfile-line/Dockerfile (TestParseIncludesLineNumbers): 5, 11, 17. */
  @Test
  void lineNumbers_areWhereEachInstructionStarts() {
    String df =
        "# ESCAPE=\\\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n"
            + "# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\n\n"
            + "ENV GOPATH \\\n/go\n\n\n\n# Install the packages\n"
            + "RUN apt-get update \\\n\t&& dpkg -l \\\n\n\n    && apt-get clean \\\n"
            + "    # a comment in the middle\n\t&& rm -rf $GOPATH\n\n";
    assertThat(lex(df)).extracting(RawInstruction::line).containsExactly(5, 11, 17);
    assertThat(lex(df).get(2).args())
        .containsExactly("apt-get update \t&& dpkg -l     && apt-get clean \t&& rm -rf $GOPATH");
  }

  /** parser_test.go TestParseWarnsOnEmptyContinutationLine: empty and comment lines are skipped. */
  @Test
  void emptyAndCommentLinesInAContinuation_areSkipped() {
    String df =
        "FROM alpine:3.6\nRUN something \\\n\n    following \\\n\n    more\n"
            + "RUN non-indented \\\n# this is a comment\n   after-comment\n"
            + "RUN indented \\\n    # this is an indented comment\n    comment\n";
    List<RawInstruction> in = lex(df);
    assertThat(DockerfileLexer.lex(df).warnings())
        .containsExactly(
            "Dockerfile:6: empty continuation line found in: RUN something     following     more;"
                + " remove the empty lines inside the instruction");
    assertThat(in.get(1).args()).containsExactly("something     following     more");
    assertThat(in.get(2).args()).containsExactly("non-indented    after-comment");
    assertThat(in.get(3).args()).containsExactly("indented     comment");
  }

  /** testfiles/escape-with-syntax and escape-nonewline: the backtick continues lines. */
  @Test
  void backtickEscape_continuesLinesAndKeepsBackslashes() {
    DockerfileLexer.Result r =
        DockerfileLexer.lex("# syntax = docker/dockerfile\n# escape = `\n\nFROM `\n    image\n");
    assertThat(r.escape()).isEqualTo('`');
    assertThat(r.directives()).containsEntry("syntax", "docker/dockerfile");
    assertThat(r.instructions().get(0).args()).containsExactly("image");
    List<RawInstruction> in =
        lex(
            "# escape = `\n# no blank line\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go\n");
    assertThat(in.get(2).args()).containsExactly("GOPATH", "\\go", "");
  }

  /** testfiles/escape-after-comment: a directive after a comment is only a comment. */
  @Test
  void directiveAfterAComment_isIgnored() {
    DockerfileLexer.Result r =
        DockerfileLexer.lex("# Comment here.\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go");
    assertThat(r.escape()).isEqualTo('\\');
    assertThat(r.directives()).isEmpty();
    assertThat(r.instructions().get(1).args()).containsExactly("GOPATH", "\\go", "");
  }

  /** testfiles/continue-at-eof: a continuation on the last line ends the instruction. */
  @Test
  void continuationAtEndOfFile_endsTheInstruction() {
    assertThat(lex("FROM alpine:3.5\n\nRUN something \\").get(1).args())
        .containsExactly("something");
  }

  /** testfiles/escapes. */
  @Test
  void escapes_areKeptForTheFrontend() {
    List<RawInstruction> in =
        lex(
            "FROM ubuntu:14.04\nLABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\\"\n\n"
                + "RUN apt-get \\update && \\\n  apt-get \\\"install znc -y\nADD \\conf\\\\\" /.znc\n"
                + "CMD [ \"\\/usr\\\\\\\"/bin/znc\", \"-f\", \"-r\" ]\n");
    assertThat(in.get(1).args())
        .containsExactly("maintainer", "Erik \\\\Hollensbe <erik@hollensbe.org>\\\"", "");
    assertThat(in.get(2).args())
        .containsExactly("apt-get \\update &&   apt-get \\\"install znc -y");
    assertThat(in.get(3).args()).containsExactly("\\conf\\\\\"", "/.znc");
    assertThat(in.get(4).args()).containsExactly("/usr\\\"/bin/znc", "-f", "-r");
  }

  /** testfiles/env: the old and new ENV forms, quotes kept for the frontend. */
  @Test
  void env_bothFormsAsTriples() {
    List<RawInstruction> in =
        lex(
            "FROM ubuntu\nENV name value\nENV name=value name2=value2\nENV name=\"value value1\"\n"
                + "ENV name=value\\ value2\nENV name='a\\'b''\nENV name=value \\\n    name2=\"value2a \\\n"
                + "           value2b\" \\\n");
    assertThat(in.get(1).args()).containsExactly("name", "value", "");
    assertThat(in.get(2).args()).containsExactly("name", "value", "=", "name2", "value2", "=");
    assertThat(in.get(3).args()).containsExactly("name", "\"value value1\"", "=");
    assertThat(in.get(4).args()).containsExactly("name", "value\\ value2", "=");
    assertThat(in.get(5).args()).containsExactly("name", "'a\\'b''", "=");
    assertThat(in.get(6).args())
        .containsExactly("name", "value", "=", "name2", "\"value2a            value2b\"", "=");
  }

  /** testfiles/flags: flags before the arguments, and "--" ending them. */
  @Test
  void flags_areSplitOffUntilDoubleDash() {
    List<RawInstruction> in =
        lex(
            "FROM scratch\nCOPY --user=me --doit=true foo /tmp/\nCOPY --doit=true -- foo /tmp/\n"
                + "COPY -- foo /tmp/\nCMD --doit [ \"a\", \"b\" ]\nCMD --doit -- [ ]\n"
                + "COPY --chown=\"a b\" x y\n");
    assertThat(in.get(1).flags()).containsExactly("--user=me", "--doit=true");
    assertThat(in.get(1).args()).containsExactly("foo", "/tmp/");
    assertThat(in.get(2).flags()).containsExactly("--doit=true");
    assertThat(in.get(3).flags()).isEmpty();
    assertThat(in.get(3).args()).containsExactly("foo", "/tmp/");
    assertThat(in.get(4).args()).containsExactly("a", "b");
    assertThat(in.get(5).flags()).containsExactly("--doit");
    assertThat(in.get(5).args()).isEmpty();
    assertThat(in.get(6).flags()).containsExactly("--chown=a b");
  }

  /** testfiles/jeztah-invalid-json-*: invalid JSON is the shell form. */
  @Test
  void invalidJson_isTheShellForm() {
    List<RawInstruction> in =
        lex(
            "CMD ['echo','single quotes are invalid JSON']\nCMD [\"a\", \"b\"\n"
                + "CMD [\"echo\", \"Well, JSONscript\"]\n");
    assertThat(in.get(0).json()).isFalse();
    assertThat(in.get(0).args()).containsExactly("['echo','single quotes are invalid JSON']");
    assertThat(in.get(1).json()).isFalse();
    assertThat(in.get(2).json()).isTrue();
  }

  /** line_parsers.go: a JSON array of something else than strings is an error. */
  @Test
  void jsonArrayOfNumbers_isAnError() {
    assertThatThrownBy(() -> lex("FROM a\nCMD [1, 2]\n"))
        .hasMessage(
            "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only;"
                + " fix the instruction's syntax");
  }

  /** parser_test.go TestParseWords. */
  @Test
  void words_keepQuotesAndEscapes() {
    assertThat(LineParsers.words("foo bar 'abc xyz'", '\\'))
        .containsExactly("foo", "bar", "'abc xyz'");
    assertThat(LineParsers.words("foo\\ bar", '\\')).containsExactly("foo\\ bar");
    assertThat(LineParsers.words("föo bàr \"âbc xÿz\"", '\\'))
        .containsExactly("föo", "bàr", "\"âbc xÿz\"");
  }

  /** directives_test.go: directives only at the top, each once, escape only \ or `. */
  @Test
  void directives_onlyAtTheTopAndOnce() {
    DockerfileLexer.Result r =
        DockerfileLexer.lex("# syntax=docker/dockerfile:1\n# check=skip=all\nFROM a\n# escape=`\n");
    assertThat(r.directives())
        .containsEntry("syntax", "docker/dockerfile:1")
        .containsEntry("check", "skip=all");
    assertThat(r.escape()).isEqualTo('\\');
    assertThatThrownBy(() -> DockerfileLexer.lex("# escape=`\n# escape=\\\nFROM a\n"))
        .hasMessage(
            "Dockerfile:2: only one escape parser directive can be used; remove the repeated one");
    assertThatThrownBy(() -> DockerfileLexer.lex("# escape=x\nFROM a\n"))
        .hasMessageStartingWith("Dockerfile:1: invalid escape token 'x' does not match ` or \\;");
    // An unknown directive ends the directives.
    assertThat(DockerfileLexer.lex("# foo=bar\n# escape=`\nFROM a\n").escape()).isEqualTo('\\');
  }

  @Test
  void emptyFile_isAnError() {
    assertThatThrownBy(() -> DockerfileLexer.lex("# only a comment\n\n"))
        .hasMessage("Dockerfile:2: the file has no instructions; start it with a FROM instruction");
  }
}

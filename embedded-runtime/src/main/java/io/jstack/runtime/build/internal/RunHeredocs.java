package io.jstack.runtime.build.internal;

import io.jstack.runtime.build.Heredoc;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the shell of a RUN with here-documents runs, as BuildKit's {@code dispatchRun} ({@code
 * frontend/dockerfile/dockerfile2llb/convert.go}) makes it: a command line that is only {@code
 * <<EOF} runs the document itself as the shell's script, or, when it starts with {@code #!}, as a
 * file of its own (mode 0755, at {@code /dev/pipes/<name>}) the kernel runs with that interpreter;
 * any other command line (several documents, a command reading one on its standard input or another
 * descriptor) is handed to the shell with its documents after it, for the shell to read as
 * here-documents. The frontend substitutes nothing in them: the shell does, as it would.
 */
public final class RunHeredocs {
  /** BuildKit's {@code reHeredoc}: a word that is only a here-document's marker. */
  private static final Pattern MARKER = Pattern.compile("^(\\d*)<<(-?)\\s*([^<]*)$");

  /** Where BuildKit mounts the file of a document with {@code #!}. */
  public static final String PIPES = "/dev/pipes/";

  private RunHeredocs() {}

  /**
   * What the shell runs.
   *
   * @param script the shell's command string (for a file, the file's path in the container)
   * @param file the document to mount as an executable file at {@code script}, or null
   */
  public record Script(String script, @Nullable File file) {}

  /** A document run as a file: its name below {@link #PIPES} and its content. */
  public record File(String name, String content) {}

  /** The shell's script for command line {@code line} followed by {@code docs}. */
  public static Script of(String line, List<Heredoc> docs) {
    Matcher m = MARKER.matcher(line);
    if (m.matches() && single(m.group(3))) {
      Heredoc doc = docs.get(0);
      String data = doc.text();
      if (data.startsWith("#!")) {
        return new Script(PIPES + doc.name(), new File(doc.name(), data));
      }
      return new Script(data, null);
    }
    StringBuilder b = new StringBuilder(line);
    for (Heredoc d : docs) {
      b.append('\n').append(d.content()).append(d.name());
    }
    return new Script(b.toString(), null);
  }

  /** Whether {@code rest} is one shell word (quotes allowed), as BuildKit's sanity check. */
  private static boolean single(String rest) {
    if (rest.isEmpty()) {
      return false;
    }
    char quote = 0;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"') {
          i++;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        i++;
      } else if (Character.isWhitespace(c)) {
        return rest.substring(i).isBlank();
      }
    }
    return true;
  }
}

package io.jstack.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The question a command asks before it removes something, as Docker's CLIs ask it. */
public final class Confirm {
  private Confirm() {}

  /**
   * Prints {@code question} (e.g. {@code ...\nAre you sure? [y/N] }) on {@code out} and reads a
   * line of {@code in}, byte by byte so that nothing after it is taken: whether it says yes ({@code
   * y} or {@code yes}, in any case). No answer, the end of the input, is no.
   */
  public static boolean yes(PrintWriter out, InputStream in, String question) throws IOException {
    out.print(question);
    out.flush();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    String answer = line.toString(StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
    return List.of("y", "yes").contains(answer);
  }
}

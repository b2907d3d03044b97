package io.jstack.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code jstack} process entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = Jstack.runProcess(args, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(code);
  }
}

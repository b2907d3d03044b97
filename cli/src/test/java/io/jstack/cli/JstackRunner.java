package io.jstack.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs jstack command lines in-process with a given environment, for integration tests. */
public final class JstackRunner {
  private final Map<String, String> env;

  public JstackRunner(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** What one run printed, and its exit code. */
  public record Run(int code, String out, String err) {}

  /** Runs {@code base} followed by {@code args}. */
  public Run run(String[] base, String... args) {
    return runWithInput(new byte[0], base, args);
  }

  /** Runs {@code base} followed by {@code args}, with {@code stdin} as its standard input. */
  public Run runWithInput(byte[] stdin, String[] base, String... args) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            env,
            io.jstack.runtime.Engines::open,
            new java.io.ByteArrayInputStream(stdin));
    return new Run(code, out.toString(), err.toString());
  }
}

package io.jstack.engine;

import org.jspecify.annotations.Nullable;

/**
 * A container's output, line by line: what it has written so far and, when following, what it
 * writes next until it stops or the stream is closed.
 */
public interface LogStream extends AutoCloseable {
  /**
   * The next line, blocking while following; {@code null} at the end.
   *
   * @throws EngineException when the engine breaks the stream
   */
  @Nullable Line next();

  /** Ends the stream; a blocked {@link #next()} returns {@code null}. */
  @Override
  void close();

  /** Which stream a line came from. */
  enum Source {
    STDOUT,
    STDERR
  }

  /**
   * One line without its line break; {@code timestamp} is the engine's RFC 3339 time when asked
   * for, else null.
   */
  record Line(Source source, @Nullable String timestamp, String text) {}

  /**
   * What to read.
   *
   * @param tail only the last N lines, or null for all
   * @param since only lines after this (RFC 3339 time, or a Unix time, or a duration like 10m), or
   *     null
   * @param until only lines before this, or null
   */
  record Options(
      boolean follow,
      @Nullable Integer tail,
      @Nullable String since,
      @Nullable String until,
      boolean timestamps) {
    public static Options all() {
      return new Options(false, null, null, null, false);
    }
  }
}

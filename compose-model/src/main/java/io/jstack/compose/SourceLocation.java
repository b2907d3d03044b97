package io.jstack.compose;

/**
 * A place in a source file: its name as the user gave it (relative names stay relative), 1-based
 * line and column.
 */
public record SourceLocation(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}

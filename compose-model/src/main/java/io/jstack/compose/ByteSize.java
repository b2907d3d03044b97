package io.jstack.compose;

/** An amount of memory or disk in bytes, written in files as {@code 512m}, {@code 1gb}, ... */
public record ByteSize(long bytes) {
  @Override
  public String toString() {
    return Long.toString(bytes);
  }
}

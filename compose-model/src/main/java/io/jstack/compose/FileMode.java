package io.jstack.compose;

/** Unix permission bits of a file, written as octal text ({@code "0440"}) as Compose prints it. */
public record FileMode(int bits) {
  @Override
  public String toString() {
    return String.format("0%o", bits);
  }
}

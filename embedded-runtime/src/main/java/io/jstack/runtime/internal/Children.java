package io.jstack.runtime.internal;

import java.io.File;
import java.util.List;

/**
 * The processes the engine starts (conmon, runc, ip, iptables): each from {@code /}, so that none
 * depends on the directory the engine was started from, which its caller may delete.
 */
public final class Children {
  private static final File ROOT = new File("/");

  private Children() {}

  /** A process builder for {@code command}, working in {@code /}. */
  public static ProcessBuilder of(List<String> command) {
    return new ProcessBuilder(command).directory(ROOT);
  }

  /** A process builder for {@code command}, working in {@code /}. */
  public static ProcessBuilder of(String... command) {
    return of(List.of(command));
  }
}

package io.jstack.junit.internal;

import io.jstack.compose.Project;
import io.jstack.compose.ProjectWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Project names for stacks started from Java: unique to the JVM (its pid and a random tag) and to
 * the stack (a counter), so that forks and parallel tests never share one; or, for reuse, derived
 * from the hash of the resolved model, so that the next run finds the same stack and a changed
 * model gets a new one.
 */
public final class StackNames {
  /** The part of a reused stack's name before its model hash. */
  static final String REUSE_MARK = "-reuse-";

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** This JVM's tag: its pid and 4 random hex digits (pids repeat across hosts and containers). */
  private static final String JVM_TAG =
      ProcessHandle.current().pid()
          + Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xf000));

  private StackNames() {}

  /** A name no other stack of any JVM on this host has: {@code <base>-<pid><tag>-<n>}. */
  public static String unique(String base) {
    return clean(base) + "-" + JVM_TAG + "-" + SEQUENCE.incrementAndGet();
  }

  /** The name a reused stack of {@code base} with model hash {@code key} runs under. */
  public static String reused(String base, String key) {
    return clean(base) + REUSE_MARK + key.substring(0, 12);
  }

  /** Whether {@code project} is a reused stack of {@code base} (with any model). */
  public static boolean isReuseOf(String project, String base) {
    String prefix = clean(base) + REUSE_MARK;
    return project.startsWith(prefix) && project.substring(prefix.length()).matches("[0-9a-f]{12}");
  }

  /**
   * The SHA-256 (hex) of the resolved model: every service, network, volume, secret and config as
   * {@code jstack config --format json} prints them, whatever the project's own name.
   */
  public static String modelKey(Project project) {
    Project anonymous =
        new Project(
            "x",
            project.services(),
            project.networks(),
            project.volumes(),
            project.secrets(),
            project.configs(),
            project.models(),
            project.extensions());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(ProjectWriter.json(anonymous).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** {@code base} as a project name may spell it: lower case, letters, digits, - and _. */
  static String clean(String base) {
    String s = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    s = s.replaceAll("^[^a-z0-9]+", "");
    return s.isEmpty() ? "stack" : s;
  }
}

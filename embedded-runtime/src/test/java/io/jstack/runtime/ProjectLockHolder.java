package io.jstack.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process of {@link ProjectLockTest}: {@code hold FILE} takes the lock, prints {@link
 * #HELD} and releases it when its standard input ends; {@code count FILE COUNTER N} adds one to the
 * number in COUNTER N times, each under the lock, then prints {@link #DONE}.
 */
@SuppressWarnings("try") // A lock is used by holding it: its try blocks never name it.
public final class ProjectLockHolder {
  static final String HELD = "held";
  static final String DONE = "done";

  private ProjectLockHolder() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    if (args[0].equals("hold")) {
      try (ProjectLock lock = ProjectLock.take(file, "p", "jstack holder", line -> {})) {
        System.out.println(HELD);
        System.out.flush();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
          // Held until the test closes our input.
        }
      }
      return;
    }
    Path counter = Path.of(args[2]);
    int times = Integer.parseInt(args[3]);
    for (int i = 0; i < times; i++) {
      try (ProjectLock lock = ProjectLock.take(file, "p", "jstack counter", line -> {})) {
        ProjectLockTest.addOne(counter);
      }
    }
    System.out.println(DONE);
  }
}

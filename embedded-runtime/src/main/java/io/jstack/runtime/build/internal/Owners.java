package io.jstack.runtime.build.internal;

import io.jstack.runtime.container.internal.RootPaths;
import java.io.IOException;

/**
 * The owner {@code --chown} and WORKDIR give files: numbers as they are, names looked up in the
 * stage's own {@code /etc/passwd} and {@code /etc/group}. As Docker documents, a user without a
 * group gets the user's number as its group.
 */
public final class Owners {
  private Owners() {}

  /** A numeric owner. */
  public record Owner(int uid, int gid) {
    /** root:root. */
    public static final Owner ROOT = new Owner(0, 0);
  }

  /**
   * The owner {@code spec} ({@code user[:group]}) names in the file system at {@code root}.
   *
   * @throws IllegalArgumentException when a name is not in the stage's passwd or group file
   */
  public static Owner parse(String spec, java.nio.file.Path root) throws IOException {
    String[] parts = spec.split(":", 2);
    int uid = id(parts[0], root, "/etc/passwd", "user");
    int gid = parts.length > 1 ? id(parts[1], root, "/etc/group", "group") : uid;
    return new Owner(uid, gid);
  }

  private static int id(String name, java.nio.file.Path root, String file, String what)
      throws IOException {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    String text = root == null ? null : RootPaths.readIfFile(root, file);
    if (text != null) {
      for (String line : text.split("\n")) {
        String[] f = line.split(":");
        if (f.length > 2 && f[0].equals(name)) {
          return Integer.parseInt(f[2].trim());
        }
      }
    }
    throw new IllegalArgumentException(
        "unable to find " + what + " " + name + ": no matching entries in " + file);
  }
}

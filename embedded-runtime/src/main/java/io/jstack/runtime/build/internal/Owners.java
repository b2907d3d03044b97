package io.jstack.runtime.build.internal;

import io.jstack.runtime.container.internal.RootPaths;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The owner {@code --chown} and WORKDIR give files, as BuildKit's {@code readUser}
 * (solver/llbsolver/ops/user_linux.go): a number is the user and, without a group, the group too; a
 * name is looked up in the stage's own {@code /etc/passwd} (read inside the stage's root, never
 * through a link out of it) and gives the user's number and primary group; a group name is looked
 * up in its {@code /etc/group}.
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
  public static Owner parse(String spec, Path root) throws IOException {
    String[] parts = spec.split(":", 2);
    int uid;
    int gid;
    if (parts[0].matches("\\d+")) {
      uid = Integer.parseInt(parts[0]);
      gid = uid;
    } else {
      String[] entry = entry(parts[0], root, "/etc/passwd", "user");
      uid = number(entry[2], spec);
      gid = entry.length > 3 ? number(entry[3], spec) : uid;
    }
    if (parts.length > 1) {
      gid =
          parts[1].matches("\\d+")
              ? Integer.parseInt(parts[1])
              : number(entry(parts[1], root, "/etc/group", "group")[2], spec);
    }
    return new Owner(uid, gid);
  }

  private static int number(String field, String spec) {
    try {
      return Integer.parseInt(field.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unable to use " + spec + ": a malformed id " + field, e);
    }
  }

  private static String[] entry(String name, Path root, String file, String what)
      throws IOException {
    @Nullable String text = RootPaths.readIfFile(root, file);
    if (text != null) {
      for (String line : text.split("\n")) {
        String[] f = line.split(":", -1);
        if (f.length > 2 && f[0].equals(name)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException(
        "unable to find " + what + " " + name + ": no matching entries in " + file);
  }
}

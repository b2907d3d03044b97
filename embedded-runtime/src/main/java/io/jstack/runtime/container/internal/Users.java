package io.jstack.runtime.container.internal;

import io.jstack.engine.EngineException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Resolves a container's {@code user} ({@code name|uid[:group|gid]}) against the image's own {@code
 * /etc/passwd} and {@code /etc/group}, read without leaving its root filesystem.
 */
public final class Users {
  private Users() {}

  public static OciSpec.User resolve(Path rootfs, @Nullable String user) throws IOException {
    String spec = user == null || user.isEmpty() ? "0" : user;
    String name = spec;
    String group = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      name = spec.substring(0, colon);
      group = spec.substring(colon + 1);
    }
    List<String[]> passwd = table(RootPaths.readIfFile(rootfs, "/etc/passwd"));
    List<String[]> groups = table(RootPaths.readIfFile(rootfs, "/etc/group"));
    long uid;
    long gid;
    String home = "/";
    String[] entry = null;
    for (String[] p : passwd) {
      if (p.length >= 4 && (p[0].equals(name) || p[2].equals(name))) {
        entry = p;
        break;
      }
    }
    if (entry != null) {
      uid = Long.parseLong(entry[2]);
      gid = Long.parseLong(entry[3]);
      home = entry.length > 5 && !entry[5].isEmpty() ? entry[5] : "/";
    } else if (name.matches("\\d+")) {
      uid = Long.parseLong(name);
      gid = 0; // as Docker does for a uid the image does not know
      home = uid == 0 ? "/root" : "/";
    } else {
      throw new EngineException(
          "unable to find user "
              + name
              + ": no matching entries in the image's /etc/passwd; use a numeric uid or add the user to the image");
    }
    if (group != null) {
      Long g = gid(groups, group, true);
      if (g == null) {
        throw new EngineException(
            "unable to find group "
                + group
                + ": no matching entries in the image's /etc/group; use a numeric gid");
      }
      gid = g;
    }
    // Docker's processes always have their primary group among their supplementary ones.
    List<Long> extra = new ArrayList<>(List.of(gid));
    String userName = entry != null ? entry[0] : null;
    if (userName != null && group == null) {
      for (String[] e : groups) {
        if (e.length >= 4 && List.of(e[3].split(",")).contains(userName)) {
          long g = Long.parseLong(e[2]);
          if (!extra.contains(g)) {
            extra.add(g);
          }
        }
      }
    }
    return new OciSpec.User(uid, gid, extra, home);
  }

  /**
   * {@code user} with the groups of {@code group_add} ({@code tuning.groups()}) among its
   * supplementary ones, each by name in the image's {@code /etc/group} or by number.
   *
   * @throws EngineException naming a group the image does not know
   */
  public static OciSpec.User withGroups(
      Path rootfs, OciSpec.User user, io.jstack.runtime.container.ContainerConfig.Tuning tuning)
      throws IOException {
    if (tuning.groups().isEmpty()) {
      return user;
    }
    List<String[]> groups = table(RootPaths.readIfFile(rootfs, "/etc/group"));
    List<Long> gids = new ArrayList<>(user.additionalGids());
    for (String group : tuning.groups()) {
      Long g = gid(groups, group, false);
      if (g == null) {
        throw new EngineException(
            "group_add: unable to find group "
                + group
                + " in the image's /etc/group; use a numeric gid or add the group to the image");
      }
      if (!gids.contains(g)) {
        gids.add(g);
      }
    }
    return new OciSpec.User(user.uid(), user.gid(), gids, user.home());
  }

  /**
   * The gid of {@code group} in the image's {@code /etc/group} entries, by name (or, with {@code
   * byGid}, by its gid's text too), else the number it is; null when neither.
   */
  private static @Nullable Long gid(List<String[]> groups, String group, boolean byGid) {
    for (String[] e : groups) {
      if (e.length >= 3 && (e[0].equals(group) || (byGid && e[2].equals(group)))) {
        return Long.parseLong(e[2]);
      }
    }
    return group.matches("\\d+") ? Long.parseLong(group) : null;
  }

  private static List<String[]> table(@Nullable String content) {
    List<String[]> out = new ArrayList<>();
    if (content == null) {
      return out;
    }
    for (String line : content.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      try {
        if (f.length >= 3) {
          Long.parseLong(f[2]);
          out.add(f);
        }
      } catch (NumberFormatException malformed) {
        // Skip lines that are not entries.
      }
    }
    return out;
  }
}

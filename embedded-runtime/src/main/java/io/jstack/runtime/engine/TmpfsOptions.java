package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The mount options of a container's tmpfs, as dockerd makes them: {@code noexec,nosuid,nodev} and
 * private propagation by default, then the options it asks for ({@code HostConfig.Tmpfs}'s option
 * string, or a tmpfs {@code Mounts} entry's {@code ReadOnly} and {@code TmpfsOptions}), the last of
 * each kind winning (moby {@code mount.MergeTmpfsOptions}; {@code ConvertTmpfsOptions} of its Linux
 * mount parser). Without {@code size} or {@code mode} the kernel's defaults hold: half the memory,
 * mode 1777.
 *
 * <p>Options are checked here, at create, so that a bad one fails with its container, option and
 * fix named, where runc would only say "invalid argument" at start.
 */
final class TmpfsOptions {
  private TmpfsOptions() {}

  /** dockerd's defaults, before the container's own options. */
  static final List<String> DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");

  /**
   * Mount flags by the kind they set: of two flags of one kind the later wins (propagation modes
   * are one kind).
   */
  private static final Map<String, String> FLAG_KINDS =
      Map.ofEntries(
          Map.entry("ro", "ro"),
          Map.entry("rw", "ro"),
          Map.entry("suid", "suid"),
          Map.entry("nosuid", "suid"),
          Map.entry("dev", "dev"),
          Map.entry("nodev", "dev"),
          Map.entry("exec", "exec"),
          Map.entry("noexec", "exec"),
          Map.entry("sync", "sync"),
          Map.entry("async", "sync"),
          Map.entry("dirsync", "dirsync"),
          Map.entry("mand", "mand"),
          Map.entry("nomand", "mand"),
          Map.entry("atime", "atime"),
          Map.entry("noatime", "atime"),
          Map.entry("diratime", "diratime"),
          Map.entry("nodiratime", "diratime"),
          Map.entry("relatime", "relatime"),
          Map.entry("norelatime", "relatime"),
          Map.entry("strictatime", "strictatime"),
          Map.entry("nostrictatime", "strictatime"),
          Map.entry("private", "propagation"),
          Map.entry("rprivate", "propagation"),
          Map.entry("shared", "propagation"),
          Map.entry("rshared", "propagation"),
          Map.entry("slave", "propagation"),
          Map.entry("rslave", "propagation"),
          Map.entry("unbindable", "propagation"),
          Map.entry("runbindable", "propagation"));

  private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgGtTpPeE%]?");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+[kKmMgG]?");
  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{1,4}");
  private static final Pattern ID = Pattern.compile("[0-9]+");

  /** The values each data option takes, by name, with what a user would write. */
  private static final Map<String, Pattern> DATA =
      Map.of(
          "size", SIZE,
          "nr_blocks", NUMBER,
          "nr_inodes", NUMBER,
          "mode", OCTAL,
          "uid", ID,
          "gid", ID,
          "mpol", Pattern.compile("[a-z]+(:[0-9,-]+)?(=[a-z]+)?"));

  private static final String KNOWN =
      "ro, rw, exec, noexec, suid, nosuid, dev, nodev, size=, mode=, uid=, gid=, nr_inodes=,"
          + " nr_blocks=, mpol= and the mount flags of mount(8)";

  /**
   * The options of tmpfs {@code target} of container {@code container} that asks for {@code data}
   * (comma-separated, as {@code --tmpfs /run:size=64m,mode=0755} writes it; empty for none).
   *
   * @throws EngineException.InvalidArgument when the target is not an absolute path other than
   *     {@code /}, or an option is unknown or has a value the kernel would refuse
   */
  static List<String> of(String container, String target, String data) {
    checkTarget(container, target);
    List<String> all = new ArrayList<>(DEFAULTS);
    for (String o : data.split(",")) {
      if (!o.isBlank()) {
        all.add(o.strip());
      }
    }
    // From the last: the first of each kind seen is the one kept, in its place among the others.
    Set<String> kinds = new HashSet<>();
    List<String> merged = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      String o = all.get(i);
      if (o.equals("defaults")) {
        continue;
      }
      String kind = FLAG_KINDS.get(o);
      if (kind == null) {
        int eq = o.indexOf('=');
        String name = eq < 0 ? o : o.substring(0, eq);
        Pattern value = DATA.get(name);
        if (eq < 0 || value == null) {
          throw bad(container, target, "unknown option \"" + o + "\" (known: " + KNOWN + ")");
        }
        if (!value.matcher(o.substring(eq + 1)).matches()) {
          throw bad(
              container,
              target,
              "option \""
                  + o
                  + "\" has a bad value ("
                  + switch (name) {
                    case "size" -> "a size in bytes, 64m, 1g or 50%";
                    case "mode" -> "octal permission bits, 1777 or 0700";
                    case "uid", "gid" -> "a number";
                    case "mpol" -> "default, prefer:NODE, bind:NODES or interleave:NODES";
                    default -> "a number, 64k or 1m";
                  }
                  + ")");
        }
        kind = "=" + name;
      }
      if (kinds.add(kind)) {
        merged.add(0, o);
      }
    }
    return List.copyOf(merged);
  }

  /**
   * The option string of a tmpfs {@code Mounts} entry (empty for none), as dockerd writes it: a
   * size in the largest unit that divides it ({@code size=10m}), the mode in octal.
   */
  static String data(boolean readOnly, @Nullable Long sizeBytes, @Nullable Integer mode) {
    List<String> out = new ArrayList<>();
    if (readOnly) {
      out.add("ro");
    }
    if (mode != null && mode != 0) {
      out.add("mode=" + Integer.toOctalString(mode));
    }
    if (sizeBytes != null && sizeBytes != 0) {
      long size = sizeBytes;
      String unit = "";
      for (Object[] u : new Object[][] {{"g", 1L << 30}, {"m", 1L << 20}, {"k", 1L << 10}}) {
        long divisor = (Long) u[1];
        if (size % divisor == 0) {
          size /= divisor;
          unit = (String) u[0];
          break;
        }
      }
      out.add("size=" + size + unit);
    }
    return String.join(",", out);
  }

  /**
   * Checks that a mount's target is an absolute path other than {@code /}.
   *
   * @throws EngineException.InvalidArgument when it is not
   */
  static void checkTarget(String container, String target) {
    if (!target.startsWith("/")) {
      throw bad(container, target, "the mount point must be an absolute path");
    }
    if (target.replaceAll("/+", "/").equals("/")) {
      throw bad(container, target, "a tmpfs cannot replace the root filesystem; mount it below /");
    }
  }

  private static EngineException.InvalidArgument bad(String container, String target, String what) {
    return new EngineException.InvalidArgument(
        "tmpfs " + target + " of container " + container + ": " + what);
  }
}

package io.jstack.runtime.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The few file-system calls the JDK lacks, made through libc: device nodes and FIFOs ({@code
 * mknod}), syncing a whole file system ({@code syncfs}), and extended attributes of any namespace
 * on a path that is never followed if it is a symbolic link ({@code lsetxattr}). Device nodes and
 * {@code trusted.*} attributes need root.
 */
public final class NativeFs {
  private NativeFs() {}

  /** A character device. */
  public static final int S_IFCHR = 0020000;

  /** A block device. */
  public static final int S_IFBLK = 0060000;

  /** A FIFO. */
  public static final int S_IFIFO = 0010000;

  private interface LibC extends Library {
    int mknod(String path, int mode, long dev) throws LastErrorException;

    int lsetxattr(String path, String name, byte[] value, long size, int flags)
        throws LastErrorException;

    long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

    long llistxattr(String path, byte[] list, long size) throws LastErrorException;

    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    int mount(String source, String target, String type, long flags, String data)
        throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int syncfs(int fd) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, long request, com.sun.jna.ptr.IntByReference arg) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /**
   * Makes a device node or FIFO at {@code path}; {@code type} is {@link #S_IFCHR}, {@link #S_IFBLK}
   * or {@link #S_IFIFO}.
   */
  public static void mknod(Path path, int type, int permissions, int major, int minor)
      throws IOException {
    long dev =
        ((long) (major & 0xfff) << 8)
            | (minor & 0xff)
            | ((long) (minor & ~0xff) << 12)
            | ((long) (major & ~0xfff) << 32);
    try {
      Holder.LIBC.mknod(path.toString(), type | (permissions & 07777), dev);
    } catch (LastErrorException e) {
      throw new IOException("mknod " + path + ": " + strerror(e), e);
    }
  }

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  /** Sets the access and modification times of {@code path} itself, never through a link. */
  public static void setTimes(Path path, java.nio.file.attribute.FileTime time) throws IOException {
    java.time.Instant t = time.toInstant();
    long[] times = {t.getEpochSecond(), t.getNano(), t.getEpochSecond(), t.getNano()};
    try {
      Holder.LIBC.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw new IOException("setting the times of " + path + ": " + strerror(e), e);
    }
  }

  private static final int MNT_DETACH = 2;

  /** Mounts an overlay of {@code lower} (top layer first) with its writable {@code upper}. */
  public static void mountOverlay(List<Path> lower, Path upper, Path work, Path target)
      throws IOException {
    mountOverlay(lower, upper, work, target, false);
  }

  /**
   * As {@link #mountOverlay(List, Path, Path, Path)}; with {@code unsynced}, overlayfs's {@code
   * volatile} option (Linux 5.10 and later; plain where the kernel refuses it), so that unmounting
   * it does not sync the upper directory's whole file system (2.5-5 ms on a busy host): for a root
   * that is never mounted again.
   */
  public static void mountOverlay(
      List<Path> lower, Path upper, Path work, Path target, boolean unsynced) throws IOException {
    StringBuilder lowers = new StringBuilder();
    for (Path l : lower) {
      String s = l.toString();
      if (s.contains(",") || s.contains(":")) {
        throw new IOException(
            "layer path " + s + " holds ',' or ':', which overlayfs options cannot carry");
      }
      lowers.append(lowers.length() == 0 ? "" : ":").append(s);
    }
    String data = "lowerdir=" + lowers + ",upperdir=" + upper + ",workdir=" + work;
    if (data.length() > 4000) {
      throw new IOException(
          "the image has too many layers for one overlay mount (" + lower.size() + ")");
    }
    if (unsynced) {
      try {
        Holder.LIBC.mount("overlay", target.toString(), "overlay", 0, data + ",volatile");
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != 22) { // EINVAL: a kernel without the option
          throw new IOException("mounting the overlay at " + target + ": " + strerror(e), e);
        }
      }
    }
    try {
      Holder.LIBC.mount("overlay", target.toString(), "overlay", 0, data);
    } catch (LastErrorException e) {
      throw new IOException("mounting the overlay at " + target + ": " + strerror(e), e);
    }
  }

  private static final long MS_NOSUID = 2;
  private static final long MS_NODEV = 4;

  /**
   * Mounts a new tmpfs at {@code target} with {@code mode} for its root and at most {@code size}
   * bytes (0: the kernel's default, half the memory), {@code nosuid} and {@code nodev}.
   */
  public static void mountTmpfs(Path target, int mode, long size) throws IOException {
    String data = "mode=" + Integer.toOctalString(mode) + (size > 0 ? ",size=" + size : "");
    try {
      Holder.LIBC.mount("tmpfs", target.toString(), "tmpfs", MS_NOSUID | MS_NODEV, data);
    } catch (LastErrorException e) {
      throw new IOException("mounting a tmpfs at " + target + ": " + strerror(e), e);
    }
  }

  /** Unmounts {@code target} (lazily when busy); a path that is not mounted is left alone. */
  public static void unmount(Path target) throws IOException {
    try {
      Holder.LIBC.umount2(target.toString(), MNT_DETACH);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == 22 || e.getErrorCode() == 2) { // EINVAL: not a mount point
        return;
      }
      throw new IOException("unmounting " + target + ": " + strerror(e), e);
    }
  }

  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 02000000;

  /**
   * Writes to the disk whatever is still in memory of the file system that holds {@code path}
   * ({@code syncfs}): one call where an {@code fsync} of each file written would take one each.
   */
  public static void syncFileSystem(Path path) throws IOException {
    int fd;
    try {
      fd = Holder.LIBC.open(path.toString(), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("opening " + path + " to sync its file system: " + strerror(e), e);
    }
    try {
      Holder.LIBC.syncfs(fd);
    } catch (LastErrorException e) {
      throw new IOException("syncing the file system of " + path + ": " + strerror(e), e);
    } finally {
      Holder.LIBC.close(fd);
    }
  }

  private static final long FS_IOC_GETFLAGS = 0x80086601L;
  private static final long FS_IOC_SETFLAGS = 0x40086602L;
  private static final int FS_TOPDIR_FL = 0x00020000;

  /**
   * Makes directory {@code dir} if need be and marks it as the top of directory hierarchies ({@code
   * chattr +T}), so that ext2, ext3 and ext4 spread the directories made in it over the file
   * system's block groups instead of keeping them near {@code dir}; for a directory whose
   * subdirectories come and go by the thousand (one per container, or volume). Best effort: false
   * where the file system has no such flag (nor any need of it) or refuses it, or where {@code dir}
   * cannot be made (which fails where it is used, saying what for).
   *
   * <p>Where it matters: an ext4 without a journal does not reuse an inode deleted in the last
   * minutes, and skips each one, with a look-up, whenever it makes a file nearby. A directory whose
   * subdirectories (each with a score of files) are made and deleted by the thousand, as containers
   * are, would have every new file pay for all those deletions: a fifth of the CPU of an {@code up}
   * of 50 containers, measured here.
   */
  public static boolean spreadSubdirectories(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      return attributes(dir, FS_TOPDIR_FL) != null;
    } catch (IOException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  /** Whether directory {@code dir} is marked as the top of directory hierarchies. */
  static boolean spreadsSubdirectories(Path dir) throws IOException {
    Integer flags = attributes(dir, 0);
    return flags != null && (flags & FS_TOPDIR_FL) != 0;
  }

  /**
   * The attribute flags of {@code path} ({@code lsattr}'s), after adding {@code add} to them where
   * they lack it; null where its file system has no such flags (not ext2/3/4: ENOTTY, EOPNOTSUPP)
   * or refuses those. Opened without O_DIRECTORY, whose value differs between architectures.
   */
  private static @Nullable Integer attributes(Path path, int add) throws IOException {
    int fd;
    try {
      fd = Holder.LIBC.open(path.toString(), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("opening " + path + ": " + strerror(e), e);
    }
    try {
      com.sun.jna.ptr.IntByReference flags = new com.sun.jna.ptr.IntByReference();
      Holder.LIBC.ioctl(fd, FS_IOC_GETFLAGS, flags);
      if ((flags.getValue() & add) != add) {
        flags.setValue(flags.getValue() | add);
        Holder.LIBC.ioctl(fd, FS_IOC_SETFLAGS, flags);
      }
      return flags.getValue();
    } catch (LastErrorException e) {
      return null;
    } finally {
      Holder.LIBC.close(fd);
    }
  }

  /** Sends signal number {@code signal} to process {@code pid}; false when it is gone. */
  public static boolean kill(long pid, int signal) throws IOException {
    try {
      Holder.LIBC.kill((int) pid, signal);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == 3) { // ESRCH
        return false;
      }
      throw new IOException("kill " + pid + ": " + strerror(e), e);
    }
  }

  /** Sets an extended attribute on {@code path} itself, never on what a symbolic link names. */
  public static void setXattr(Path path, String name, byte[] value) throws IOException {
    try {
      Holder.LIBC.lsetxattr(path.toString(), name, value, value.length, 0);
    } catch (LastErrorException e) {
      throw new IOException(
          "setting the attribute " + name + " on " + path + ": " + strerror(e), e);
    }
  }

  /** The value of an extended attribute of {@code path} itself, or null when it has none. */
  public static byte @Nullable [] getXattr(Path path, String name) throws IOException {
    byte[] buffer = new byte[65536];
    try {
      long n = Holder.LIBC.lgetxattr(path.toString(), name, buffer, buffer.length);
      return java.util.Arrays.copyOf(buffer, (int) n);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == 61) { // ENODATA
        return null;
      }
      throw new IOException(
          "reading the attribute " + name + " of " + path + ": " + strerror(e), e);
    }
  }

  /** The names of the extended attributes of {@code path} itself, in the order the kernel lists. */
  public static List<String> listXattrs(Path path) throws IOException {
    byte[] buffer = new byte[65536];
    long n;
    try {
      n = Holder.LIBC.llistxattr(path.toString(), buffer, buffer.length);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == 95) { // ENOTSUP: the file system has none
        return List.of();
      }
      throw new IOException("listing the attributes of " + path + ": " + strerror(e), e);
    }
    List<String> names = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (buffer[i] == 0) {
        if (i > start) {
          names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return names;
  }

  /** The value of a text attribute, or null. */
  public static @Nullable String getXattrText(Path path, String name) throws IOException {
    byte[] v = getXattr(path, name);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  static String strerror(LastErrorException e) {
    return switch (e.getErrorCode()) {
      case 1 -> "operation not permitted (needs root)";
      case 2 -> "no such file or directory";
      case 13 -> "permission denied";
      case 17 -> "file exists";
      case 95 -> "not supported by this file system";
      default -> "errno " + e.getErrorCode();
    };
  }
}

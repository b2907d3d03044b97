package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Paths inside a container's root filesystem, resolved as the container would see them: a symbolic
 * link is followed relative to the root, never to the host, and {@code ..} stops at the root. The
 * result always lies below the root.
 */
public final class RootPaths {
  private RootPaths() {}

  private static final int MAX_LINKS = 40;

  /** Where {@code path} (absolute, in the container) lives below {@code root} on the host. */
  public static Path resolve(Path root, String path) throws IOException {
    return below(root, resolve(p -> below(root, p), path));
  }

  /**
   * {@code path} (in the container) with every symbolic link on the way followed as the container
   * sees it: {@code view} tells where a container path whose every directory is real (no link) is
   * on the host (a root and the mounts over it); a link is followed relative to the container's
   * root, never the host's, and {@code ..} stops at the root.
   *
   * @return the absolute container path, without links, {@code .} or {@code ..}
   */
  public static String resolve(Function<String, Path> view, String path) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      done.addLast(part);
      Path candidate = view.apply(containerPath(done));
      if (Files.isSymbolicLink(candidate)) {
        done.pollLast();
        if (++links > MAX_LINKS) {
          throw new IOException("too many symbolic links resolving " + path + " in the container");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
      }
    }
    return containerPath(done);
  }

  /** The content of a regular file inside the root, or null when there is none. */
  public static @Nullable String readIfFile(Path root, String path) throws IOException {
    Path p = resolve(root, path);
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : null;
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }

  private static String containerPath(Deque<String> parts) {
    return "/" + String.join("/", parts);
  }

  /** Where the link-free container path {@code path} is below {@code root}. */
  private static Path below(Path root, String path) {
    Path p = root;
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        p = p.resolve(s);
      }
    }
    return p;
  }
}

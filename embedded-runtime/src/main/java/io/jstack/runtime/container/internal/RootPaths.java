package io.jstack.runtime.container.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
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
      Path candidate = join(root, done).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many symbolic links resolving " + path + " in the container");
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.addLast(part);
    }
    return join(root, done);
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

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}

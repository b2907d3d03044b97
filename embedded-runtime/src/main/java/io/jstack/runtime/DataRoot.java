package io.jstack.runtime;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The embedded engine's data root: images, layers, containers and volumes live below it, and what
 * does not outlive a boot (the runtime's state, conmon's pid and exit files) in {@link #run()}.
 *
 * <p>Chosen, in order, by {@code --data-root}, by {@code JSTACK_DATA_ROOT}, else {@code
 * /var/lib/jstack}. The path is made absolute so that every process sharing a store agrees on it.
 */
public record DataRoot(Path path) {
  public static final Path DEFAULT = Path.of("/var/lib/jstack");

  public DataRoot {
    path = path.toAbsolutePath().normalize();
  }

  /**
   * The run-time directory: the OCI runtime's state and each running container's conmon files,
   * which go with a reboot as its processes do. The engine keeps it on a tmpfs ({@link
   * RunDirectory}).
   */
  public Path run() {
    return path.resolve("run");
  }

  /** Resolves the data root from a flag value (may be {@code null}) and the environment. */
  public static DataRoot resolve(@Nullable String flag, Map<String, String> env) {
    if (flag != null && !flag.isBlank()) {
      return new DataRoot(Path.of(flag));
    }
    String fromEnv = env.get("JSTACK_DATA_ROOT");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new DataRoot(Path.of(fromEnv));
    }
    return new DataRoot(DEFAULT);
  }
}

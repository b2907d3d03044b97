package io.jstack.runtime.container;

import io.jstack.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host programs the embedded engine runs containers with: an OCI runtime ({@code runc}), {@code
 * conmon} to hold each container, and a static init for {@code init: true}.
 */
public record RuntimeTools(Path runtime, Path conmon, Path init) {
  private static final List<String> DIRS =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  /**
   * Finds the tools on this host.
   *
   * @throws EngineException naming the missing package and the command that installs it
   */
  public static RuntimeTools detect() {
    Path runc = find("runc").orElseThrow(() -> missing("runc", "runc"));
    Path conmon = find("conmon").orElseThrow(() -> missing("conmon", "conmon"));
    Path init = find("catatonit").or(() -> find("tini-static")).orElse(null);
    return new RuntimeTools(runc, conmon, init);
  }

  /** The static init, or an error saying how to get one. */
  public Path requireInit() {
    if (init == null) {
      throw missing("a static init for init: true (catatonit)", "catatonit");
    }
    return init;
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : (path + ":" + String.join(":", DIRS)).split(":")) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static EngineException missing(String what, String pkg) {
    return new EngineException(
        "the embedded engine needs "
            + what
            + ", which is not installed: apt-get install -y "
            + pkg);
  }
}

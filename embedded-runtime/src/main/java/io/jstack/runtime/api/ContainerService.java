package io.jstack.runtime.api;

import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.Health;
import io.jstack.runtime.engine.WaitFor;
import io.jstack.runtime.network.Network;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ContainerRoutes} and {@link ContainerJson} need of the engine: containers and their
 * lifecycle, by id, name or id prefix. Each method throws the engine's typed failures ({@code
 * EngineException.NotFound}, {@code Conflict}, ...), which {@link ApiErrors} maps to statuses.
 */
interface ContainerService {
  /** Every container, newest first. */
  List<Container> list();

  /** Whether it is a build step's container, the builder's own (no prune takes it). */
  boolean buildStep(String id);

  /** The bytes of its writable layer: what it wrote outside its volumes. */
  long writableLayerSize(String id);

  /** A container; {@code NotFound} when there is none. */
  Container require(String idOrName);

  /** Creates a container ({@code name} null: the engine names it); its id. */
  String create(@Nullable String name, ContainerSettings settings);

  /** Starts it; nothing when it runs. */
  void start(String idOrName);

  /** Stops it with {@code signal} (null: its own), then SIGKILL after {@code timeout}. */
  void stop(String idOrName, @Nullable String signal, @Nullable Duration timeout);

  /** Sends {@code signal} (null: SIGKILL). */
  void kill(String idOrName, @Nullable String signal);

  /**
   * Gives it another name ({@code InvalidArgument} for its own, {@code Conflict} for a taken one).
   */
  void rename(String idOrName, String newName);

  /** Freezes ({@code pause}) or thaws it. */
  void pause(String idOrName, boolean pause);

  /** Removes it, a running one only with {@code force}, with its anonymous volumes if asked. */
  void remove(String idOrName, boolean force, boolean removeVolumes);

  /** Blocks until {@code condition} holds; the exit code of its last run. */
  int await(String idOrName, WaitFor condition);

  /** The host pid of its process while it runs (Docker's {@code State.Pid}); 0 when none. */
  long pid(String id);

  /** The host pids of its processes. */
  List<Long> pids(String id);

  /**
   * The file on the host the engine made for it at {@code pathInContainer} ({@code /etc/hosts},
   * {@code /etc/hostname}, {@code /etc/resolv.conf}: inspect's {@code HostsPath}, ...).
   */
  Path generatedFile(String id, String pathInContainer);

  /** Its log file on the host (inspect's {@code LogPath}). */
  Path logFile(String id);

  /** Resizes its terminal. */
  void resize(String id, int rows, int columns);

  /** Where {@code path} inside it is on the host. */
  Path pathIn(String idOrName, String path);

  /**
   * The defaults of the image with ID {@code imageId} ({@code sha256:} of its config), which
   * inspect shows merged into a container's own config, as dockerd does; null when the store no
   * longer has it under a name.
   */
  default io.jstack.runtime.image.@Nullable ImageConfig imageDefaults(String imageId) {
    return null;
  }

  /** Its mounts as inspect shows them. */
  default List<io.jstack.runtime.engine.MountPoint> mountPoints(
      io.jstack.runtime.engine.ContainerRecord r) {
    return List.of();
  }

  /** Unpacks the tar stream {@code archive} into its directory {@code dir}. */
  void copyTo(String idOrName, String dir, InputStream archive);

  /** Its health, if it has a healthcheck and runs. */
  Optional<Health.State> health(String id);

  /** Whether the restart policy of {@code c}, as just read, is about to start it again. */
  boolean restarting(Container c);

  /** The network of an endpoint, by network id, if it still exists. */
  Optional<Network> network(String networkId);
}

package io.jstack.runtime.api;

import io.jstack.runtime.engine.Volumes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@link VolumeRoutes} needs of the engine: local volumes. */
interface VolumeService {
  /** Every volume. */
  List<Volumes.Volume> volumes();

  /** Creates a volume, or returns the one of that name. */
  Volumes.Volume createVolume(String name, Map<String, String> labels);

  /** A volume, if there is one. */
  Optional<Volumes.Volume> findVolume(String name);

  /** Removes a volume; {@code Conflict} naming a container that uses it. */
  void removeVolume(String name);

  /** The bytes of a volume's files. */
  long volumeSize(Volumes.Volume volume);

  /** Whether a container, running or not, mounts the volume. */
  boolean volumeInUse(String name);
}

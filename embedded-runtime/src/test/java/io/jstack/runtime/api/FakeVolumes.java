package io.jstack.runtime.api;

import io.jstack.runtime.engine.Volumes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Volumes in memory; removals are written down, and fail with {@link #failure} if set. */
final class FakeVolumes implements VolumeService {
  final Map<String, Volumes.Volume> byName = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  RuntimeException failure;

  /** The volumes a container uses: their removal is a Conflict, as the engine's. */
  final java.util.Set<String> inUse = new java.util.HashSet<>();

  FakeVolumes with(String name, Map<String, String> labels) {
    byName.put(
        name,
        new Volumes.Volume(
            name, labels, Path.of("/var/lib/jstack/volumes", name, "_data"), Fixtures.CREATED));
    return this;
  }

  @Override
  public List<Volumes.Volume> volumes() {
    return List.copyOf(byName.values());
  }

  @Override
  public Volumes.Volume createVolume(String name, Map<String, String> labels) {
    calls.add("create " + name + " " + labels);
    if (!byName.containsKey(name)) {
      with(name, labels);
    }
    return byName.get(name);
  }

  @Override
  public Optional<Volumes.Volume> findVolume(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public void removeVolume(String name) {
    calls.add("remove " + name);
    if (failure != null) {
      throw failure;
    }
    if (inUse.contains(name)) {
      throw new io.jstack.engine.EngineException.Conflict("volume " + name + " is in use");
    }
    if (!byName.containsKey(name)) {
      throw new io.jstack.engine.EngineException.NotFound("get " + name + ": no such volume");
    }
    byName.remove(name);
  }

  @Override
  public long volumeSize(Volumes.Volume volume) {
    return volume.name().length();
  }

  @Override
  public boolean volumeInUse(String name) {
    return inUse.contains(name);
  }
}

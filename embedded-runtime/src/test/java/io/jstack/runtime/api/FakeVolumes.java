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
    byName.remove(name);
  }
}

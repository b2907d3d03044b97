package io.jstack.planner;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Test fixture: a project from inline YAML and an engine's state built by hand around it. */
final class World {
  static final ContainerSpecs.Origin ORIGIN =
      new ContainerSpecs.Origin("/srv/demo", List.of("/srv/demo/compose.yaml"));

  final LoadedProject loaded;
  final List<ContainerInfo> containers = new ArrayList<>();
  final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
  final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();
  final Map<String, Optional<ImageInfo>> images = new HashMap<>();

  private World(LoadedProject loaded) {
    this.loaded = loaded;
  }

  static World of(Path dir, String yaml, String... profiles) {
    try {
      Path file = dir.resolve("compose.yaml");
      Files.writeString(file, yaml);
      return new World(
          ComposeLoader.load(
              ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir)
                  .withProfiles(List.of(profiles))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Project project() {
    return loaded.project();
  }

  World image(String ref, String id) {
    images.put(ref, Optional.of(ImageInfo.named(id, List.of(ref), Map.of())));
    return this;
  }

  /** A container of {@code service} as up-to-date jstack would have made it. */
  World container(String service, int number, ContainerInfo.State state, String id) {
    Service s =
        project().services().containsKey(service)
            ? project().services().get(service)
            : loaded.disabledServices().get(service);
    String imageId =
        images.getOrDefault(s.image(), Optional.empty()).map(ImageInfo::id).orElse("sha256:old");
    Map<String, String> labels = ContainerSpecs.labels(project(), s, number, imageId, ORIGIN);
    containers.add(
        new ContainerInfo(
            id,
            ContainerSpecs.containerName(project(), s, number),
            s.image(),
            imageId,
            labels,
            state,
            ContainerInfo.Health.NONE,
            0,
            Instant.EPOCH,
            List.of()));
    return this;
  }

  /** A container with labels given outright (an orphan, or one made from older settings). */
  World container(String name, String id, ContainerInfo.State state, Map<String, String> labels) {
    containers.add(
        new ContainerInfo(
            id,
            name,
            "busybox",
            "sha256:bb",
            labels,
            state,
            ContainerInfo.Health.NONE,
            0,
            Instant.EPOCH,
            List.of()));
    return this;
  }

  /** The container named {@code name} as the engine lists it with {@code mounts}. */
  World mounts(String name, ContainerInfo.Mount... mounts) {
    containers.replaceAll(c -> c.name().equals(name) ? c.withMounts(List.of(mounts)) : c);
    return this;
  }

  /** The containers of {@code earlier}, as if it had been brought up before the files changed. */
  World withContainersOf(World earlier) {
    containers.addAll(earlier.containers);
    return this;
  }

  World network(String name, Map<String, String> labels) {
    networks.put(name, new NetworkInfo("id-" + name, name, "bridge", false, labels));
    return this;
  }

  World volume(String name, Map<String, String> labels) {
    volumes.put(name, new VolumeInfo(name, "local", labels));
    return this;
  }

  /** The project's network {@code key} as up would have created it. */
  World projectNetwork(String key) {
    var n = project().networks().get(key);
    return network(
        n.name(),
        Map.of(
            ComposeLabels.PROJECT, project().name(),
            ComposeLabels.NETWORK, key,
            ComposeLabels.CONFIG_HASH, io.jstack.compose.ConfigHash.of(n)));
  }

  World projectVolume(String key) {
    var v = project().volumes().get(key);
    return volume(
        v.name(), Map.of(ComposeLabels.PROJECT, project().name(), ComposeLabels.VOLUME, key));
  }

  ObservedState observed() {
    return new ObservedState(containers, networks, volumes, images);
  }

  Planner planner() {
    return new Planner(project(), loaded.disabledServices().keySet(), observed(), ORIGIN);
  }

  String up(UpOptions options) {
    return PlanFormat.text(planner().up(options));
  }

  String down(DownOptions options) {
    return PlanFormat.text(planner().down(options));
  }
}

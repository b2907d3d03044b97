package io.jstack.planner;

import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the engine has of a project, read once per command: its containers (not one-off ones), its
 * networks and volumes by name, and the local images and external resources the project names.
 */
public record ObservedState(
    List<ContainerInfo> containers,
    Map<String, NetworkInfo> networks,
    Map<String, VolumeInfo> volumes,
    Map<String, Optional<ImageInfo>> images,
    List<ContainerInfo> oneOffs) {

  /** A state without one-off ({@code run}) containers. */
  public ObservedState(
      List<ContainerInfo> containers,
      Map<String, NetworkInfo> networks,
      Map<String, VolumeInfo> volumes,
      Map<String, Optional<ImageInfo>> images) {
    this(containers, networks, volumes, images, List.of());
  }

  public ObservedState {
    oneOffs = List.copyOf(oneOffs);
    containers = List.copyOf(containers);
    networks = Map.copyOf(networks);
    volumes = Map.copyOf(volumes);
    images = Map.copyOf(images);
  }

  /** Reads what {@code engine} has of {@code project}. */
  public static ObservedState read(Engine engine, Project project) {
    List<ContainerInfo> all =
        engine.containers(Map.of(ComposeLabels.PROJECT, project.name())).stream()
            .sorted(Comparator.comparing(ContainerInfo::name))
            .toList();
    List<ContainerInfo> containers =
        all.stream().filter(c -> !"True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))).toList();
    List<ContainerInfo> oneOffs =
        all.stream().filter(c -> "True".equalsIgnoreCase(c.label(ComposeLabels.ONEOFF))).toList();
    Map<String, NetworkInfo> networks = new TreeMap<>();
    engine
        .networks(Map.of(ComposeLabels.PROJECT, project.name()))
        .forEach(n -> networks.put(n.name(), n));
    project.networks().values().stream()
        .filter(io.jstack.compose.Network::external)
        .forEach(n -> engine.network(n.name()).ifPresent(i -> networks.put(i.name(), i)));
    Map<String, VolumeInfo> volumes = new TreeMap<>();
    engine
        .volumes(Map.of(ComposeLabels.PROJECT, project.name()))
        .forEach(v -> volumes.put(v.name(), v));
    project.volumes().values().stream()
        .filter(io.jstack.compose.Volume::external)
        .forEach(v -> engine.volume(v.name()).ifPresent(i -> volumes.put(i.name(), i)));
    Set<String> refs = new LinkedHashSet<>();
    for (Service s : project.services().values()) {
      refs.add(ContainerSpecs.imageOf(project, s));
    }
    containers.forEach(c -> refs.add(c.image()));
    Map<String, Optional<ImageInfo>> images = new HashMap<>();
    for (String ref : refs) {
      images.put(ref, engine.image(ref));
    }
    return new ObservedState(containers, networks, volumes, images, oneOffs);
  }

  /** The containers of {@code service}. */
  public List<ContainerInfo> containersOf(String service) {
    return containers.stream().filter(c -> service.equals(c.label(ComposeLabels.SERVICE))).toList();
  }
}

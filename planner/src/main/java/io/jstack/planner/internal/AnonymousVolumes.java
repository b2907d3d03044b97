package io.jstack.planner.internal;

import io.jstack.compose.Project;
import io.jstack.compose.Volume;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The anonymous volumes of a project's containers: those of an image's {@code VOLUME} or of a
 * {@code volumes: [/path]} entry, which the engine names itself (64 hex digits) and the project
 * does not declare.
 *
 * <p>A recreated container takes over its predecessor's anonymous volumes, as Docker Compose v2
 * hands them on ({@code buildContainerMountOptions} of its {@code create.go}), so that what a
 * database wrote to its image's {@code VOLUME} survives a change of configuration. Because the new
 * container then names those volumes as its source, neither dockerd nor jstack's engine removes
 * them with it ({@code rm -v} keeps volumes given by name): {@code down -v} and {@code up -V}
 * remove them by name instead.
 */
final class AnonymousVolumes {
  private final Set<String> declared = new HashSet<>();

  /** The anonymous volumes of {@code project}'s containers. */
  AnonymousVolumes(Project project) {
    for (Volume v : project.volumes().values()) {
      declared.add(v.name());
    }
  }

  /** The anonymous volumes {@code c} mounts, by destination, in its order. */
  Map<String, String> of(ContainerInfo c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (ContainerInfo.Mount m : c.mounts()) {
      if (m.engineNamedVolume() && !declared.contains(m.name())) {
        out.putIfAbsent(clean(m.destination()), m.name());
      }
    }
    return out;
  }

  /**
   * {@code spec} with the anonymous volumes of {@code old}, the container it replaces: an anonymous
   * volume entry of {@code spec} gets the old volume at its target, and an old volume at a path
   * that {@code spec} mounts nothing at (an image's {@code VOLUME}) is mounted there again. A path
   * {@code spec} covers with another mount (a bind, a named volume, a tmpfs) keeps that mount.
   * Without {@code volumes_from} only: with it, an old mount at an uncovered path may be the other
   * container's, which is not this one's to keep.
   */
  ContainerSpec inherit(ContainerSpec spec, ContainerInfo old) {
    Map<String, String> had = of(old);
    if (had.isEmpty()) {
      return spec;
    }
    Set<String> covered = new HashSet<>();
    List<ContainerSpec.Mount> mounts = new ArrayList<>();
    for (ContainerSpec.Mount m : spec.mounts()) {
      String target = clean(m.target());
      covered.add(target);
      String name = had.get(target);
      boolean anonymous = m.type().equals("volume") && m.source() == null;
      mounts.add(
          anonymous && name != null
              ? new ContainerSpec.Mount(
                  m.type(),
                  name,
                  m.target(),
                  m.readOnly(),
                  m.propagation(),
                  m.createHostPath(),
                  m.noCopy(),
                  m.subpath(),
                  m.tmpfsSize(),
                  m.tmpfsMode())
              : m);
    }
    spec.tmpfs().keySet().forEach(t -> covered.add(clean(t)));
    if (spec.volumesFrom().isEmpty()) {
      had.forEach(
          (target, name) -> {
            if (!covered.contains(target)) {
              mounts.add(
                  new ContainerSpec.Mount(
                      "volume", name, target, false, null, false, false, null, null, null));
            }
          });
    }
    return spec.toBuilder().mounts(mounts).build();
  }

  /** A container path without a trailing slash, so that {@code /data/} and {@code /data} match. */
  private static String clean(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}

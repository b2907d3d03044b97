package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a new container mounts, as dockerd decides it at create: its {@code -v} binds, its {@code
 * Mounts} (binds, named and anonymous volumes, tmpfs with their options), its {@code Tmpfs}, and an
 * anonymous volume at each {@code VOLUME} of its image that none of those covers. A volume that is
 * new or still empty gets the image's files at its target when it is first mounted (unless {@code
 * NoCopy}). Mounts are ordered parents first, as dockerd sorts them, so that {@code /data} never
 * hides {@code /data/cache}.
 */
final class ContainerMounts {
  private final Volumes volumes;

  ContainerMounts(Volumes volumes) {
    this.volumes = volumes;
  }

  /**
   * The mounts of container {@code name}; named volumes it mounts are created, each path of {@code
   * own} (its {@code Config.Volumes}) and of its image's volumes that no mount covers gets an
   * anonymous volume, and the names of the anonymous volumes made for it are added to {@code
   * anonymous}. The image's volumes are left out when {@code imageVolumes} is false (a build step's
   * container, whose writes there go to its layer, as BuildKit's RUN keeps them).
   *
   * @throws EngineException.InvalidArgument when two mounts have one target, or a tmpfs has a bad
   *     target or option
   * @throws EngineException when a bind source is missing or cannot be created, or it mounts what
   *     the engine does not support
   */
  List<ContainerConfig.BindMount> of(
      String name,
      ContainerSettings.Host host,
      List<String> own,
      ImageConfig image,
      boolean imageVolumes,
      List<String> anonymous) {
    // Everything is checked before a volume is made for it.
    Set<String> targets = targets(name, host);
    List<ContainerConfig.BindMount> mounts = new ArrayList<>();
    for (String b : host.binds()) {
      String[] p = b.split(":");
      boolean ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
      if (p[0].startsWith("/")) {
        Path source = Path.of(p[0]);
        try {
          Files.createDirectories(source); // -v semantics: a missing host directory is created
        } catch (IOException e) {
          throw new EngineException(
              "cannot create the bind source " + source + " of " + name + ": " + e.getMessage(), e);
        }
        mounts.add(new ContainerConfig.BindMount("bind", source, p[1], ro, false));
      } else {
        boolean noCopy = p.length > 2 && List.of(p[2].split(",")).contains("nocopy");
        mounts.add(
            new ContainerConfig.BindMount(
                "volume", volumes.create(p[0], Map.of()).data(), p[1], ro, !noCopy));
      }
    }
    for (ContainerSettings.Mount m : host.mounts()) {
      mounts.add(mount(name, m, anonymous));
    }
    host.tmpfs()
        .forEach(
            (target, data) ->
                mounts.add(
                    new ContainerConfig.BindMount(
                        "tmpfs", null, target, false, false, TmpfsOptions.of(name, target, data))));
    for (String v : anonymousPaths(own, image, imageVolumes)) {
      if (targets.add(clean(v))) {
        Volumes.Volume volume = anonymousVolume(anonymous);
        mounts.add(new ContainerConfig.BindMount("volume", volume.data(), v, false, true));
      }
    }
    mounts.sort(Comparator.comparingInt(m -> depth(m.target())));
    return mounts;
  }

  /**
   * The mounts of a container as inspect shows them, made from what it asked for ({@code host} and
   * {@code own}, its {@code Config.Volumes}), its image's config (null when the image is gone: its
   * volumes are then left out) and the anonymous volumes made for it, in the order {@link #of} made
   * them.
   */
  List<MountPoint> points(
      ContainerSettings.Host host,
      List<String> own,
      @Nullable ImageConfig image,
      List<String> anonymous) {
    List<MountPoint> out = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    java.util.Iterator<String> made = anonymous.iterator();
    for (String b : host.binds()) {
      String[] p = b.split(":");
      if (p.length < 2) {
        continue;
      }
      targets.add(clean(p[1]));
      boolean ro = p.length > 2 && List.of(p[2].split(",")).contains("ro");
      String mode = p.length > 2 ? p[2] : "";
      if (p[0].startsWith("/")) {
        out.add(new MountPoint("bind", null, p[0], p[1], mode, !ro, "rprivate"));
      } else {
        out.add(volume(p[0], p[1], mode.isEmpty() ? "z" : mode, !ro));
      }
    }
    for (ContainerSettings.Mount m : host.mounts()) {
      targets.add(clean(m.target()));
      switch (m.type()) {
        case "bind" ->
            out.add(
                new MountPoint(
                    "bind", null, m.source(), m.target(), "", !m.readOnly(), "rprivate"));
        case "tmpfs" ->
            out.add(new MountPoint("tmpfs", null, "", m.target(), "", !m.readOnly(), ""));
        case "volume" -> {
          String name = m.source().isEmpty() ? made.hasNext() ? made.next() : "" : m.source();
          out.add(volume(name, m.target(), "z", !m.readOnly()));
        }
        default -> {
          // Refused at create.
        }
      }
    }
    targets.addAll(host.tmpfs().keySet().stream().map(ContainerMounts::clean).toList());
    for (String v : anonymousPaths(own, image, true)) {
      if (targets.add(clean(v)) && made.hasNext()) {
        out.add(volume(made.next(), v, "", true));
      }
    }
    return out;
  }

  /**
   * The paths that get anonymous volumes unless a mount covers them: the container's own ({@code
   * Config.Volumes}), then its image's (with {@code imageVolumes}; none when the image is gone).
   */
  private static List<String> anonymousPaths(
      List<String> own, @Nullable ImageConfig image, boolean imageVolumes) {
    List<String> paths = new ArrayList<>(own);
    if (imageVolumes && image != null) {
      paths.addAll(image.volumes());
    }
    return paths;
  }

  private MountPoint volume(String name, String destination, String mode, boolean rw) {
    String source = volumes.find(name).map(v -> v.data().toString()).orElse("");
    return new MountPoint("volume", name, source, destination, mode, rw, "");
  }

  /**
   * The mount points of container {@code name}'s binds, mounts and tmpfs, each checked.
   *
   * @throws EngineException.InvalidArgument when a bind has no target, two mounts have one target,
   *     or a tmpfs has a bad target or option
   */
  private static Set<String> targets(String name, ContainerSettings.Host host) {
    Set<String> targets = new HashSet<>();
    for (String b : host.binds()) {
      String[] p = b.split(":");
      if (p.length < 2) {
        throw new EngineException.InvalidArgument(
            "bind " + b + " of container " + name + " has no target: write SOURCE:TARGET[:ro]");
      }
      claim(name, targets, p[1]);
    }
    for (ContainerSettings.Mount m : host.mounts()) {
      claim(name, targets, m.target());
      if (m.type().equals("tmpfs")) {
        TmpfsOptions.of(
            name, m.target(), TmpfsOptions.data(m.readOnly(), m.tmpfsSize(), m.tmpfsMode()));
      }
    }
    host.tmpfs()
        .forEach(
            (target, data) -> {
              claim(name, targets, target);
              TmpfsOptions.of(name, target, data);
            });
    return targets;
  }

  private ContainerConfig.BindMount mount(
      String name, ContainerSettings.Mount m, List<String> anonymous) {
    return switch (m.type()) {
      case "bind" -> {
        Path source = Path.of(m.source());
        if (!Files.exists(source)) {
          throw new EngineException(
              "bind source "
                  + source
                  + " of container "
                  + name
                  + " does not exist: create it, or let the service's volume create it (create_host_path)");
        }
        yield new ContainerConfig.BindMount("bind", source, m.target(), m.readOnly(), false);
      }
      case "tmpfs" ->
          new ContainerConfig.BindMount(
              "tmpfs",
              null,
              m.target(),
              m.readOnly(),
              false,
              TmpfsOptions.of(
                  name, m.target(), TmpfsOptions.data(m.readOnly(), m.tmpfsSize(), m.tmpfsMode())));
      case "volume" -> {
        Volumes.Volume volume =
            m.source().isEmpty()
                ? anonymousVolume(anonymous)
                : volumes.create(m.source(), Map.of());
        yield new ContainerConfig.BindMount(
            "volume", volume.data(), m.target(), m.readOnly(), !m.noCopy());
      }
      default ->
          throw new EngineException(
              "container "
                  + name
                  + " mounts a "
                  + m.type()
                  + ", which the embedded engine does not support yet; use --engine docker for it");
    };
  }

  private Volumes.Volume anonymousVolume(List<String> anonymous) {
    Volumes.Volume volume = volumes.create(Ids.random(), Map.of("com.docker.volume.anonymous", ""));
    anonymous.add(volume.name());
    return volume;
  }

  /**
   * Takes mount point {@code target} for one mount.
   *
   * @throws EngineException.InvalidArgument when another mount has it, as dockerd refuses it
   */
  private static void claim(String name, Set<String> targets, String target) {
    if (!targets.add(clean(target))) {
      throw new EngineException.InvalidArgument(
          "container "
              + name
              + " mounts two things at "
              + target
              + ": keep one of its volumes, binds or tmpfs there");
    }
  }

  /** A mount point without repeated or trailing slashes, as dockerd compares them. */
  static String clean(String target) {
    String t = target.replaceAll("/+", "/");
    return t.length() > 1 && t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
  }

  private static int depth(String target) {
    String t = clean(target);
    return t.equals("/") ? 0 : t.split("/").length - 1;
  }
}

package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.engine.Names;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.Signals;
import io.jstack.runtime.image.DiskFull;
import io.jstack.runtime.image.ImageConfig;
import io.jstack.runtime.image.ImageStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The creation of containers: a name reserved, the healthcheck completed from the image's, the
 * endpoints chosen, and what the container runs from what it asks and its image, the runtime's
 * {@link ContainerConfig} (the command line and environment over the image's, its layers, mounts
 * (binds, tmpfs, named and anonymous volumes), limits, capabilities and console, and its network
 * mode, hosts and resolv.conf entries from {@link NetworkAttachments}); then its record.
 */
final class Creations {
  private final ImageStore images;
  private final Volumes volumes;
  private final NetworkAttachments attachments;
  private final ContainerStore store;
  private final Containers containers;
  private final Events events;
  private final ContainerMounts mounts;
  private final Tunings tunings;

  Creations(
      ImageStore images,
      Volumes volumes,
      NetworkAttachments attachments,
      ContainerStore store,
      Containers containers,
      Events events) {
    this.images = images;
    this.volumes = volumes;
    this.attachments = attachments;
    this.store = store;
    this.containers = containers;
    this.events = events;
    this.mounts = new ContainerMounts(volumes);
    this.tunings = new Tunings(store, containers);
  }

  /**
   * Creates a container; returns its id. With {@code imageVolumes}, each {@code VOLUME} of its
   * image that none of its mounts covers gets an anonymous volume, as dockerd gives it.
   *
   * @throws EngineException.Conflict when the name is taken
   * @throws EngineException.NotFound when its image is not here
   * @throws DiskFull when the data root has no space for its bundle or record (nothing of it stays:
   *     no bundle, mounted root or anonymous volume)
   */
  public String create(
      @Nullable String requestedName, ContainerSettings asked, boolean imageVolumes) {
    return create(requestedName, asked, imageVolumes, null);
  }

  /**
   * As {@link #create(String, ContainerSettings, boolean)}; with {@code spare}, which the caller
   * checked it {@link NetworkAttachments#fits}, the container gets the spare's id and endpoint, its
   * network namespace plugged already.
   */
  String create(
      @Nullable String requestedName,
      ContainerSettings asked,
      boolean imageVolumes,
      @Nullable SpareNetwork spare) {
    ContainerSettings requested = tunings.byId(asked);
    String name =
        requestedName != null
            ? Names.container(requestedName)
            : "jstack_" + Ids.random().substring(0, 12);
    String stopSignal = requested.stopSignal();
    if (stopSignal != null && !Signals.known(stopSignal)) {
      throw new EngineException.InvalidArgument(
          "invalid signal: "
              + stopSignal
              + " is not a stop signal; use a name such as SIGTERM, SIGINT or SIGQUIT, or a"
              + " number");
    }
    String imageRef = requested.image();
    ImageReference ref = ImageReference.parse(imageRef);
    String manifest =
        images
            .resolve(ref)
            .orElseThrow(() -> new EngineException.NotFound("no such image: " + imageRef));
    ImageStore.Image image = images.image(manifest);
    store.reserve(name);
    Map<String, Endpoint> endpoints = Map.of();
    try {
      String id = spare == null ? Ids.random() : spare.id();
      ContainerSettings settings = requested.withImageDefaults(image.defaults());
      endpoints = spare == null ? attachments.endpoints(id, settings) : spare.endpoints();
      ContainerRecord planned =
          new ContainerRecord(
              id,
              name,
              imageRef,
              image.configDigest(),
              Instant.now(),
              settings,
              commandLine(settings, image.defaults()),
              endpoints,
              List.of(),
              List.of(),
              null,
              0,
              false);
      List<String> anonymous = new ArrayList<>();
      ContainerRecord record;
      try {
        ContainerConfig config = decode(planned, image, imageVolumes, anonymous);
        ContainerRecord made = planned.withAnonymousVolumes(anonymous);
        if (imageVolumes) {
          DiskFull.guard(
              images.dataRoot(),
              "creating container " + name,
              () -> -1,
              () -> {
                make(config, made, false);
                return made;
              });
        } else {
          // A build step's container (the one create without its image's volumes) runs once; its
          // build says what a full disk stopped.
          make(config, made, true);
        }
        record = made;
      } catch (RuntimeException e) {
        for (String v : anonymous) {
          try {
            volumes.remove(v);
          } catch (RuntimeException also) {
            e.addSuppressed(also);
          }
        }
        throw e;
      }
      events.emit(record, "create", Map.of());
      return id;
    } finally {
      attachments.settle(endpoints);
      store.release(name);
    }
  }

  /**
   * Makes container {@code r}'s bundle and mounted root from {@code config}, then writes its
   * record. Without its record no engine lists the container, and nothing would remove it until the
   * next engine start: a record that cannot be written (a full disk) takes the bundle and root back
   * with it.
   *
   * @throws EngineException when the bundle cannot be made or the record cannot be written
   */
  private void make(ContainerConfig config, ContainerRecord r, boolean singleUse) {
    containers.create(config, singleUse);
    try {
      store.write(r);
    } catch (RuntimeException e) {
      try {
        containers.remove(r.id());
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
  }

  /**
   * The mounts of container {@code r} as inspect shows them (its image's config, if still here).
   */
  List<MountPoint> mountPoints(ContainerRecord r) {
    @Nullable ImageConfig image =
        images.find(r.imageId()).map(m -> images.image(m).defaults()).orElse(null);
    return mounts.points(
        withInherited(r.settings().host()), r.settings().volumes(), image, r.anonymousVolumes());
  }

  /**
   * {@code host} with the volumes and binds of the containers of its {@code volumes_from} among its
   * mounts, each at the same path, read-only when it asks {@code :ro} or the other has it so; a
   * path it mounts itself keeps its own, as dockerd does. A volume so shared is never filled from
   * this container's image.
   *
   * @throws EngineException.NotFound naming a container that is not here
   */
  private ContainerSettings.Host withInherited(ContainerSettings.Host host) {
    if (host.tuning().volumesFrom().isEmpty()) {
      return host;
    }
    List<ContainerSettings.Mount> all = new ArrayList<>(host.mounts());
    java.util.Set<String> taken = new java.util.HashSet<>();
    host.mounts().forEach(m -> taken.add(m.target()));
    host.binds().forEach(b -> taken.add(b.split(":").length > 1 ? b.split(":")[1] : b));
    taken.addAll(host.tmpfs().keySet());
    for (String from : host.tuning().volumesFrom()) {
      String[] p = from.split(":");
      ContainerRecord other = store.require(p[0]).record();
      for (MountPoint m : mountPoints(other)) {
        if (m.type().equals("tmpfs") || !taken.add(m.destination())) {
          continue;
        }
        boolean readOnly = p.length > 1 ? p[1].equals("ro") : !m.rw();
        all.add(
            m.type().equals("volume")
                ? new ContainerSettings.Mount(
                    "volume",
                    java.util.Objects.requireNonNull(m.name()),
                    m.destination(),
                    readOnly,
                    true)
                : new ContainerSettings.Mount(
                    "bind", m.source(), m.destination(), readOnly, false));
      }
    }
    return host.withMounts(all);
  }

  /**
   * The process a container runs: its entrypoint and command, each from the image unless it sets
   * its own (its own entrypoint also drops the image's command).
   */
  static List<String> commandLine(ContainerSettings s, ImageConfig image) {
    List<String> args =
        new ArrayList<>(s.entrypoint() != null ? s.entrypoint() : image.entrypoint());
    args.addAll(s.cmd() != null ? s.cmd() : s.entrypoint() != null ? List.of() : image.cmd());
    return args;
  }

  /**
   * The configuration of container {@code r} (its endpoints chosen) from its image; named volumes
   * it mounts are created, and the names of the anonymous volumes made for it are added to {@code
   * anonymous}.
   *
   * @throws EngineException when it has no command, a layer of its image is missing, a bind source
   *     is missing or cannot be created, or it mounts what the engine does not support
   */
  private ContainerConfig decode(
      ContainerRecord r, ImageStore.Image image, boolean imageVolumes, List<String> anonymous) {
    ContainerSettings s = r.settings();
    ContainerSettings.Host host = s.host();
    ImageConfig ic = image.defaults();
    String name = r.name();
    if (r.commandLine().isEmpty()) {
      throw new EngineException(
          "container " + name + " has no command: the image sets none and the service gives none");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : ic.env()) {
      env.put(e.split("=", 2)[0], e);
    }
    for (String e : s.env()) {
      env.put(e.split("=", 2)[0], e);
    }
    List<Path> layers = new ArrayList<>();
    for (String d : image.diffIds()) {
      layers.add(
          images
              .layer(d)
              .orElseThrow(
                  () ->
                      new EngineException(
                          "layer "
                              + d
                              + " of image "
                              + s.image()
                              + " is missing: pull the image again")));
    }
    List<ContainerConfig.BindMount> mounts =
        this.mounts.of(name, withInherited(host), s.volumes(), ic, imageVolumes, anonymous);
    return new ContainerConfig(
        r.id(),
        name,
        layers,
        r.commandLine(),
        List.copyOf(env.values()),
        s.workingDir() != null ? s.workingDir() : ic.workingDir(),
        s.user() != null ? s.user() : ic.user(),
        s.hostname(),
        attachments.networkMode(r),
        host.capAdd(),
        host.capDrop(),
        host.privileged(),
        host.readonlyRootfs(),
        host.noNewPrivileges(),
        host.memory() > 0 ? host.memory() : null,
        host.nanoCpus() > 0 ? host.nanoCpus() / 1e9 : null,
        host.pidsLimit() > 0 ? host.pidsLimit() : null,
        host.shmSize() > 0 ? host.shmSize() : null,
        Boolean.TRUE.equals(host.init()),
        mounts,
        host.sysctls(),
        host.ulimits(),
        s.console(),
        NetworkAttachments.hostsEntries(r),
        attachments.resolvConf(r),
        Tunings.of(host.tuning(), s.domainname()),
        host.tuning().runtime().isEmpty() ? null : host.tuning().runtime());
  }
}

package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.engine.Names;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.container.Signals;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.internal.SeqPacket;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Networks;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * jstack's own engine: containers from the image store, run by {@link Containers}, remembered on
 * disk so that a new engine process re-adopts what an earlier one started (conmon holds each
 * container, so they outlive the engine); on the host's network, none, or bridge networks.
 *
 * <p>This class is the wiring and the containers' life cycle (create, start, stop, kill, pause,
 * remove); the rest is in small services it delegates to: {@link ContainerStore} (the records),
 * {@link Events}, {@link NetworkAttachments} and {@link ContainerDns}, {@link PublishedPorts},
 * {@link Creations} (a record and the runtime's {@link ContainerConfig} from what a create asks),
 * {@link ExecSessions}, {@link Consoles}, {@link Waits}, {@link ContainerFiles}, {@link Removals},
 * and the {@link Supervisor} (exits, restart policies, healthchecks).
 */
public final class EmbeddedEngine {
  private final DataRoot root;
  private final ImageStore images;
  private final Containers containers;
  private final Volumes volumes;
  private final Networks networks;
  private final Supervisor supervisor = new Supervisor(this);

  private final ContainerStore store;
  private final Events events;
  private final PublishedPorts ports;
  private final ContainerDns dns;
  private final NetworkAttachments attachments;
  private final Tunings tunings;

  /** dockerd's stop timeout for a container that gives none. */
  private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  /** A stop with timeout -1 waits for the container's exit without a SIGKILL (a long while). */
  private static final Duration NO_STOP_TIMEOUT = Duration.ofDays(365);

  private final Creations creations;
  private final ExecSessions execs;
  private final Consoles consoles;
  private final Waits waits;
  private final ContainerFiles files;
  private final Removals removals;
  private final Commits commits;
  private final StepNetworks stepNetworks;

  /**
   * A container's lifecycle changes one at a time: a start, stop, kill or removal never interleaves
   * with a restart its policy makes (a restart racing down left its root mounted).
   */
  private final LifecycleLocks lifecycle = new LifecycleLocks();

  /**
   * The label of a build step's container: the builder's own, which no prune takes, and which the
   * next engine removes when an engine that ended mid-build left it.
   */
  public static final String BUILD_STEP_LABEL = "io.jstack.build-step";

  /** Runs {@code change} while no other lifecycle change of container {@code id} runs. */
  void changing(String id, Runnable change) {
    lifecycle.changing(id, change);
  }

  public EmbeddedEngine(DataRoot root, RuntimeTools tools) {
    this.root = root;
    this.images = ImageStore.open(root);
    this.ports =
        new PublishedPorts(
            imageId ->
                images
                    .find(imageId)
                    .map(m -> images.image(m).defaults().exposedPorts())
                    .orElse(List.of()));
    this.containers = new Containers(root, tools);
    this.volumes = new Volumes(root);
    this.networks = new Networks(root);
    this.store = new ContainerStore(root, containers);
    this.events = new Events(store, containers, supervisor);
    this.dns = new ContainerDns(networks, store);
    this.attachments =
        new NetworkAttachments(networks, store, events, dns, root.run().resolve("spare-netns"));
    this.stepNetworks = new StepNetworks(attachments);
    this.tunings = new Tunings(store, containers);
    this.creations = new Creations(images, volumes, attachments, store, containers, events);
    this.execs = new ExecSessions(store, containers, events);
    this.consoles = new Consoles(store, containers);
    this.waits = new Waits(store, containers);
    this.files = new ContainerFiles(store, containers, creations::mountPoints);
    this.removals = new Removals(store, images, volumes);
    this.commits = new Commits(store, images, containers, events);
  }

  /**
   * Ends the runs whose watcher is gone (a killed conmon, a crashed engine's build step), each
   * under its container's lifecycle lock; see {@link Containers#endRunsOfGoneWatchers}.
   *
   * @return the ids of the containers ended
   */
  public List<String> endRunsOfGoneWatchers() {
    return containers.endRunsOfGoneWatchers(this::changing);
  }

  /** Calls {@code listener} with every event from now on, until the returned handle runs. */
  public Runnable subscribe(Consumer<Event> listener) {
    return events.subscribe(listener);
  }

  /**
   * Looks for containers that exited since the last look and announces each once ({@code die}, with
   * its exit code): conmon records exits, this turns them into events.
   */
  public void announceExits() {
    events.announceExits();
  }

  /** The events, for the supervisor (health changes). */
  Events events() {
    return events;
  }

  /** The DNS, for the supervisor (a run ended). */
  ContainerDns dns() {
    return dns;
  }

  /** The published ports, for the supervisor (a run ended). */
  PublishedPorts ports() {
    return ports;
  }

  /**
   * Starts looking after the containers on its own, every {@code period}: exits become events,
   * restart policies start containers again (also those that ended while no engine ran), and
   * healthchecks run; what creates killed midway left is removed; bridge networks get their DNS
   * (asking {@code dnsUpstreams} what it does not know) and running containers their published
   * ports back. For the engine process; without it the engine only does what it is asked.
   */
  public void supervise(Duration period, List<java.net.InetSocketAddress> dnsUpstreams) {
    networks.restore();
    attachments.removeStaleSpares();
    endRunsOfGoneWatchers();
    store.removeUnfinishedCreates();
    removeLeftBuildSteps();
    stepNetworks.open();
    dns.serve(dnsUpstreams);
    for (Container c : list()) {
      if (c.alive()) {
        try {
          ports.publish(c.record());
        } catch (EngineException e) {
          // Its port is someone else's now; the container runs on, unpublished.
          System.err.println("jstack engine: " + e.getMessage());
        }
        try {
          // The sockets of the engine before went with it: they are made again.
          dns.attach(c.record());
        } catch (EngineException e) {
          System.err.println("jstack engine: " + e.getMessage());
        }
      }
    }
    supervisor.watch(period);
  }

  /** Stops looking after the containers (they keep running). */
  public void stopSupervising() {
    stepNetworks.close();
    supervisor.close();
    ports.close();
    dns.close();
  }

  /** Its health, if it has a healthcheck and runs. */
  public Optional<Health.State> health(String id) {
    return Optional.ofNullable(supervisor.health(id)).map(Health::state);
  }

  /**
   * Whether the restart policy of {@code c}, as just read, is about to start it again (no second
   * look at its state).
   */
  public boolean restarting(Container c) {
    return supervisor.restarting(c);
  }

  public ImageStore images() {
    return images;
  }

  /** The runc and conmon layer that runs the containers' processes. */
  public Containers containers() {
    return containers;
  }

  public Volumes volumes() {
    return volumes;
  }

  /**
   * Removes an image name, or with an ID every name of that image, as {@code docker rmi} does: an
   * image a container uses keeps its last name unless {@code force}, and is then kept unnamed.
   * Returns what was untagged and deleted.
   *
   * @throws EngineException.NotFound when there is no such image
   * @throws EngineException.Conflict when a container uses it and {@code force} is not set
   */
  public ImageRemoval removeImage(String reference, boolean force) {
    return removals.image(reference, force);
  }

  /**
   * Removes a volume, unless a container uses it.
   *
   * @throws EngineException.Conflict naming a container that uses it
   */
  public void removeVolume(String name) {
    removals.volume(name);
  }

  /** Whether a container, running or not, mounts volume {@code name}. */
  public boolean volumeInUse(String name) {
    return removals.volumeUser(name).isPresent();
  }

  public Networks networks() {
    return networks;
  }

  /**
   * Creates a bridge network (see {@link Networks#create}); its DNS answers at once when the engine
   * supervises.
   */
  public Network createNetwork(NetworkRequest request) {
    return attachments.createNetwork(request);
  }

  /**
   * Connects a container to a network (Compose does so for every network after the first, before
   * start); a running one gets its new interface at once.
   */
  public void connect(
      String network, String container, ContainerSettings.EndpointRequest endpoint) {
    attachments.connect(network, container, endpoint);
  }

  /** Takes a container off a network. */
  public void disconnect(String network, String container) {
    attachments.disconnect(network, container);
  }

  /** The containers with an endpoint on {@code n}. */
  public List<ContainerRecord> attachedTo(Network n) {
    return attachments.attachedTo(n);
  }

  /**
   * Removes a network, unless a container is attached to it.
   *
   * @throws EngineException.Conflict naming a container that uses it
   */
  public void removeNetwork(String idOrName) {
    // The spare namespace may be on it.
    stepNetworks.discard();
    attachments.removeNetwork(idOrName);
  }

  public DataRoot dataRoot() {
    return root;
  }

  /**
   * Creates a container; returns its id.
   *
   * @throws EngineException.Conflict when the name is taken
   * @throws EngineException.NotFound when its image is not here
   * @throws io.jstack.runtime.image.DiskFull when the data root has no space for it (nothing of it
   *     stays)
   */
  public String create(@Nullable String requestedName, ContainerSettings requested) {
    return creations.create(requestedName, requested, true);
  }

  /** The mounts of container {@code r} as Docker's inspect shows them ({@code Mounts}). */
  public List<MountPoint> mountPoints(ContainerRecord r) {
    return creations.mountPoints(r);
  }

  /**
   * Creates the container of a build step; returns its id. The {@code VOLUME}s of its image get no
   * volumes: what it writes there goes to its layer, as BuildKit's RUN keeps it.
   */
  public String createBuildStep(ContainerSettings requested) {
    return creations.create(null, requested, false);
  }

  /** Whether container {@code id} is a build step's ({@link #BUILD_STEP_LABEL}). */
  public boolean isBuildStep(String id) {
    return find(id).map(c -> c.record().labels().containsKey(BUILD_STEP_LABEL)).orElse(false);
  }

  /**
   * Removes the build steps' containers that an engine which ended mid-build left: called before
   * the engine answers, when no build of its own runs.
   */
  private void removeLeftBuildSteps() {
    for (Container c : list()) {
      if (c.record().labels().containsKey(BUILD_STEP_LABEL)) {
        try {
          remove(c.record().id(), true, true);
        } catch (EngineException e) {
          System.err.println(
              "jstack engine: cannot remove the container of an ended build's step "
                  + c.record().id()
                  + ": "
                  + e.getMessage());
        }
      }
    }
  }

  /**
   * As {@link #createBuildStep(ContainerSettings)}, in the network namespace {@code spare} when the
   * container asks for Docker's default network alone, which the spare is still on: its namespace
   * is then plugged already. Else, and when the create fails, the spare is discarded.
   */
  public String createBuildStep(ContainerSettings requested, SpareNetwork spare) {
    if (!attachments.fits(spare, requested)) {
      attachments.discard(spare);
      return createBuildStep(requested);
    }
    String id;
    try {
      id = creations.create(null, requested, false, spare);
    } catch (RuntimeException e) {
      try {
        attachments.discard(spare);
      } catch (RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    attachments.taken(spare);
    return id;
  }

  /**
   * A network namespace on Docker's default network (made on first use) for a build step's
   * container not created yet, made ahead of the step ({@link StepNetworks} keeps one between
   * builds): a namespace and a veth pair take as long as starting the step's container. {@link
   * #createBuildStep(ContainerSettings, SpareNetwork)} takes it, else {@link #discard} deletes it;
   * what an engine that crashed left is deleted when the next one starts supervising.
   */
  public SpareNetwork prepareStepNetwork() {
    return attachments.prepareSpare();
  }

  /** Deletes a spare network namespace no build step took. */
  public void discard(SpareNetwork spare) {
    attachments.discard(spare);
  }

  /**
   * A build will soon run a RUN step on the default network: the engine's spare namespace ({@link
   * StepNetworks}) is made now unless it is there already. Only while the engine supervises.
   */
  public void wantStepNetwork() {
    stepNetworks.want();
  }

  /** The engine's spare namespace for a RUN step, waited for if being made; null when none. */
  public @Nullable SpareNetwork takeStepNetwork() {
    return stepNetworks.take();
  }

  /** A build that took the spare namespace has ended: the next one is made shortly. */
  public void refillStepNetwork() {
    stepNetworks.refillLater();
  }

  /** Starts a created or exited container (an exited one gets a fresh run of its process). */
  public void start(String idOrName) {
    String id = require(idOrName).record().id();
    changing(
        id,
        () -> {
          Container c = require(id);
          if (c.status() == Container.Status.paused) {
            throw new EngineException.Conflict(
                "cannot start a paused container, try unpause instead");
          }
          if (c.status() == Container.Status.running) {
            return;
          }
          supervisor.cancelRestart(id);
          run(c.record(), false);
        });
  }

  /** Starts a new run of a container; {@code byPolicy} when its restart policy asks for it. */
  void run(ContainerRecord r, boolean byPolicy) {
    run(
        r,
        byPolicy,
        () -> {
          containers.start(r.id(), socket -> consoles.connectWaiting(r.id(), socket));
          return r.id();
        });
  }

  /**
   * Starts a new run of a container with {@code launch} (which starts its process and returns a
   * handle on it), its network, DNS and published ports ready first; records and announces it.
   */
  private <T> T run(ContainerRecord r, boolean byPolicy, java.util.function.Supplier<T> launch) {
    // The namespaces it shares first: a container it joins that is not running stops it here.
    tunings.join(r);
    attachments.plug(r);
    // Its DNS answers at 127.0.0.11 before its process asks anything.
    dns.attach(r);
    List<PublishedPort> published;
    try {
      published = ports.publish(r);
    } catch (RuntimeException e) {
      dns.detach(r.id());
      throw e;
    }
    T launched;
    try {
      launched = launch.get();
    } catch (RuntimeException e) {
      ports.unpublish(r.id());
      dns.detach(r.id());
      throw e;
    }
    ContainerRecord started = r.started(Instant.now(), byPolicy, published);
    store.write(started);
    events.emit(started, "start", Map.of());
    supervisor.started(started);
    return launched;
  }

  /**
   * Runs a created container to its end in this call, without conmon ({@link
   * Containers#startForeground}): a build step's. {@code output} gets what it prints, in whole
   * lines, as it prints it; returns its exit code, which the engine knows as it returns.
   *
   * @throws EngineException.Conflict when it is not a container that was never started
   */
  public int runToEnd(String idOrName, java.util.function.Consumer<String> output) {
    String id = require(idOrName).record().id();
    java.util.concurrent.atomic.AtomicReference<Containers.Foreground> ran =
        new java.util.concurrent.atomic.AtomicReference<>();
    changing(
        id,
        () -> {
          Container c = require(id);
          if (c.status() != Container.Status.created) {
            throw new EngineException.Conflict(
                "container " + id + " is " + c.status() + "; only a new container runs to its end");
          }
          ran.set(run(c.record(), false, () -> containers.startForeground(id)));
        });
    int code = java.util.Objects.requireNonNull(ran.get()).await(output);
    announceExits();
    return code;
  }

  /**
   * Stops a running container: {@code signal}, else its stop signal (the image's unless it gave its
   * own; SIGTERM when neither did), then SIGKILL after {@code timeout}, else after its own stop
   * timeout (10 s unless it gave one), as dockerd; a negative timeout waits without a SIGKILL.
   */
  public void stop(String idOrName, @Nullable String signal, @Nullable Duration timeout) {
    String id = require(idOrName).record().id();
    changing(id, () -> stopNow(require(id), signal, timeout));
  }

  private void stopNow(Container c, @Nullable String signal, @Nullable Duration asked) {
    if (!c.alive()) {
      // Ended, maybe with a restart pending, or with its exit not yet seen by the supervisor (which
      // would then start it again): either way the user's stop holds.
      supervisor.cancelRestart(c.record().id());
      if (!c.record().stoppedByUser()) {
        store.write(c.record().stopped());
      }
      return;
    }
    String ownSignal = c.record().settings().stopSignal();
    String sig =
        signal != null && !signal.isEmpty() ? signal : ownSignal != null ? ownSignal : "TERM";
    store.write(c.record().stopped());
    ports.unpublish(c.record().id());
    Long own = c.record().settings().stopTimeout();
    Duration timeout =
        asked != null ? asked : own != null ? Duration.ofSeconds(own) : DEFAULT_STOP_TIMEOUT;
    containers.stop(
        c.record().id(),
        sig.replaceFirst("^SIG", ""),
        timeout.isNegative() ? NO_STOP_TIMEOUT : timeout);
    dns.detach(c.record().id());
    announceExits();
    events.emit(c.record(), "stop", Map.of());
  }

  /**
   * Where {@code path} of a container is on the host (resolved inside its root filesystem, never
   * out of it; a link that is its last element is not followed unless it ends in {@code /}).
   *
   * @throws EngineException.NotFound when nothing is there
   */
  public Path pathIn(String idOrName, String path) {
    return files.pathIn(idOrName, path);
  }

  /** Unpacks the tar stream {@code archive} into directory {@code dir} of a container. */
  public void copyTo(String idOrName, String dir, InputStream archive) {
    files.copyTo(idOrName, dir, archive);
  }

  /**
   * Gives a container another name; its DNS name changes with it.
   *
   * @throws EngineException.InvalidArgument when the name is its own, or not a container name
   * @throws EngineException.Conflict when another container has it
   */
  public void rename(String idOrName, String newName) {
    String id = require(idOrName).record().id();
    String name = Names.container(newName);
    changing(
        id,
        () -> {
          ContainerRecord r = require(id).record();
          events.emit(store.rename(r, name), "rename", Map.of("oldName", "/" + r.name()));
        });
  }

  /** Freezes ({@code pause}) or thaws a running container. */
  public void pause(String idOrName, boolean pause) {
    Container c = require(idOrName);
    Container.Status from = pause ? Container.Status.running : Container.Status.paused;
    if (c.status() != from) {
      throw new EngineException.Conflict(
          "container " + c.record().id() + (pause ? " is not running" : " is not paused"));
    }
    if (pause) {
      containers.pause(c.record().id());
    } else {
      containers.resume(c.record().id());
    }
    events.emit(c.record(), pause ? "pause" : "unpause", Map.of());
  }

  public void kill(String idOrName, @Nullable String signal) {
    String id = require(idOrName).record().id();
    changing(id, () -> killNow(require(id), signal));
  }

  private void killNow(Container c, @Nullable String signal) {
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + c.record().id() + " is not running");
    }
    String sig = (signal == null ? "KILL" : signal).replaceFirst("^SIG", "");
    store.write(c.record().stopped());
    containers.kill(c.record().id(), sig);
    Integer number = Signals.number(sig);
    if (c.status() == Container.Status.paused && Integer.valueOf(9).equals(number)) {
      // A frozen process dies of SIGKILL only once thawed (runc thaws it too).
      containers.resume(c.record().id());
    }
    // Docker's kill event gives the signal's number.
    events.emit(
        c.record(), "kill", Map.of("signal", number == null ? sig : String.valueOf(number)));
    if (Integer.valueOf(9).equals(number)) {
      // As dockerd, a SIGKILL returns once the container is dead (within a bound): a client's next
      // look finds it exited.
      waits.untilExited(c.record().id(), Duration.ofSeconds(10));
      announceExits();
    }
  }

  /**
   * Removes a container (a running one only with {@code force}), and with {@code removeVolumes} the
   * anonymous volumes made for it.
   */
  public void remove(String idOrName, boolean force, boolean removeVolumes) {
    String id = require(idOrName).record().id();
    changing(id, () -> removeNow(require(id), force, removeVolumes));
  }

  private void removeNow(Container c, boolean force, boolean removeVolumes) {
    if (c.alive() && !force) {
      throw new EngineException.Conflict(
          "cannot remove container "
              + c.record().name()
              + ": it is running; stop it first or force the removal");
    }
    supervisor.forget(c.record().id());
    ports.unpublish(c.record().id());
    // A wait for its removal may not have seen it exit: its exit code stays known a while (137
    // for one a forced removal kills, as dockerd's).
    OptionalInt ended = c.alive() ? OptionalInt.of(137) : containers.exitCode(c.record().id());
    waits.removed(c.record().id(), ended);
    // Its die comes before its destroy, as Docker's: an exit nobody announced yet is announced
    // now, and a forced removal kills it first.
    announceExits();
    if (c.alive()) {
      events.emit(c.record(), "kill", Map.of("signal", "9"));
    }
    containers.remove(c.record().id());
    if (c.alive()) {
      events.emit(c.record(), "die", Map.of("exitCode", "137"));
    }
    dns.detach(c.record().id());
    attachments.unplug(c.record());
    events.emit(c.record(), "destroy", Map.of());
    store.forget(c.record().id());
    execs.forget(c.record().id());
    if (removeVolumes) {
      for (String v : c.record().anonymousVolumes()) {
        volumes.find(v).ifPresent(x -> volumes.remove(x.name()));
      }
    }
  }

  /**
   * Makes a new image of a container's changes ({@code docker commit}), named {@code reference}
   * unless that is null, its defaults changed by the Dockerfile instructions {@code changes};
   * returns its id. A running container is paused meanwhile if {@code pause}.
   *
   * @throws EngineException.InvalidArgument when a change is not one a commit takes
   */
  public String commit(
      String idOrName,
      @Nullable String reference,
      @Nullable String comment,
      @Nullable String author,
      List<String> changes,
      boolean pause) {
    return commits.commit(
        idOrName, new Commits.Request(reference, comment, author, changes, pause));
  }

  /** Blocks until {@code condition} holds; the exit code of its last run (0 if it never ran). */
  public int await(String idOrName, WaitFor condition) {
    return waits.await(idOrName, condition);
  }

  /**
   * Somebody streams a container's output (an attached client): its auto-removal waits until the
   * returned handle runs, so that the client reads its log to the end.
   */
  public Runnable reading(String id) {
    return consoles.reading(id);
  }

  /** Whether somebody streams its output now. */
  boolean beingRead(String id) {
    return consoles.beingRead(id);
  }

  /**
   * Attaches to the console of a container with a terminal or an open input: at once if it runs,
   * else as it next starts, before its process prints anything. The caller closes the socket.
   */
  public CompletableFuture<SeqPacket> attach(String idOrName) {
    return consoles.attach(idOrName);
  }

  /**
   * Makes an exec instance in a running container; returns its id.
   *
   * @throws EngineException.Conflict when the container is not running
   */
  public String createExec(String idOrName, ExecRequest request) {
    return execs.createExec(idOrName, request);
  }

  /**
   * An exec instance by id.
   *
   * @throws EngineException.NotFound when there is none
   */
  public Exec exec(String id) {
    return execs.exec(id);
  }

  /**
   * Starts an exec instance with a terminal of {@code rows} × {@code columns} (if it has one). When
   * {@code detach}, its output is dropped and its end recorded in the background; otherwise the
   * caller reads its output to the end, then calls {@link Exec#finish} and {@link
   * ExecProcess#release}.
   */
  public ExecProcess startExec(String id, boolean detach, int rows, int columns) {
    return execs.startExec(id, detach, rows, columns);
  }

  /** Every container, newest first, with its state read anew from conmon's records. */
  public List<Container> list() {
    return store.list();
  }

  /** A container by id, name (with or without its leading slash) or id prefix of 4 or more. */
  public Optional<Container> find(String idOrName) {
    return store.find(idOrName);
  }

  /**
   * A container by id, name or id prefix.
   *
   * @throws EngineException.NotFound when there is none
   */
  public Container require(String idOrName) {
    return store.require(idOrName);
  }
}

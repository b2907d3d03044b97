package io.jstack.engine.fake;

import io.jstack.engine.BuildSpec;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.Engine.ExecResult;
import io.jstack.engine.Engine.ExecSpec;
import io.jstack.engine.EngineException;
import io.jstack.engine.EngineInfo;
import io.jstack.engine.EventStream;
import io.jstack.engine.ImageInfo;
import io.jstack.engine.LogStream;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.Stdio;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An in-memory {@link Engine} for tests: fast, thread-safe, and strict the way Docker is, so that
 * code which works against it works against a real engine.
 *
 * <p><b>Containers</b> have 64-hex-digit ids (deterministic: the n-th id of every fake engine is
 * the same) and unique names; they go {@code created → running → exited}. Creating one needs its
 * image locally and its networks to exist; named volumes it mounts are created when missing, and
 * anonymous ones are created for it. What a running container does by itself — exit after a while,
 * pass or fail its healthcheck, ignore its stop signal — is a {@link Behaviour}, set per image
 * ({@link #behave}) or per container name ({@link #behaveContainer}). Without one, a container runs
 * until stopped, and one whose spec has a healthcheck goes {@code STARTING → HEALTHY} after {@link
 * #healthDelay}. Timed events run on an {@link EngineClock}: {@link ManualClock} makes them instant
 * and deterministic. Restart policies are not modelled.
 *
 * <p><b>Networks and volumes</b> are created and removed by name. As in Docker, a network cannot be
 * removed while a running container is attached (a stopped one then fails to start), and a volume
 * cannot be removed while any container, running or not, mounts it.
 *
 * <p><b>Images</b> are found locally by reference ({@code nginx}, {@code nginx:latest} and {@code
 * docker.io/library/nginx:latest} are one image) or id. {@link #pullImage} fetches what was put "in
 * the registry" with {@link #registry}; {@link #localImage} puts an image straight into the local
 * store.
 *
 * <p><b>Instrumentation</b>: every mutating call (the Engine methods that change something, named
 * by their method names: {@code createContainer}, {@code startContainer}, {@code stopContainer},
 * {@code killContainer}, {@code removeContainer}, {@code renameContainer}, {@code createNetwork},
 * {@code removeNetwork}, {@code createVolume}, {@code removeVolume}, {@code pullImage}, {@code
 * removeImage}) first waits out {@link #latency} without holding any lock, so concurrent calls
 * overlap, then may fail as injected with {@link #failNext} or {@link #failWhen}, and is logged as
 * a {@link Call}. {@link #inFlight()} and {@link #peakInFlight()} count mutating calls under way.
 */
public final class FakeEngine implements Engine {

  /** The label Docker puts on the anonymous volumes it creates for containers. */
  public static final String ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous";

  /** How long a container whose spec has a healthcheck stays STARTING, unless configured. */
  public static final Duration DEFAULT_HEALTH_DELAY = Duration.ofMillis(20);

  private static final Set<String> BUILT_IN_NETWORK_MODES =
      Set.of("bridge", "host", "none", "default");
  private static final int KILLED = 137;

  /**
   * What a running container does by itself.
   *
   * @param exitAfter how long after each start it exits by itself with {@code exitCode}; null when
   *     it runs until stopped
   * @param health what its healthcheck reports after {@code healthAfter} (it is STARTING until
   *     then): HEALTHY, UNHEALTHY, STARTING (never decides) or NONE (no healthcheck at all); null
   *     when the spec decides: HEALTHY with a healthcheck, NONE without. A spec healthcheck of
   *     {@code ["NONE"]} always means NONE.
   * @param healthAfter null for the engine's {@link FakeEngine#healthDelay}
   * @param ignoresStopSignal when true, {@code stopContainer} ends it with SIGKILL, exit code 137,
   *     as a shell script running as PID 1 ignores SIGTERM
   */
  public record Behaviour(
      Duration exitAfter,
      int exitCode,
      Health health,
      Duration healthAfter,
      boolean ignoresStopSignal) {

    /** Runs until stopped, honours its stop signal; the spec decides its health. */
    public static final Behaviour DEFAULT = new Behaviour(null, 0, null, null, false);

    public Behaviour {
      requireNonNegative(exitAfter, "exitAfter");
      requireNonNegative(healthAfter, "healthAfter");
    }

    /** A one-shot job: exits by itself {@code delay} after it starts, with {@code exitCode}. */
    public static Behaviour exitsAfter(Duration delay, int exitCode) {
      return new Behaviour(Objects.requireNonNull(delay, "delay"), exitCode, null, null, false);
    }

    /** Has a healthcheck that passes {@code delay} after each start. */
    public static Behaviour healthyAfter(Duration delay) {
      return DEFAULT.withHealth(Health.HEALTHY, delay);
    }

    /** Has a healthcheck that fails {@code delay} after each start. */
    public static Behaviour unhealthyAfter(Duration delay) {
      return DEFAULT.withHealth(Health.UNHEALTHY, delay);
    }

    /** This behaviour, with a healthcheck reporting {@code outcome} {@code delay} after start. */
    public Behaviour withHealth(Health outcome, Duration delay) {
      return new Behaviour(
          exitAfter,
          exitCode,
          Objects.requireNonNull(outcome, "outcome"),
          delay,
          ignoresStopSignal);
    }

    /** This behaviour, but ignoring its stop signal, so that stopping it kills it (exit 137). */
    public Behaviour ignoringStopSignal() {
      return new Behaviour(exitAfter, exitCode, health, healthAfter, true);
    }
  }

  /**
   * One mutating call, logged when it returns or throws.
   *
   * @param op the {@link Engine} method's name, e.g. {@code startContainer}
   * @param target what it acted on: the container's name (or the id or name passed, when no
   *     container matched; for {@code createContainer} the name asked for, "" when none), the
   *     network's or volume's name, the image reference
   * @param startNanos {@link System#nanoTime()} when the call began
   * @param endNanos {@link System#nanoTime()} when it returned or threw
   * @param thread the name of the calling thread
   * @param error the failure's message (its class name when it has none); null when it succeeded
   */
  public record Call(
      String op, String target, long startNanos, long endNanos, String thread, String error) {

    public boolean failed() {
      return error != null;
    }

    public Duration duration() {
      return Duration.ofNanos(endNanos - startNanos);
    }

    /** Whether this call and {@code other} were under way at the same time. */
    public boolean overlaps(Call other) {
      return startNanos < other.endNanos && other.startNanos < endNanos;
    }
  }

  private record Failure(
      BiPredicate<String, String> when,
      Supplier<? extends RuntimeException> failure,
      boolean once) {}

  /** A container's mutable state; guarded by the engine's lock. */
  private static final class Container {
    final String id;
    final ContainerSpec spec;
    final String imageId;
    final Instant created;
    final List<String> networks;
    final List<String> volumes;
    final List<String> anonymousVolumes;
    String name;
    State state = State.CREATED;
    Health health = Health.NONE;
    int exitCode;
    Behaviour behaviour = Behaviour.DEFAULT;
    final List<LogStream.Line> output = new ArrayList<>();

    /** Counts starts, so that events scheduled by an earlier run are ignored. */
    long runs;

    /** Counts exits, so that a waiter sees an exit even if the container restarted since. */
    long exits;

    Container(
        String id,
        String name,
        ContainerSpec spec,
        String imageId,
        Instant created,
        List<String> networks,
        List<String> volumes,
        List<String> anonymousVolumes) {
      this.id = id;
      this.name = name;
      this.spec = spec;
      this.imageId = imageId;
      this.created = created;
      this.networks = List.copyOf(networks);
      this.volumes = List.copyOf(volumes);
      this.anonymousVolumes = List.copyOf(anonymousVolumes);
    }

    ContainerInfo info() {
      return new ContainerInfo(
          id,
          name,
          spec.image(),
          imageId,
          spec.labels(),
          state,
          health,
          exitCode,
          created,
          networks);
    }
  }

  private final EngineClock clock;

  /** Guards every field below it, except the atomics, queues and volatiles. */
  private final Object lock = new Object();

  private final Map<String, Container> containers = new LinkedHashMap<>();
  private final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
  private final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();
  private final Set<String> images = new LinkedHashSet<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final Map<String, String> registry = new HashMap<>();
  private final Map<String, Behaviour> imageBehaviours = new HashMap<>();
  private final Map<String, Behaviour> nameBehaviours = new HashMap<>();
  private final List<Failure> failures = new ArrayList<>();
  private long sequence;

  private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration healthDelay = DEFAULT_HEALTH_DELAY;

  /** An empty engine on wall-clock time. */
  public FakeEngine() {
    this(EngineClock.system());
  }

  /** An empty engine whose timed events run on {@code clock}. */
  public FakeEngine(EngineClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------- configuration

  public EngineClock clock() {
    return clock;
  }

  /**
   * Makes every later mutating call take at least {@code perCall} of wall-clock time (whatever the
   * clock), spent before it acts and without holding any lock. Zero by default.
   */
  public FakeEngine latency(Duration perCall) {
    requireNonNegative(Objects.requireNonNull(perCall, "perCall"), "latency");
    this.latency = perCall;
    return this;
  }

  /**
   * How long containers stay STARTING when their {@link Behaviour} does not say; {@link
   * #DEFAULT_HEALTH_DELAY} by default. Zero makes them HEALTHY as they start.
   */
  public FakeEngine healthDelay(Duration delay) {
    requireNonNegative(Objects.requireNonNull(delay, "delay"), "healthDelay");
    this.healthDelay = delay;
    return this;
  }

  /**
   * Containers of {@code image} behave as {@code behaviour} from their next start, unless {@link
   * #behaveContainer} set one for their name.
   */
  public FakeEngine behave(String image, Behaviour behaviour) {
    Objects.requireNonNull(behaviour, "behaviour");
    synchronized (lock) {
      imageBehaviours.put(normalize(image), behaviour);
    }
    return this;
  }

  /** The container named {@code name} behaves as {@code behaviour} from its next start. */
  public FakeEngine behaveContainer(String name, Behaviour behaviour) {
    Objects.requireNonNull(behaviour, "behaviour");
    synchronized (lock) {
      nameBehaviours.put(Objects.requireNonNull(name, "name"), behaviour);
    }
    return this;
  }

  /**
   * Puts {@code reference} in the registry as image {@code imageId} (conventionally {@code sha256:}
   * and 64 hex digits), for {@link #pullImage} to fetch; re-registering it later models a new
   * version being pushed.
   */
  public FakeEngine registry(String reference, String imageId) {
    Objects.requireNonNull(imageId, "imageId");
    synchronized (lock) {
      registry.put(normalize(reference), imageId);
    }
    return this;
  }

  /** Puts {@code reference} in the local image store as image {@code imageId}, as if pulled. */
  public FakeEngine localImage(String reference, String imageId) {
    Objects.requireNonNull(imageId, "imageId");
    synchronized (lock) {
      images.add(imageId);
      tags.put(normalize(reference), imageId);
    }
    return this;
  }

  /**
   * Makes the next mutating call {@code op} on {@code target} (a container's name or id, a network
   * or volume name, an image reference; any target when null) throw {@code failure} instead of
   * acting.
   */
  public FakeEngine failNext(String op, String target, RuntimeException failure) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(failure, "failure");
    synchronized (lock) {
      failures.add(
          new Failure(
              (o, t) -> o.equals(op) && (target == null || target.equals(t)), () -> failure, true));
    }
    return this;
  }

  /**
   * Makes every mutating call for which {@code when} holds, given its op and its target, throw what
   * {@code failure} supplies instead of acting, until {@link #clearFailures()}. For a container,
   * {@code when} is tried with its name, its id and the id or name passed.
   */
  public FakeEngine failWhen(
      BiPredicate<String, String> when, Supplier<? extends RuntimeException> failure) {
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(failure, "failure");
    synchronized (lock) {
      failures.add(new Failure(when, failure, false));
    }
    return this;
  }

  /** Forgets every failure injected and not yet used. */
  public void clearFailures() {
    synchronized (lock) {
      failures.clear();
    }
  }

  /**
   * Makes a running container exit now by itself with {@code exitCode}, as if its process finished
   * or crashed; not a mutating call.
   *
   * @throws EngineException.Conflict when it is not running
   */
  public void exit(String idOrName, int exitCode) {
    synchronized (lock) {
      Container c = require(idOrName);
      if (c.state != State.RUNNING) {
        throw notRunning(c);
      }
      exited(c, exitCode);
    }
  }

  /**
   * Makes a container write a line, as if its process had printed it; not a mutating call.
   *
   * @throws EngineException.NotFound when it does not exist
   */
  public void write(String idOrName, LogStream.Source source, String text) {
    synchronized (lock) {
      Container c = require(idOrName);
      c.output.add(new LogStream.Line(source, clock.now().toString(), text));
      lock.notifyAll();
    }
  }

  /**
   * What the container wrote ({@link #write}); with {@code follow}, waits for more until it exits,
   * is removed or the stream is closed. {@code since} and {@code until} are not modelled.
   */
  @Override
  public LogStream logs(String id, LogStream.Options options) {
    Objects.requireNonNull(options, "options");
    final Container c;
    final int start;
    synchronized (lock) {
      c = require(id);
      start = options.tail() == null ? 0 : Math.max(0, c.output.size() - options.tail());
    }
    return new LogStream() {
      private int next = start;
      private boolean closed;

      @Override
      public Line next() {
        synchronized (lock) {
          while (true) {
            if (closed) {
              return null;
            }
            if (next < c.output.size()) {
              Line l = c.output.get(next++);
              return options.timestamps() ? l : new Line(l.source(), null, l.text());
            }
            boolean gone = containers.get(c.id) != c;
            if (!options.follow() || gone || c.state != State.RUNNING) {
              return null;
            }
            try {
              lock.wait();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return null;
            }
          }
        }
      }

      @Override
      public void close() {
        synchronized (lock) {
          closed = true;
          lock.notifyAll();
        }
      }
    };
  }

  /**
   * Sets what a running container's healthcheck reports from now on, as if it began passing or
   * failing; not a mutating call.
   *
   * @throws EngineException.Conflict when it is not running
   */
  public void health(String idOrName, Health health) {
    Objects.requireNonNull(health, "health");
    synchronized (lock) {
      Container c = require(idOrName);
      if (c.state != State.RUNNING) {
        throw notRunning(c);
      }
      c.health = health;
    }
  }

  // ---------------------------------------------------------------- instrumentation

  /** Every mutating call so far, in the order they finished. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The mutating calls named {@code op}, in the order they finished. */
  public List<Call> calls(String op) {
    return calls.stream().filter(c -> c.op().equals(op)).toList();
  }

  /** Forgets the logged calls, and lowers the peak to the calls now under way. */
  public void clearCalls() {
    calls.clear();
    peakInFlight.set(inFlight.get());
  }

  /** How many mutating calls are under way now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most mutating calls that were ever under way at once. */
  public int peakInFlight() {
    return peakInFlight.get();
  }

  /** Whether there are no containers, networks or volumes; images do not count. */
  public boolean isEmpty() {
    synchronized (lock) {
      return containers.isEmpty() && networks.isEmpty() && volumes.isEmpty();
    }
  }

  // ---------------------------------------------------------------- Engine: containers

  @Override
  public String describe() {
    return "fake engine";
  }

  /** Containers in creation order. */
  @Override
  public List<ContainerInfo> containers(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (lock) {
      return containers.values().stream()
          .filter(c -> matches(c.spec.labels(), labels))
          .map(Container::info)
          .toList();
    }
  }

  /** Looks up by id, then name (a leading slash is ignored), then a unique id prefix. */
  @Override
  public Optional<ContainerInfo> container(String idOrName) {
    synchronized (lock) {
      return Optional.ofNullable(find(idOrName)).map(Container::info);
    }
  }

  /**
   * Creates the container; a null name gets a generated one.
   *
   * @throws EngineException when the name is not a valid container name
   * @throws EngineException.NotFound when the image is not local ("No such image: x"), or a network
   *     it joins does not exist
   */
  @Override
  public String createContainer(ContainerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String requested = spec.name() == null ? null : stripSlash(spec.name());
    return mutateAndGet(
        "createContainer",
        List.of(requested == null ? "" : requested),
        () -> {
          synchronized (lock) {
            String id = nextId("container");
            String name = requested == null ? "fake_" + id.substring(0, 12) : requested;
            requireValidName(name);
            Container holder = byName(name);
            if (holder != null) {
              throw nameInUse(name, holder);
            }
            String imageId = localImageId(spec.image());
            if (imageId == null) {
              throw new EngineException.NotFound("No such image: " + spec.image());
            }
            List<String> attached =
                !spec.networks().isEmpty()
                    ? List.copyOf(spec.networks().keySet())
                    : List.of(spec.networkMode() == null ? "bridge" : spec.networkMode());
            attached.forEach(this::requireNetwork);
            List<String> mounted = new ArrayList<>();
            List<String> anonymous = new ArrayList<>();
            for (ContainerSpec.Mount mount : spec.mounts()) {
              if (!"volume".equals(mount.type())) {
                continue;
              }
              String volume = mount.source();
              if (volume == null || volume.isEmpty()) {
                volume = nextId("volume");
                volumes.put(
                    volume, new VolumeInfo(volume, "local", Map.of(ANONYMOUS_VOLUME_LABEL, "")));
                anonymous.add(volume);
              } else {
                volumes.putIfAbsent(volume, new VolumeInfo(volume, "local", Map.of()));
              }
              mounted.add(volume);
            }
            containers.put(
                id,
                new Container(id, name, spec, imageId, clock.now(), attached, mounted, anonymous));
            emit("container", "create", id, withName(spec.labels(), name));
            return id;
          }
        });
  }

  /**
   * Starts a created or exited container, per its {@link Behaviour}; starting a running one does
   * nothing. Its exit code stays the last one until it exits again.
   *
   * @throws EngineException.NotFound when it does not exist, or one of its networks no longer does
   */
  @Override
  public void startContainer(String id) {
    mutateContainer(
        "startContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state == State.RUNNING) {
              return;
            }
            c.networks.forEach(this::requireNetwork);
            Behaviour behaviour = behaviourOf(c);
            long run = ++c.runs;
            c.behaviour = behaviour;
            c.state = State.RUNNING;
            emit("container", "start", c.id, withName(c.spec.labels(), c.name));
            Health outcome = healthOutcome(c.spec, behaviour);
            if (outcome == Health.NONE) {
              c.health = Health.NONE;
            } else {
              c.health = Health.STARTING;
              Duration after =
                  behaviour.healthAfter() == null ? healthDelay : behaviour.healthAfter();
              during(c, run, after, () -> c.health = outcome);
            }
            if (behaviour.exitAfter() != null) {
              during(c, run, behaviour.exitAfter(), () -> exited(c, behaviour.exitCode()));
            }
          }
        });
  }

  /**
   * Stops a running container at once: exit code 0, or 137 when its {@link Behaviour} ignores the
   * stop signal, the signal is SIGKILL, or the timeout is zero. The grace period is not waited out.
   * Stopping a container that is not running does nothing.
   */
  @Override
  public void stopContainer(String id, String signal, Duration timeout) {
    mutateContainer(
        "stopContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state != State.RUNNING) {
              return;
            }
            boolean killed =
                c.behaviour.ignoresStopSignal()
                    || isSigkill(signal)
                    || (timeout != null && timeout.isZero());
            exited(c, killed ? KILLED : 0);
          }
        });
  }

  /**
   * Kills a running container: it exits with 137, whatever the signal.
   *
   * @throws EngineException.Conflict when it is not running
   */
  @Override
  public void killContainer(String id, String signal) {
    mutateContainer(
        "killContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state != State.RUNNING) {
              throw notRunning(c);
            }
            exited(c, KILLED);
          }
        });
  }

  /**
   * Removes a container that is not running, and with {@code removeVolumes} the anonymous volumes
   * created for it.
   *
   * @throws EngineException.Conflict when it is running ("stop it first")
   */
  @Override
  public void removeContainer(String id, boolean removeVolumes) {
    mutateContainer(
        "removeContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state == State.RUNNING) {
              throw new EngineException.Conflict(
                  "cannot remove container \""
                      + c.name
                      + "\": container is running: stop it first, or force remove it");
            }
            containers.remove(c.id);
            emit("container", "destroy", c.id, withName(c.spec.labels(), c.name));
            if (removeVolumes) {
              c.anonymousVolumes.forEach(volumes::remove);
            }
            lock.notifyAll();
          }
        });
  }

  /**
   * @throws EngineException when {@code newName} is its current name or not a valid name
   */
  @Override
  public void renameContainer(String id, String newName) {
    String name = stripSlash(Objects.requireNonNull(newName, "newName"));
    mutateContainer(
        "renameContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            requireValidName(name);
            if (c.name.equals(name)) {
              throw new EngineException(
                  "Renaming a container with the same name as its current name: " + name);
            }
            Container holder = byName(name);
            if (holder != null) {
              throw nameInUse(name, holder);
            }
            c.name = name;
          }
        });
  }

  /**
   * Returns at once with the exit code of an exited container; otherwise blocks until the container
   * next exits. Not a mutating call.
   *
   * @throws EngineException.NotFound when it does not exist, or is removed before it exits
   * @throws EngineException when the waiting thread is interrupted (its interrupt flag is set)
   */
  @Override
  public int waitContainer(String id) {
    synchronized (lock) {
      Container c = require(id);
      if (c.state == State.EXITED) {
        return c.exitCode;
      }
      long exits = c.exits;
      while (c.exits == exits) {
        if (containers.get(c.id) != c) {
          throw new EngineException.NotFound(
              "No such container: " + c.name + " (removed while waiting for it to exit)");
        }
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException("interrupted while waiting for container " + c.name, e);
        }
      }
      return c.exitCode;
    }
  }

  // ---------------------------------------------------------------- Engine: networks

  @Override
  public List<NetworkInfo> networks(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (lock) {
      return networks.values().stream().filter(n -> matches(n.labels(), labels)).toList();
    }
  }

  /** Looks up by name, then id. */
  @Override
  public Optional<NetworkInfo> network(String name) {
    synchronized (lock) {
      return Optional.ofNullable(findNetwork(name));
    }
  }

  /** Creates the network; a null driver means {@code bridge}. */
  @Override
  public void createNetwork(NetworkSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String name = io.jstack.engine.Names.network(Objects.requireNonNull(spec.name(), "spec.name"));
    mutate(
        "createNetwork",
        name,
        () -> {
          synchronized (lock) {
            if (networks.containsKey(name)) {
              throw new EngineException.Conflict("network with name " + name + " already exists");
            }
            String driver = spec.driver() == null ? "bridge" : spec.driver();
            NetworkInfo created =
                new NetworkInfo(nextId("network"), name, driver, spec.internal(), spec.labels());
            networks.put(name, created);
            emit("network", "create", created.id(), withName(spec.labels(), name));
          }
        });
  }

  /**
   * @throws EngineException.NotFound when there is no such network
   * @throws EngineException.Conflict when a running container is attached to it
   */
  @Override
  public void removeNetwork(String name) {
    mutate(
        "removeNetwork",
        name,
        () -> {
          synchronized (lock) {
            NetworkInfo network = findNetwork(name);
            if (network == null) {
              throw new EngineException.NotFound("network " + name + " not found");
            }
            List<String> users =
                containers.values().stream()
                    .filter(c -> c.state == State.RUNNING && c.networks.contains(network.name()))
                    .map(c -> c.name)
                    .toList();
            if (!users.isEmpty()) {
              throw new EngineException.Conflict(
                  "error while removing network: network "
                      + network.name()
                      + " has active endpoints "
                      + users);
            }
            networks.remove(network.name());
            emit("network", "destroy", network.id(), withName(network.labels(), network.name()));
          }
        });
  }

  // ---------------------------------------------------------------- Engine: volumes

  @Override
  public List<VolumeInfo> volumes(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (lock) {
      return volumes.values().stream().filter(v -> matches(v.labels(), labels)).toList();
    }
  }

  @Override
  public Optional<VolumeInfo> volume(String name) {
    synchronized (lock) {
      return Optional.ofNullable(volumes.get(name));
    }
  }

  /** Creates the volume; a null driver means {@code local}. */
  @Override
  public void createVolume(VolumeSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String name = io.jstack.engine.Names.volume(Objects.requireNonNull(spec.name(), "spec.name"));
    mutate(
        "createVolume",
        name,
        () -> {
          synchronized (lock) {
            if (volumes.containsKey(name)) {
              throw new EngineException.Conflict("volume " + name + " already exists");
            }
            String driver = spec.driver() == null ? "local" : spec.driver();
            volumes.put(name, new VolumeInfo(name, driver, spec.labels()));
          }
        });
  }

  /**
   * @throws EngineException.NotFound when there is no such volume
   * @throws EngineException.Conflict when a container, running or not, mounts it
   */
  @Override
  public void removeVolume(String name) {
    mutate(
        "removeVolume",
        name,
        () -> {
          synchronized (lock) {
            if (!volumes.containsKey(name)) {
              throw new EngineException.NotFound("get " + name + ": no such volume");
            }
            List<String> users =
                containers.values().stream()
                    .filter(c -> c.volumes.contains(name))
                    .map(c -> c.name)
                    .toList();
            if (!users.isEmpty()) {
              throw new EngineException.Conflict(
                  "remove " + name + ": volume is in use - " + users);
            }
            volumes.remove(name);
          }
        });
  }

  // ---------------------------------------------------------------- Engine: images

  /** The local image a reference or id names; its tags, and no config of its own. */
  @Override
  public Optional<ImageInfo> image(String reference) {
    synchronized (lock) {
      return Optional.ofNullable(localImageId(reference)).map(this::imageInfo);
    }
  }

  /**
   * Fetches the image {@link #registry} holds for {@code reference} into the local store, reporting
   * Docker-like progress: "Pulling from", then one layer's progress unless the local image is
   * already the registry's, then a "Status:" line.
   *
   * @throws EngineException.NotFound when the registry does not have it ("pull access denied for x,
   *     repository does not exist ...", or "manifest for x not found" when only the tag is unknown)
   */
  @Override
  public void pullImage(String reference, Consumer<PullProgress> progress) {
    Objects.requireNonNull(reference, "reference");
    Consumer<PullProgress> report = progress == null ? p -> {} : progress;
    mutate(
        "pullImage",
        reference,
        () -> {
          String ref = normalize(reference);
          String repository = repository(ref);
          String imageId;
          boolean upToDate;
          synchronized (lock) {
            imageId = registry.get(ref);
            if (imageId == null) {
              boolean knownRepository =
                  registry.keySet().stream().anyMatch(r -> repository(r).equals(repository));
              throw new EngineException.NotFound(
                  knownRepository
                      ? "manifest for " + ref + " not found: manifest unknown"
                      : "pull access denied for "
                          + repository
                          + ", repository does not exist or may require 'docker login'");
            }
            upToDate = imageId.equals(tags.get(ref));
          }
          report.accept(new PullProgress(reference, "", "Pulling from " + repository, 0, 0));
          if (!upToDate) {
            String layer = shortId(imageId);
            long size = 1L << 20;
            report.accept(new PullProgress(reference, layer, "Pulling fs layer", 0, 0));
            report.accept(new PullProgress(reference, layer, "Downloading", size / 2, size));
            report.accept(new PullProgress(reference, layer, "Downloading", size, size));
            report.accept(new PullProgress(reference, layer, "Pull complete", size, size));
            synchronized (lock) {
              images.add(imageId);
              tags.put(ref, imageId);
            }
          }
          report.accept(
              new PullProgress(
                  reference,
                  "",
                  (upToDate
                          ? "Status: Image is up to date for "
                          : "Status: Downloaded newer image for ")
                      + ref,
                  0,
                  0));
        });
  }

  /**
   * Removes a reference: untags it when the image has other tags, else deletes the image.
   *
   * @throws EngineException.NotFound when no local image has that reference or id
   * @throws EngineException.Conflict when that would delete an image a container (running or not)
   *     was created from, or an id names an image with several tags
   */
  @Override
  public void removeImage(String reference) {
    mutate(
        "removeImage",
        reference,
        () -> {
          synchronized (lock) {
            String ref = normalize(reference);
            boolean byTag = tags.containsKey(ref);
            String imageId = localImageId(reference);
            if (imageId == null) {
              throw new EngineException.NotFound("No such image: " + reference);
            }
            List<String> imageTags = tagsOf(imageId);
            if (!byTag && imageTags.size() > 1) {
              throw new EngineException.Conflict(
                  "conflict: unable to delete "
                      + shortId(imageId)
                      + " (must be forced) - image is referenced in multiple repositories");
            }
            boolean deletes = !byTag || imageTags.size() == 1;
            if (deletes) {
              Optional<Container> user =
                  containers.values().stream().filter(c -> c.imageId.equals(imageId)).findFirst();
              if (user.isPresent()) {
                throw new EngineException.Conflict(
                    "conflict: unable to remove repository reference \""
                        + reference
                        + "\" (must force) - container "
                        + user.get().id.substring(0, 12)
                        + " is using its referenced image "
                        + shortId(imageId));
              }
              tags.values().removeIf(imageId::equals);
              images.remove(imageId);
            } else {
              tags.remove(ref);
            }
          }
        });
  }

  // ---------------------------------------------------------------- internals

  /** A mutating call on a container: logged by its name, failures matched by name or id. */
  private void mutateContainer(String op, String idOrName, Runnable action) {
    List<String> names;
    synchronized (lock) {
      Container c = find(idOrName);
      names =
          c == null
              ? List.of(String.valueOf(idOrName))
              : List.of(c.name, c.id, String.valueOf(idOrName));
    }
    mutate(op, names, action);
  }

  private void mutate(String op, String target, Runnable action) {
    mutate(op, List.of(target), action);
  }

  private void mutate(String op, List<String> names, Runnable action) {
    mutateAndGet(
        op,
        names,
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Runs a mutating call: latency, injected failure, the action, the log and the counters. The
   * first of {@code names} is the logged target; failures are matched against each.
   */
  private <T> T mutateAndGet(String op, List<String> names, Supplier<T> action) {
    long start = System.nanoTime();
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    String target = names.get(0);
    String error = null;
    try {
      pause(latency);
      RuntimeException failure = injectedFailure(op, names);
      if (failure != null) {
        throw failure;
      }
      return action.get();
    } catch (RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      throw e;
    } finally {
      calls.add(
          new Call(op, target, start, System.nanoTime(), Thread.currentThread().getName(), error));
      inFlight.decrementAndGet();
    }
  }

  private RuntimeException injectedFailure(String op, List<String> names) {
    synchronized (lock) {
      for (Iterator<Failure> it = failures.iterator(); it.hasNext(); ) {
        Failure f = it.next();
        if (names.stream().distinct().anyMatch(name -> f.when().test(op, name))) {
          if (f.once()) {
            it.remove();
          }
          return f.failure().get();
        }
      }
      return null;
    }
  }

  private static void pause(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", e);
    }
  }

  /** Runs {@code effect} under the lock after {@code delay}, if run {@code run} is still on. */
  private void during(Container c, long run, Duration delay, Runnable effect) {
    if (delay.isZero()) {
      effect.run();
      return;
    }
    clock.schedule(
        delay,
        () -> {
          synchronized (lock) {
            if (containers.get(c.id) == c && c.runs == run && c.state == State.RUNNING) {
              effect.run();
            }
          }
        });
  }

  private void exited(Container c, int exitCode) {
    c.state = State.EXITED;
    c.exitCode = exitCode;
    Map<String, String> attrs = withName(c.spec.labels(), c.name);
    attrs.put("exitCode", Integer.toString(exitCode));
    emit("container", "die", c.id, attrs);
    if (c.health != Health.NONE) {
      c.health = Health.UNHEALTHY; // as Docker reports once the health monitor stops
    }
    c.exits++;
    lock.notifyAll();
  }

  private Behaviour behaviourOf(Container c) {
    Behaviour byName = nameBehaviours.get(c.name);
    if (byName != null) {
      return byName;
    }
    return imageBehaviours.getOrDefault(normalize(c.spec.image()), Behaviour.DEFAULT);
  }

  private static Health healthOutcome(ContainerSpec spec, Behaviour behaviour) {
    ContainerSpec.HealthSpec check = spec.healthcheck();
    if (check != null && check.test().equals(List.of("NONE"))) {
      return Health.NONE;
    }
    if (behaviour.health() != null) {
      return behaviour.health();
    }
    return check != null && !check.test().isEmpty() ? Health.HEALTHY : Health.NONE;
  }

  private Container find(String idOrName) {
    if (idOrName == null || idOrName.isEmpty()) {
      return null;
    }
    String key = stripSlash(idOrName);
    Container c = containers.get(key);
    if (c != null) {
      return c;
    }
    c = byName(key);
    if (c != null) {
      return c;
    }
    List<Container> prefixed =
        containers.values().stream().filter(x -> x.id.startsWith(key)).limit(2).toList();
    return prefixed.size() == 1 ? prefixed.get(0) : null;
  }

  private Container byName(String name) {
    for (Container c : containers.values()) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  private Container require(String idOrName) {
    Container c = find(idOrName);
    if (c == null) {
      throw new EngineException.NotFound("No such container: " + idOrName);
    }
    return c;
  }

  private NetworkInfo findNetwork(String nameOrId) {
    NetworkInfo network = networks.get(nameOrId);
    if (network != null) {
      return network;
    }
    return networks.values().stream().filter(n -> n.id().equals(nameOrId)).findFirst().orElse(null);
  }

  /** Checks that a container can join {@code network}: a built-in mode or an existing network. */
  private void requireNetwork(String network) {
    if (BUILT_IN_NETWORK_MODES.contains(network)) {
      return;
    }
    if (network.startsWith("container:")) {
      require(network.substring("container:".length()));
      return;
    }
    if (findNetwork(network) == null) {
      throw new EngineException.NotFound("network " + network + " not found");
    }
  }

  private static EngineException.Conflict nameInUse(String name, Container holder) {
    return new EngineException.Conflict(
        "Conflict. The container name \""
            + name
            + "\" is already in use by container \""
            + holder.id
            + "\". You have to remove (or rename) that container to be able to reuse that name.");
  }

  private static EngineException.Conflict notRunning(Container c) {
    return new EngineException.Conflict("Container " + c.name + " is not running");
  }

  private static void requireValidName(String name) {
    io.jstack.engine.Names.container(name);
  }

  private static boolean isSigkill(String signal) {
    return signal != null
        && (signal.equalsIgnoreCase("SIGKILL")
            || signal.equalsIgnoreCase("KILL")
            || signal.equals("9"));
  }

  private String localImageId(String reference) {
    if (reference == null) {
      return null;
    }
    String id = tags.get(normalize(reference));
    if (id != null) {
      return id;
    }
    if (images.contains(reference)) {
      return reference;
    }
    return images.contains("sha256:" + reference) ? "sha256:" + reference : null;
  }

  private List<String> tagsOf(String imageId) {
    return tags.entrySet().stream()
        .filter(e -> e.getValue().equals(imageId))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * "Builds" an image whose id depends on the Dockerfile's text, the build args, target and labels,
   * so that changing any of them gives a new image, and tags it with every tag of the spec.
   */
  @Override
  public String buildImage(BuildSpec spec, Consumer<String> progress) {
    Objects.requireNonNull(spec, "spec");
    String[] id = new String[1];
    mutate(
        "buildImage",
        spec.tags().isEmpty() ? spec.context().toString() : spec.tags().get(0),
        () -> {
          String dockerfile;
          try {
            dockerfile =
                spec.dockerfileInline() != null
                    ? spec.dockerfileInline()
                    : java.nio.file.Files.readString(
                        spec.context()
                            .resolve(spec.dockerfile() == null ? "Dockerfile" : spec.dockerfile()));
          } catch (java.io.IOException e) {
            throw new EngineException("build: cannot read the Dockerfile: " + e.getMessage());
          }
          String content =
              dockerfile
                  + "\0"
                  + spec.args()
                  + "\0"
                  + spec.target()
                  + "\0"
                  + new java.util.TreeMap<>(spec.labels());
          try {
            id[0] =
                "sha256:"
                    + HexFormat.of()
                        .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                .digest(content.getBytes(StandardCharsets.UTF_8)));
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
          }
          synchronized (lock) {
            images.add(id[0]);
            for (String tag : spec.tags()) {
              tags.put(normalize(tag), id[0]);
            }
          }
          progress.accept("Successfully built " + id[0]);
        });
    return id[0];
  }

  private final List<EventStream.Event> events = new ArrayList<>();
  private final Map<String, java.util.function.Function<ExecSpec, ExecResult>> execs =
      new HashMap<>();

  /**
   * What an exec of a command whose first word is {@code program} does in any container; an exec of
   * another program exits 127 with "executable file not found", as Docker reports it.
   */
  public FakeEngine execBehaviour(
      String program, java.util.function.Function<ExecSpec, ExecResult> behaviour) {
    synchronized (lock) {
      execs.put(program, behaviour);
    }
    return this;
  }

  private final Map<String, Map<String, byte[]>> files = new HashMap<>();

  /** Regular files only: what {@link #copyTo} put there, by absolute path. */
  @Override
  public java.io.InputStream copyFrom(String id, String path) {
    java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
    synchronized (lock) {
      Container c = require(id);
      Map<String, byte[]> mine = files.getOrDefault(c.id, Map.of());
      String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      String top = base.substring(base.lastIndexOf('/') + 1);
      boolean found = false;
      try {
        for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(mine).entrySet()) {
          if (f.getKey().equals(base)) {
            io.jstack.engine.TarWriter.file(tar, top, 0644, 0, 0, f.getValue());
            found = true;
          } else if (f.getKey().startsWith(base + "/")) {
            io.jstack.engine.TarWriter.file(
                tar, top + f.getKey().substring(base.length()), 0644, 0, 0, f.getValue());
            found = true;
          }
        }
        io.jstack.engine.TarWriter.end(tar);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      if (!found) {
        throw new EngineException.NotFound(
            "Could not find the file " + path + " in container " + c.name);
      }
    }
    return new java.io.ByteArrayInputStream(tar.toByteArray());
  }

  @Override
  public void copyTo(String id, String dir, java.io.InputStream archive) {
    Map<String, byte[]> entries;
    try {
      entries = TarEntries.readAll(archive);
    } catch (java.io.IOException e) {
      throw new EngineException("copy: cannot read the archive: " + e.getMessage());
    }
    synchronized (lock) {
      Container c = require(id);
      Map<String, byte[]> mine = files.computeIfAbsent(c.id, k -> new HashMap<>());
      String base = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
      entries.forEach((name, body) -> mine.put(base + "/" + name, body));
    }
  }

  /** One process: the container's command (or its image's, unknown here: "sh"). */
  @Override
  public Processes top(String id) {
    synchronized (lock) {
      Container c = require(id);
      if (c.state != State.RUNNING) {
        throw notRunning(c);
      }
      List<String> cmd =
          c.spec.command() == null || c.spec.command().isEmpty() ? List.of("sh") : c.spec.command();
      return new Processes(
          List.of("UID", "PID", "CMD"), List.of(List.of("root", "1", String.join(" ", cmd))));
    }
  }

  @Override
  public void pauseContainer(String id) {
    mutateContainer(
        "pauseContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state != State.RUNNING) {
              throw notRunning(c);
            }
            c.state = State.PAUSED;
          }
        });
  }

  @Override
  public void unpauseContainer(String id) {
    mutateContainer(
        "unpauseContainer",
        id,
        () -> {
          synchronized (lock) {
            Container c = require(id);
            if (c.state != State.PAUSED) {
              throw new EngineException.Conflict("Container " + c.id + " is not paused");
            }
            c.state = State.RUNNING;
          }
        });
  }

  @Override
  public int exec(String id, ExecSpec spec, Stdio stdio) {
    java.util.function.Function<ExecSpec, ExecResult> behaviour;
    synchronized (lock) {
      Container c = require(id);
      if (c.state != State.RUNNING) {
        throw notRunning(c);
      }
      behaviour = execs.get(spec.command().isEmpty() ? "" : spec.command().get(0));
    }
    ExecResult r =
        behaviour != null
            ? behaviour.apply(spec)
            : new ExecResult(
                127,
                new byte[0],
                ("exec: \"" + spec.command().get(0) + "\": executable file not found in $PATH\n")
                    .getBytes(StandardCharsets.UTF_8));
    if (spec.detach()) {
      return 0;
    }
    try {
      stdio.out().write(r.stdout());
      stdio.out().flush();
      stdio.err().write(r.stderr());
      stdio.err().flush();
    } catch (java.io.IOException e) {
      throw new EngineException("exec output could not be written: " + e.getMessage(), e);
    }
    return r.exitCode();
  }

  /** Starts the container and copies what it writes ({@link #write}) until it exits. */
  @Override
  public int startAttached(String id, Stdio stdio) {
    startContainer(id);
    try (LogStream log = logs(id, new LogStream.Options(true, null, null, null, false))) {
      for (LogStream.Line l = log.next(); l != null; l = log.next()) {
        java.io.OutputStream to = l.source() == LogStream.Source.STDERR ? stdio.err() : stdio.out();
        to.write((l.text() + "\n").getBytes(StandardCharsets.UTF_8));
        to.flush();
      }
    } catch (java.io.IOException e) {
      throw new EngineException("container output could not be written: " + e.getMessage(), e);
    }
    return waitContainer(id);
  }

  private static Map<String, String> withName(Map<String, String> labels, String name) {
    Map<String, String> m = new LinkedHashMap<>(labels);
    m.put("name", name);
    return m;
  }

  /** Records an event; callers hold the lock. */
  private void emit(String type, String action, String id, Map<String, String> attributes) {
    events.add(new EventStream.Event(clock.now(), type, action, id, attributes));
    lock.notifyAll();
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo(
        "fake", "0", "1.41", "in memory", "none", Runtime.getRuntime().availableProcessors(), 0);
  }

  /**
   * Local images (labels are not modelled: every label filter matches nothing but an empty one).
   */
  @Override
  public List<ImageInfo> images(Map<String, String> labels) {
    synchronized (lock) {
      if (!labels.isEmpty()) {
        return List.of();
      }
      return images.stream().sorted().map(this::imageInfo).toList();
    }
  }

  /** Copies a local image into the fake registry under its reference. */
  @Override
  public void pushImage(String reference, Consumer<PullProgress> progress) {
    mutate(
        "pushImage",
        reference,
        () -> {
          synchronized (lock) {
            String id = localImageId(reference);
            if (id == null) {
              throw new EngineException.NotFound(
                  "An image does not exist locally with the tag: " + reference);
            }
            registry.put(normalize(reference), id);
          }
          progress.accept(new PullProgress(reference, "", "Pushed", 0, 0));
        });
  }

  @Override
  public void tagImage(String source, String target) {
    mutate(
        "tagImage",
        source,
        () -> {
          synchronized (lock) {
            String id = localImageId(source);
            if (id == null) {
              throw new EngineException.NotFound("No such image: " + source);
            }
            tags.put(normalize(target), id);
          }
        });
  }

  /**
   * Loads the images a {@code docker save} archive names in its {@code manifest.json} (their {@code
   * Config} file name gives the id, {@code RepoTags} the names); layers are not kept.
   */
  @Override
  public List<String> loadImages(java.io.InputStream archive) {
    byte[] manifest;
    try {
      manifest = TarEntries.read(archive, "manifest.json");
    } catch (java.io.IOException e) {
      throw new EngineException("load images: cannot read the archive: " + e.getMessage());
    }
    if (manifest == null) {
      throw new EngineException(
          "load images: the archive has no manifest.json (is it a docker save archive?)");
    }
    List<String> loaded = new ArrayList<>();
    try {
      for (com.fasterxml.jackson.databind.JsonNode m :
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest)) {
        String config = m.path("Config").asText();
        String id = "sha256:" + config.replaceAll("^.*/", "").replace(".json", "");
        synchronized (lock) {
          images.add(id);
          if (m.path("RepoTags").isEmpty()) {
            loaded.add(id);
          }
          for (com.fasterxml.jackson.databind.JsonNode t : m.path("RepoTags")) {
            tags.put(normalize(t.asText()), id);
            loaded.add(t.asText());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new EngineException("load images: manifest.json is not valid JSON: " + e.getMessage());
    }
    return loaded;
  }

  /** Events recorded from now on whose attributes carry every label of {@code labels}. */
  @Override
  public EventStream events(Map<String, String> labels) {
    int start;
    synchronized (lock) {
      start = events.size();
    }
    return new EventStream() {
      private int next = start;
      private boolean closed;

      @Override
      public Event next() {
        synchronized (lock) {
          while (!closed) {
            while (next < events.size()) {
              Event e = events.get(next++);
              if (matches(e.attributes(), labels)) {
                return e;
              }
            }
            try {
              lock.wait();
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
              return null;
            }
          }
          return null;
        }
      }

      @Override
      public void close() {
        synchronized (lock) {
          closed = true;
          lock.notifyAll();
        }
      }
    };
  }

  private ImageInfo imageInfo(String imageId) {
    return new ImageInfo(imageId, tagsOf(imageId), null, null, List.of(), null, null, Map.of());
  }

  private String nextId(String kind) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((kind + ":" + ++sequence).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Every entry of {@code wanted} is in {@code labels}; a wanted value of "" matches any value. */
  private static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
    for (Map.Entry<String, String> w : wanted.entrySet()) {
      String value = labels.get(w.getKey());
      if (value == null || (!w.getValue().isEmpty() && !w.getValue().equals(value))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The canonical form of an image reference: Docker Hub's {@code docker.io/} and {@code library/}
   * dropped, {@code :latest} added when there is neither tag nor digest.
   */
  static String normalize(String reference) {
    String ref = Objects.requireNonNull(reference, "reference");
    for (String prefix : List.of("docker.io/", "index.docker.io/")) {
      if (ref.startsWith(prefix)) {
        ref = ref.substring(prefix.length());
        break;
      }
    }
    if (ref.startsWith("library/")) {
      ref = ref.substring("library/".length());
    }
    if (ref.contains("@") || ref.indexOf(':', ref.lastIndexOf('/') + 1) >= 0) {
      return ref;
    }
    return ref + ":latest";
  }

  /** A normalized reference without its tag or digest. */
  private static String repository(String ref) {
    int at = ref.indexOf('@');
    String name = at >= 0 ? ref.substring(0, at) : ref;
    int colon = name.indexOf(':', name.lastIndexOf('/') + 1);
    return colon >= 0 ? name.substring(0, colon) : name;
  }

  private static String shortId(String imageId) {
    String hex = imageId.startsWith("sha256:") ? imageId.substring("sha256:".length()) : imageId;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static void requireNonNegative(Duration duration, String what) {
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + duration);
    }
  }
}

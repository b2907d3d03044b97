package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory {@link Engine} for tests: fast, thread-safe, and strict the way Docker is, so that
 * code which works against it works against a real engine.
 *
 * <p><b>Containers</b> have 64-hex-digit ids (deterministic: the n-th id of every fake engine is
 * the same) and unique names; they go {@code created → running → exited}. Creating one needs its
 * image locally, and the networks it joins must exist when it starts (as in Docker, not when it is
 * created); named volumes it mounts are created when missing, and anonymous ones are created for
 * it. What a running container does by itself — exit after a while, pass or fail its healthcheck,
 * ignore its stop signal, print — is a {@link Behaviour}, set per image ({@link #behave}), per
 * command ({@link #behaveCommand}) or per container name ({@link #behaveContainer}). Without one, a
 * container runs until stopped, and one whose spec has a healthcheck goes {@code STARTING →
 * HEALTHY} after {@link #healthDelay}. Timed events run on an {@link EngineClock}: {@link
 * ManualClock} makes them instant and deterministic. Restart policies are not modelled.
 *
 * <p><b>Networks and volumes</b> are created and removed by name. As in Docker, a network cannot be
 * removed while a running container is attached (a stopped one then fails to start), a volume
 * cannot be removed while any container, running or not, mounts it, and creating a volume that
 * exists keeps it as it is.
 *
 * <p><b>Images</b> are found locally by reference ({@code nginx}, {@code nginx:latest} and {@code
 * docker.io/library/nginx:latest} are one image) or id. {@link #pullImage} fetches what was put "in
 * the registry" with {@link #registry} or pushed; {@link #localImage} puts an image straight into
 * the local store. Images keep the labels they were loaded or built with; no other config.
 *
 * <p>Where Docker's answers differ by version, the fake answers as dockerd 20.10 (Debian 12's, the
 * reference of the engine contract suite) does; but its anonymous volumes carry the label Docker 23
 * puts on them ({@link #ANONYMOUS_VOLUME_LABEL}; 20.10 puts none), as jstack's engine does.
 *
 * <p><b>Instrumentation</b>: every mutating call (the Engine methods that change something, named
 * by their method names: {@code createContainer}, {@code startContainer}, {@code stopContainer},
 * {@code killContainer}, {@code removeContainer}, {@code renameContainer}, {@code createNetwork},
 * {@code removeNetwork}, {@code createVolume}, {@code removeVolume}, {@code pullImage}, {@code
 * removeImage}; also {@code pauseContainer}, {@code unpauseContainer}, {@code tagImage}, {@code
 * pushImage} and {@code buildImage}) first waits out {@link #latency} without holding any lock, so
 * concurrent calls overlap, then may fail as injected with {@link #failNext} or {@link #failWhen},
 * and is logged as a {@link Call}. {@link #inFlight()} and {@link #peakInFlight()} count mutating
 * calls under way.
 *
 * <p>This class holds what tests control and observe; {@link InMemoryEngine} has the {@link Engine}
 * methods, each handed to the part of the fake that holds its concern, over one shared {@link
 * FakeState}: {@link FakeContainers} (the life cycle), {@link FakeStreams} (output, events,
 * attach), {@link FakeProcesses} (exec, top, copying files), {@link FakeNetworksAndVolumes}, {@link
 * FakeImages} and {@link FaultInjection} (latency, injected failures, the call log).
 */
public final class FakeEngine extends InMemoryEngine {

  /** The label Docker (since 23.0) puts on the anonymous volumes it creates for containers. */
  public static final String ANONYMOUS_VOLUME_LABEL = "com.docker.volume.anonymous";

  /** How long a container whose spec has a healthcheck stays STARTING, unless configured. */
  public static final Duration DEFAULT_HEALTH_DELAY = Duration.ofMillis(20);

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
   * @param output the lines it prints as it starts, every time it starts (their timestamps are
   *     ignored: each gets the clock's time then)
   */
  public record Behaviour(
      @Nullable Duration exitAfter,
      int exitCode,
      @Nullable Health health,
      @Nullable Duration healthAfter,
      boolean ignoresStopSignal,
      List<LogStream.Line> output) {

    /** Runs until stopped, honours its stop signal, prints nothing; the spec decides its health. */
    public static final Behaviour DEFAULT = new Behaviour(null, 0, null, null, false);

    public Behaviour {
      FakeState.requireNonNegative(exitAfter, "exitAfter");
      FakeState.requireNonNegative(healthAfter, "healthAfter");
      output = List.copyOf(output);
    }

    /** A behaviour that prints nothing. */
    public Behaviour(
        @Nullable Duration exitAfter,
        int exitCode,
        @Nullable Health health,
        @Nullable Duration healthAfter,
        boolean ignoresStopSignal) {
      this(exitAfter, exitCode, health, healthAfter, ignoresStopSignal, List.of());
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
          ignoresStopSignal,
          output);
    }

    /** This behaviour, but ignoring its stop signal, so that stopping it kills it (exit 137). */
    public Behaviour ignoringStopSignal() {
      return new Behaviour(exitAfter, exitCode, health, healthAfter, true, output);
    }

    /** This behaviour, printing {@code text} (one line) on {@code source} as it starts. */
    public Behaviour printing(LogStream.Source source, String text) {
      List<LogStream.Line> more = new java.util.ArrayList<>(output);
      more.add(new LogStream.Line(Objects.requireNonNull(source, "source"), null, text));
      return new Behaviour(exitAfter, exitCode, health, healthAfter, ignoresStopSignal, more);
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
      String op,
      String target,
      long startNanos,
      long endNanos,
      String thread,
      @Nullable String error) {

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

  /** An empty engine on wall-clock time. */
  public FakeEngine() {
    this(EngineClock.system());
  }

  /** An empty engine whose timed events run on {@code clock}. */
  public FakeEngine(EngineClock clock) {
    super(clock);
  }

  // ---------------------------------------------------------------- configuration

  public EngineClock clock() {
    return state.clock;
  }

  /**
   * Makes every later mutating call take at least {@code perCall} of wall-clock time (whatever the
   * clock), spent before it acts and without holding any lock. Zero by default.
   */
  public FakeEngine latency(Duration perCall) {
    FakeState.requireNonNegative(Objects.requireNonNull(perCall, "perCall"), "latency");
    faults.latency(perCall);
    return this;
  }

  /**
   * How long containers stay STARTING when their {@link Behaviour} does not say; {@link
   * #DEFAULT_HEALTH_DELAY} by default. Zero makes them HEALTHY as they start.
   */
  public FakeEngine healthDelay(Duration delay) {
    FakeState.requireNonNegative(Objects.requireNonNull(delay, "delay"), "healthDelay");
    containers.healthDelay(delay);
    return this;
  }

  /**
   * Containers of {@code image} behave as {@code behaviour} from their next start, unless {@link
   * #behaveContainer} set one for their name.
   */
  public FakeEngine behave(String image, Behaviour behaviour) {
    containers.behave(image, Objects.requireNonNull(behaviour, "behaviour"));
    return this;
  }

  /**
   * Containers whose spec's command is {@code command} behave as {@code behaviour} from their next
   * start, over a behaviour set for their image and unless {@link #behaveContainer} set one for
   * their name: how a test says what a program does, as the fake runs none.
   */
  public FakeEngine behaveCommand(List<String> command, Behaviour behaviour) {
    containers.behaveCommand(command, Objects.requireNonNull(behaviour, "behaviour"));
    return this;
  }

  /** The container named {@code name} behaves as {@code behaviour} from its next start. */
  public FakeEngine behaveContainer(String name, Behaviour behaviour) {
    containers.behaveContainer(name, Objects.requireNonNull(behaviour, "behaviour"));
    return this;
  }

  /**
   * What an exec of a command whose first word is {@code program} does in any container; an exec of
   * another program exits 127 with "executable file not found", as Docker reports it.
   */
  public FakeEngine execBehaviour(String program, Function<ExecSpec, ExecResult> behaviour) {
    processes.execBehaviour(program, behaviour);
    return this;
  }

  /**
   * Puts {@code reference} in the registry as image {@code imageId} (conventionally {@code sha256:}
   * and 64 hex digits), for {@link #pullImage} to fetch; re-registering it later models a new
   * version being pushed.
   */
  public FakeEngine registry(String reference, String imageId) {
    images.registry(reference, imageId);
    return this;
  }

  /** Puts {@code reference} in the local image store as image {@code imageId}, as if pulled. */
  public FakeEngine localImage(String reference, String imageId) {
    images.localImage(reference, imageId);
    return this;
  }

  /**
   * Makes the next mutating call {@code op} on {@code target} (a container's name or id, a network
   * or volume name, an image reference; any target when null) throw {@code failure} instead of
   * acting.
   */
  public FakeEngine failNext(String op, String target, RuntimeException failure) {
    faults.failNext(
        Objects.requireNonNull(op, "op"), target, Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /**
   * Makes every mutating call for which {@code when} holds, given its op and its target, throw what
   * {@code failure} supplies instead of acting, until {@link #clearFailures()}. For a container,
   * {@code when} is tried with its name, its id and the id or name passed.
   */
  public FakeEngine failWhen(
      BiPredicate<String, String> when, Supplier<? extends RuntimeException> failure) {
    faults.failWhen(
        Objects.requireNonNull(when, "when"), Objects.requireNonNull(failure, "failure"));
    return this;
  }

  /** Forgets every failure injected and not yet used. */
  public void clearFailures() {
    faults.clearFailures();
  }

  /**
   * Makes a running container exit now by itself with {@code exitCode}, as if its process finished
   * or crashed; not a mutating call.
   *
   * @throws EngineException.Conflict when it is not running
   */
  public void exit(String idOrName, int exitCode) {
    containers.exit(idOrName, exitCode);
  }

  /**
   * Makes a container write a line, as if its process had printed it; not a mutating call.
   *
   * @throws EngineException.NotFound when it does not exist
   */
  public void write(String idOrName, LogStream.Source source, String text) {
    streams.write(idOrName, source, text);
  }

  /**
   * Sets what a running container's healthcheck reports from now on, as if it began passing or
   * failing; not a mutating call.
   *
   * @throws EngineException.Conflict when it is not running
   */
  public void health(String idOrName, Health health) {
    containers.health(idOrName, Objects.requireNonNull(health, "health"));
  }

  // ---------------------------------------------------------------- instrumentation

  /** Every mutating call so far, in the order they finished. */
  public List<Call> calls() {
    return faults.calls();
  }

  /** The mutating calls named {@code op}, in the order they finished. */
  public List<Call> calls(String op) {
    return faults.calls(op);
  }

  /** Forgets the logged calls, and lowers the peak to the calls now under way. */
  public void clearCalls() {
    faults.clearCalls();
  }

  /** How many mutating calls are under way now. */
  public int inFlight() {
    return faults.inFlight();
  }

  /** The most mutating calls that were ever under way at once. */
  public int peakInFlight() {
    return faults.peakInFlight();
  }

  /** Whether there are no containers, networks or volumes; images do not count. */
  public boolean isEmpty() {
    synchronized (state.lock) {
      return state.containers.isEmpty() && state.networks.isEmpty() && state.volumes.isEmpty();
    }
  }
}

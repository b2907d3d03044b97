package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.Names;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.testing.FakeEngine.Behaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The fake engine's containers and their life cycle: {@code created → running → exited}, with what
 * a running container does by itself (its {@link Behaviour}) played out on the engine's clock.
 */
final class FakeContainers {
  private static final Set<String> BUILT_IN_NETWORK_MODES =
      Set.of("bridge", "host", "none", "default");
  private static final int KILLED = 137;

  private final FakeState state;
  private final FaultInjection faults;

  /** Guarded by the state's lock. */
  private final Map<String, Behaviour> imageBehaviours = new HashMap<>();

  /** Guarded by the state's lock. */
  private final Map<List<String>, Behaviour> commandBehaviours = new HashMap<>();

  /** Guarded by the state's lock. */
  private final Map<String, Behaviour> nameBehaviours = new HashMap<>();

  private volatile Duration healthDelay = FakeEngine.DEFAULT_HEALTH_DELAY;

  FakeContainers(FakeState state, FaultInjection faults) {
    this.state = state;
    this.faults = faults;
  }

  void healthDelay(Duration delay) {
    this.healthDelay = delay;
  }

  void behave(String image, Behaviour behaviour) {
    synchronized (state.lock) {
      imageBehaviours.put(FakeState.normalize(image), behaviour);
    }
  }

  void behaveCommand(List<String> command, Behaviour behaviour) {
    synchronized (state.lock) {
      commandBehaviours.put(List.copyOf(command), behaviour);
    }
  }

  void behaveContainer(String name, Behaviour behaviour) {
    synchronized (state.lock) {
      nameBehaviours.put(Objects.requireNonNull(name, "name"), behaviour);
    }
  }

  /** Containers in creation order. */
  List<ContainerInfo> containers(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (state.lock) {
      return state.containers.values().stream()
          .filter(c -> FakeState.matches(c.spec.labels(), labels))
          .map(FakeContainer::info)
          .toList();
    }
  }

  Optional<ContainerInfo> container(String idOrName) {
    synchronized (state.lock) {
      return Optional.ofNullable(state.find(idOrName)).map(FakeContainer::info);
    }
  }

  /**
   * Creates the container; a null name gets a generated one.
   *
   * @throws EngineException.InvalidArgument when the name is not a valid container name
   * @throws EngineException.NotFound when the image is not local ("No such image: x")
   */
  String create(ContainerSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String requested = spec.name() == null ? null : FakeState.stripSlash(spec.name());
    return faults.mutateAndGet(
        "createContainer",
        List.of(requested == null ? "" : requested),
        () -> {
          synchronized (state.lock) {
            String id = state.nextId("container");
            String name = requested == null ? "fake_" + id.substring(0, 12) : requested;
            Names.container(name);
            FakeContainer holder = state.byName(name);
            if (holder != null) {
              throw nameInUse(name, holder);
            }
            String imageId = state.localImageId(spec.image());
            if (imageId == null) {
              throw new EngineException.NotFound("No such image: " + spec.image());
            }
            // As dockerd does, the networks it joins are looked up when it starts, not now.
            List<String> attached =
                !spec.networks().isEmpty()
                    ? List.copyOf(spec.networks().keySet())
                    : List.of(spec.networkMode() == null ? "bridge" : spec.networkMode());
            List<String> mounted = new ArrayList<>();
            List<String> anonymous = new ArrayList<>();
            for (ContainerSpec.Mount mount : spec.mounts()) {
              if (!"volume".equals(mount.type())) {
                continue;
              }
              String volume = mount.source();
              if (volume == null || volume.isEmpty()) {
                volume = state.nextId("volume");
                state.volumes.put(
                    volume,
                    new VolumeInfo(volume, "local", Map.of(FakeEngine.ANONYMOUS_VOLUME_LABEL, "")));
                anonymous.add(volume);
              } else {
                state.volumes.putIfAbsent(volume, new VolumeInfo(volume, "local", Map.of()));
              }
              mounted.add(volume);
            }
            state.containers.put(
                id,
                new FakeContainer(
                    id, name, spec, imageId, state.clock.now(), attached, mounted, anonymous));
            state.emit("container", "create", id, attributes(spec, name));
            return id;
          }
        });
  }

  /**
   * Starts a created or exited container, per its {@link Behaviour}; starting a running one does
   * nothing. Its exit code stays the last one until it exits again.
   *
   * @throws EngineException.NotFound when it does not exist, or a network it joins (or the
   *     container whose network it shares) does not
   */
  void start(String id) {
    faults.mutateContainer(
        "startContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state == State.RUNNING) {
              return;
            }
            c.networks.forEach(this::requireNetwork);
            Behaviour behaviour = behaviourOf(c);
            long run = ++c.runs;
            c.behaviour = behaviour;
            c.state = State.RUNNING;
            state.emit("container", "start", c.id, attributes(c.spec, c.name));
            for (LogStream.Line line : behaviour.output()) {
              c.output.add(
                  new LogStream.Line(line.source(), state.clock.now().toString(), line.text()));
            }
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
   * Stops a running or paused container at once: exit code 0, or 137 when its {@link Behaviour}
   * ignores the stop signal, the signal is SIGKILL, or the timeout is zero. Stopping a container
   * that is not running does nothing.
   */
  void stop(String id, @Nullable String signal, Duration timeout) {
    faults.mutateContainer(
        "stopContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state != State.RUNNING && c.state != State.PAUSED) {
              return;
            }
            String sent = signal != null ? signal : c.spec.stopSignal();
            killed(c, sent == null ? "SIGTERM" : sent);
            // A paused one is thawed to take the signal, as dockerd does.
            boolean killed =
                c.behaviour.ignoresStopSignal()
                    || isSigkill(signal)
                    || (timeout != null && timeout.isZero());
            if (killed && !isSigkill(sent)) {
              killed(c, "SIGKILL");
            }
            exited(c, killed ? KILLED : 0);
            state.emit("container", "stop", c.id, attributes(c.spec, c.name));
          }
        });
  }

  /**
   * Kills a running (or paused) container: it exits with 137, whatever the signal.
   *
   * @throws EngineException.Conflict when it is not running
   */
  void kill(String id, @Nullable String signal) {
    faults.mutateContainer(
        "killContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state != State.RUNNING && c.state != State.PAUSED) {
              throw FakeState.notRunning(c);
            }
            killed(c, signal == null ? "SIGKILL" : signal);
            exited(c, KILLED);
          }
        });
  }

  /**
   * Removes a container that is not running, or with {@code force} kills one that is (or is paused)
   * first; with {@code removeVolumes} also the anonymous volumes created for it.
   *
   * @throws EngineException.Conflict when it is running ("stop it first") or paused, without {@code
   *     force}
   */
  void remove(String id, boolean removeVolumes, boolean force) {
    faults.mutateContainer(
        "removeContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (force && (c.state == State.RUNNING || c.state == State.PAUSED)) {
              killed(c, "SIGKILL");
              exited(c, KILLED);
            }
            if (c.state == State.RUNNING) {
              throw new EngineException.Conflict(
                  "cannot remove container \""
                      + c.name
                      + "\": container is running: stop it first, or force remove it");
            }
            if (c.state == State.PAUSED) {
              throw new EngineException.Conflict(
                  "You cannot remove a paused container "
                      + c.id
                      + ". Unpause and then stop the container before attempting removal or force"
                      + " remove");
            }
            state.containers.remove(c.id);
            state.emit("container", "destroy", c.id, attributes(c.spec, c.name));
            if (removeVolumes) {
              c.anonymousVolumes.forEach(state.volumes::remove);
            }
            state.lock.notifyAll();
          }
        });
  }

  /**
   * @throws EngineException.InvalidArgument when {@code newName} is its current name or not a valid
   *     name
   * @throws EngineException.Conflict when {@code newName} is taken
   */
  void rename(String id, String newName) {
    String name = FakeState.stripSlash(Objects.requireNonNull(newName, "newName"));
    faults.mutateContainer(
        "renameContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            Names.container(name);
            if (c.name.equals(name)) {
              throw new EngineException.InvalidArgument(
                  "Renaming a container with the same name as its current name");
            }
            FakeContainer holder = state.byName(name);
            if (holder != null) {
              throw nameInUse(name, holder);
            }
            c.name = name;
          }
        });
  }

  void pause(String id) {
    faults.mutateContainer(
        "pauseContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state != State.RUNNING) {
              throw FakeState.notRunning(c);
            }
            c.state = State.PAUSED;
          }
        });
  }

  void unpause(String id) {
    faults.mutateContainer(
        "unpauseContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state != State.PAUSED) {
              // dockerd 20.10 answers 500 (409 since 23.0).
              throw new EngineException("Container " + c.id + " is not paused");
            }
            c.state = State.RUNNING;
          }
        });
  }

  /**
   * Returns at once with the exit code of a container that is not running (0 for one that never
   * ran), as dockerd's wait for "not-running" does; otherwise blocks until the container next
   * exits.
   *
   * @throws EngineException.NotFound when it does not exist
   * @throws EngineException when the waiting thread is interrupted (its interrupt flag is set)
   */
  int await(String id) {
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state == State.EXITED || c.state == State.CREATED) {
        return c.exitCode;
      }
      // A running or paused container cannot be removed before it exits: no need to check.
      long exits = c.exits;
      while (c.exits == exits) {
        try {
          state.lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EngineException("interrupted while waiting for container " + c.name, e);
        }
      }
      return c.exitCode;
    }
  }

  /** Makes a running container exit now by itself. */
  void exit(String idOrName, int exitCode) {
    synchronized (state.lock) {
      FakeContainer c = state.require(idOrName);
      if (c.state != State.RUNNING) {
        throw FakeState.notRunning(c);
      }
      exited(c, exitCode);
    }
  }

  /** Sets what a running container's healthcheck reports from now on. */
  void health(String idOrName, Health health) {
    synchronized (state.lock) {
      FakeContainer c = state.require(idOrName);
      if (c.state != State.RUNNING) {
        throw FakeState.notRunning(c);
      }
      c.health = health;
    }
  }

  /** Runs {@code effect} under the lock after {@code delay}, if run {@code run} is still on. */
  private void during(FakeContainer c, long run, Duration delay, Runnable effect) {
    if (delay.isZero()) {
      effect.run();
      return;
    }
    state.clock.schedule(
        delay,
        () -> {
          synchronized (state.lock) {
            if (state.containers.get(c.id) == c && c.runs == run && c.state == State.RUNNING) {
              effect.run();
            }
          }
        });
  }

  private void exited(FakeContainer c, int exitCode) {
    c.state = State.EXITED;
    c.exitCode = exitCode;
    Map<String, String> attrs = attributes(c.spec, c.name);
    attrs.put("exitCode", Integer.toString(exitCode));
    state.emit("container", "die", c.id, attrs);
    if (c.health != Health.NONE) {
      c.health = Health.UNHEALTHY; // as Docker reports once the health monitor stops
    }
    c.exits++;
    state.lock.notifyAll();
  }

  private Behaviour behaviourOf(FakeContainer c) {
    Behaviour byName = nameBehaviours.get(c.name);
    if (byName != null) {
      return byName;
    }
    Behaviour byCommand = c.spec.command() == null ? null : commandBehaviours.get(c.spec.command());
    if (byCommand != null) {
      return byCommand;
    }
    return imageBehaviours.getOrDefault(FakeState.normalize(c.spec.image()), Behaviour.DEFAULT);
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

  /** Checks that a container can join {@code network}: a built-in mode or an existing network. */
  private void requireNetwork(String network) {
    if (BUILT_IN_NETWORK_MODES.contains(network)) {
      return;
    }
    if (network.startsWith("container:")) {
      state.require(network.substring("container:".length()));
      return;
    }
    if (state.findNetwork(network) == null) {
      throw new EngineException.NotFound("network " + network + " not found");
    }
  }

  private static EngineException.Conflict nameInUse(String name, FakeContainer holder) {
    return new EngineException.Conflict(
        "Conflict. The container name \""
            + name
            + "\" is already in use by container \""
            + holder.id
            + "\". You have to remove (or rename) that container to be able to reuse that name.");
  }

  /** A container event's attributes, as dockerd's: the labels, the image and the name. */
  private static Map<String, String> attributes(ContainerSpec spec, String name) {
    Map<String, String> attributes = FakeState.withName(spec.labels(), name);
    attributes.put("image", spec.image());
    return attributes;
  }

  /** The "kill" event dockerd sends when it signals a container, with the signal's number. */
  private void killed(FakeContainer c, String signal) {
    Map<String, String> attrs = attributes(c.spec, c.name);
    attrs.put("signal", signalNumber(signal));
    state.emit("container", "kill", c.id, attrs);
  }

  private static String signalNumber(String signal) {
    String name = signal.toUpperCase(java.util.Locale.ROOT);
    name = name.startsWith("SIG") ? name.substring(3) : name;
    return switch (name) {
      case "HUP" -> "1";
      case "INT" -> "2";
      case "QUIT" -> "3";
      case "KILL" -> "9";
      case "USR1" -> "10";
      case "USR2" -> "12";
      case "TERM" -> "15";
      default -> signal;
    };
  }

  private static boolean isSigkill(@Nullable String signal) {
    return signal != null
        && (signal.equalsIgnoreCase("SIGKILL")
            || signal.equalsIgnoreCase("KILL")
            || signal.equals("9"));
  }
}

package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.EngineException;
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
   * @throws EngineException.NotFound when the image is not local ("No such image: x"), or a network
   *     it joins does not exist
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
            state.emit("container", "create", id, FakeState.withName(spec.labels(), name));
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
            state.emit("container", "start", c.id, FakeState.withName(c.spec.labels(), c.name));
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
   * stop signal, the signal is SIGKILL, or the timeout is zero. Stopping a container that is not
   * running does nothing.
   */
  void stop(String id, String signal, Duration timeout) {
    faults.mutateContainer(
        "stopContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
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
  void kill(String id, String signal) {
    faults.mutateContainer(
        "killContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state != State.RUNNING) {
              throw FakeState.notRunning(c);
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
  void remove(String id, boolean removeVolumes) {
    faults.mutateContainer(
        "removeContainer",
        id,
        () -> {
          synchronized (state.lock) {
            FakeContainer c = state.require(id);
            if (c.state == State.RUNNING) {
              throw new EngineException.Conflict(
                  "cannot remove container \""
                      + c.name
                      + "\": container is running: stop it first, or force remove it");
            }
            state.containers.remove(c.id);
            state.emit("container", "destroy", c.id, FakeState.withName(c.spec.labels(), c.name));
            if (removeVolumes) {
              c.anonymousVolumes.forEach(state.volumes::remove);
            }
            state.lock.notifyAll();
          }
        });
  }

  /**
   * @throws EngineException when {@code newName} is its current name or not a valid name
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
              throw new EngineException(
                  "Renaming a container with the same name as its current name: " + name);
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
              throw new EngineException.Conflict("Container " + c.id + " is not paused");
            }
            c.state = State.RUNNING;
          }
        });
  }

  /**
   * Returns at once with the exit code of an exited container; otherwise blocks until the container
   * next exits.
   *
   * @throws EngineException.NotFound when it does not exist, or is removed before it exits
   * @throws EngineException when the waiting thread is interrupted (its interrupt flag is set)
   */
  int await(String id) {
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state == State.EXITED) {
        return c.exitCode;
      }
      long exits = c.exits;
      while (c.exits == exits) {
        if (state.containers.get(c.id) != c) {
          throw new EngineException.NotFound(
              "No such container: " + c.name + " (removed while waiting for it to exit)");
        }
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
    Map<String, String> attrs = FakeState.withName(c.spec.labels(), c.name);
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

  private static boolean isSigkill(String signal) {
    return signal != null
        && (signal.equalsIgnoreCase("SIGKILL")
            || signal.equalsIgnoreCase("KILL")
            || signal.equals("9"));
  }
}

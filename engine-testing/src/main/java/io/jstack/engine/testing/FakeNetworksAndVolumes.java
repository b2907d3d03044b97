package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.engine.Names;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The fake engine's networks and volumes, created and removed by name. As in Docker, a network
 * cannot be removed while a running container is attached, a volume cannot be removed while any
 * container, running or not, mounts it, and creating a volume that exists keeps it.
 */
final class FakeNetworksAndVolumes {
  private final FakeState state;
  private final FaultInjection faults;

  FakeNetworksAndVolumes(FakeState state, FaultInjection faults) {
    this.state = state;
    this.faults = faults;
  }

  List<NetworkInfo> networks(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (state.lock) {
      return state.networks.values().stream()
          .filter(n -> FakeState.matches(n.labels(), labels))
          .toList();
    }
  }

  /** Looks up by name, then id. */
  Optional<NetworkInfo> network(String name) {
    synchronized (state.lock) {
      return Optional.ofNullable(state.findNetwork(name));
    }
  }

  /** Creates the network; a null driver means {@code bridge}. */
  void createNetwork(NetworkSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String name = Names.network(Objects.requireNonNull(spec.name(), "spec.name"));
    faults.mutate(
        "createNetwork",
        name,
        () -> {
          synchronized (state.lock) {
            if (state.networks.containsKey(name)) {
              throw new EngineException.Conflict("network with name " + name + " already exists");
            }
            String driver = spec.driver() == null ? "bridge" : spec.driver();
            NetworkInfo created =
                new NetworkInfo(
                    state.nextId("network"), name, driver, spec.internal(), spec.labels());
            state.networks.put(name, created);
            state.emit("network", "create", created.id(), attributes(created));
          }
        });
  }

  /**
   * @throws EngineException.NotFound when there is no such network
   * @throws EngineException when a running container is attached to it ("has active endpoints")
   */
  void removeNetwork(String name) {
    faults.mutate(
        "removeNetwork",
        name,
        () -> {
          synchronized (state.lock) {
            NetworkInfo network = state.findNetwork(name);
            if (network == null) {
              throw new EngineException.NotFound("network " + name + " not found");
            }
            List<String> users =
                state.containers.values().stream()
                    .filter(c -> c.state == State.RUNNING && c.networks.contains(network.name()))
                    .map(c -> c.name)
                    .toList();
            if (!users.isEmpty()) {
              // dockerd answers 403 Forbidden: no Conflict, a plain EngineException.
              throw new EngineException(
                  "error while removing network: network "
                      + network.name()
                      + " id "
                      + network.id()
                      + " has active endpoints "
                      + users);
            }
            state.networks.remove(network.name());
            state.emit("network", "destroy", network.id(), attributes(network));
          }
        });
  }

  /** Docker's predefined networks: never pruned, the {@code builtin} type of the list filter. */
  private static final java.util.Set<String> BUILTIN = java.util.Set.of("bridge", "host", "none");

  /** Networks that pass Docker's list filters (see {@link io.jstack.engine.Engine#networks}). */
  List<NetworkInfo> networks(ListFilters f) {
    f.requireOnly("networks", "dangling", "driver", "id", "label", "name", "scope", "type");
    synchronized (state.lock) {
      return state.networks.values().stream()
          .filter(
              n ->
                  f.labelsMatch(n.labels())
                      && f.anyOrNone("name", n.name()::contains)
                      && f.anyOrNone("id", n.id()::startsWith)
                      && f.anyOrNone("driver", n.driver()::equals)
                      && f.anyOrNone("scope", n.scope()::equals)
                      && f.anyOrNone(
                          "type", t -> t.equals(BUILTIN.contains(n.name()) ? "builtin" : "custom"))
                      && f.bool("dangling").map(d -> d != attached(n)).orElse(true))
          .toList();
    }
  }

  private boolean attached(NetworkInfo n) {
    return state.containers.values().stream()
        .anyMatch(c -> c.state == State.RUNNING && c.networks.contains(n.name()));
  }

  /**
   * Removes what {@link #removeNetwork} may of the networks that pass {@code f}, but Docker's own.
   */
  Engine.Pruned pruneNetworks(ListFilters f) {
    f.requireOnly("network prune", "label", "label!");
    List<String> deleted = new java.util.ArrayList<>();
    for (NetworkInfo n : networks(ListFilters.none())) {
      if (BUILTIN.contains(n.name()) || !f.labelsMatch(n.labels())) {
        continue;
      }
      try {
        removeNetwork(n.name());
        deleted.add(n.name());
      } catch (EngineException.NotFound gone) {
        // removed meanwhile
      } catch (EngineException inUse) {
        // a running container is attached: kept, as dockerd keeps it
      }
    }
    return new Engine.Pruned(deleted, 0);
  }

  /** A network event's attributes, as dockerd's: its name and type, never its labels. */
  private static Map<String, String> attributes(NetworkInfo network) {
    return Map.of("name", network.name(), "type", network.driver());
  }

  List<VolumeInfo> volumes(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    synchronized (state.lock) {
      return state.volumes.values().stream()
          .filter(v -> FakeState.matches(v.labels(), labels))
          .toList();
    }
  }

  /** Volumes that pass Docker's list filters (see {@link io.jstack.engine.Engine#volumes}). */
  List<VolumeInfo> volumes(ListFilters f) {
    f.requireOnly("volumes", "dangling", "driver", "label", "name");
    synchronized (state.lock) {
      return state.volumes.values().stream()
          .filter(
              v ->
                  f.labelsMatch(v.labels())
                      && f.anyOrNone("name", v.name()::contains)
                      && f.anyOrNone("driver", v.driver()::equals)
                      && f.bool("dangling").map(d -> d != used(v.name())).orElse(true))
          .toList();
    }
  }

  private boolean used(String volume) {
    return state.containers.values().stream().anyMatch(c -> c.volumes.contains(volume));
  }

  /**
   * Removes the unused volumes that pass {@code f}: anonymous ones only, unless {@code all=true}.
   */
  Engine.Pruned pruneVolumes(ListFilters f) {
    f.requireOnly("volume prune", "all", "label", "label!");
    boolean all = f.bool("all").orElse(false);
    List<String> deleted = new java.util.ArrayList<>();
    for (VolumeInfo v : volumes(ListFilters.none())) {
      if (!all && !v.labels().containsKey(FakeEngine.ANONYMOUS_VOLUME_LABEL)
          || !f.labelsMatch(v.labels())) {
        continue;
      }
      try {
        removeVolume(v.name());
        deleted.add(v.name());
      } catch (EngineException.NotFound | EngineException.Conflict kept) {
        // removed meanwhile, or in use: kept, as dockerd keeps it
      }
    }
    return new Engine.Pruned(deleted, 0);
  }

  Optional<VolumeInfo> volume(String name) {
    synchronized (state.lock) {
      return Optional.ofNullable(state.volumes.get(name));
    }
  }

  /**
   * Creates the volume; a null driver means {@code local}. A volume of that name is kept as it is,
   * labels and all, as dockerd does.
   */
  void createVolume(VolumeSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String name = Names.volume(Objects.requireNonNull(spec.name(), "spec.name"));
    faults.mutate(
        "createVolume",
        name,
        () -> {
          synchronized (state.lock) {
            if (state.volumes.containsKey(name)) {
              return;
            }
            String driver = spec.driver() == null ? "local" : spec.driver();
            state.volumes.put(name, new VolumeInfo(name, driver, spec.labels()));
          }
        });
  }

  /**
   * @throws EngineException.NotFound when there is no such volume
   * @throws EngineException.Conflict when a container, running or not, mounts it
   */
  void removeVolume(String name) {
    faults.mutate(
        "removeVolume",
        name,
        () -> {
          synchronized (state.lock) {
            if (!state.volumes.containsKey(name)) {
              throw new EngineException.NotFound("get " + name + ": no such volume");
            }
            List<String> users =
                state.containers.values().stream()
                    .filter(c -> c.volumes.contains(name))
                    .map(c -> c.name)
                    .toList();
            if (!users.isEmpty()) {
              throw new EngineException.Conflict(
                  "remove " + name + ": volume is in use - " + users);
            }
            state.volumes.remove(name);
            state.volumeFiles.remove(name);
          }
        });
  }
}

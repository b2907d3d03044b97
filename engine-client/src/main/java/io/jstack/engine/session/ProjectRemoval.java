package io.jstack.engine.session;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes everything of a Compose project that an engine has, knowing only the project's name: its
 * containers in any state (one-off ones too), then its networks, then its volumes, named and
 * anonymous: {@code down -v --remove-orphans} without the compose file. This is what a session does
 * with the stacks of an owner that died; with the file at hand, {@code jstack down} plans the same
 * removal service by service (stop order, stop signals, images).
 *
 * <p>Containers are killed, not stopped: their owner is gone and nobody waits for a clean shutdown.
 * Each removal is safe to repeat: what is already gone is skipped.
 */
public final class ProjectRemoval {
  /**
   * The label Docker Compose (and jstack) puts on each container, network and volume of a project;
   * the planner's {@code ComposeLabels.PROJECT}.
   */
  public static final String PROJECT_LABEL = "com.docker.compose.project";

  private ProjectRemoval() {}

  /** What a removal found and removed, by name. */
  public record Removed(List<String> containers, List<String> networks, List<String> volumes) {
    public Removed {
      containers = List.copyOf(containers);
      networks = List.copyOf(networks);
      volumes = List.copyOf(volumes);
    }

    /** Whether there was nothing to remove. */
    public boolean isEmpty() {
      return containers.isEmpty() && networks.isEmpty() && volumes.isEmpty();
    }
  }

  /**
   * Removes every container, network and volume labelled {@code project} from {@code engine}.
   *
   * @throws EngineException when the engine refuses a removal (the message names what)
   */
  public static Removed remove(Engine engine, String project) {
    Map<String, String> label = Map.of(PROJECT_LABEL, project);
    List<String> containers = new ArrayList<>();
    Set<String> anonymous = new TreeSet<>();
    for (ContainerInfo c : engine.containers(label)) {
      for (ContainerInfo.Mount m : c.mounts()) {
        if (m.engineNamedVolume()) {
          anonymous.add(m.name());
        }
      }
      removeContainer(engine, c);
      containers.add(c.name());
    }
    List<String> networks = new ArrayList<>();
    for (NetworkInfo n : engine.networks(label)) {
      try {
        engine.removeNetwork(n.name());
        networks.add(n.name());
      } catch (EngineException.NotFound gone) {
        // Removed meanwhile.
      }
    }
    List<String> volumes = new ArrayList<>();
    for (VolumeInfo v : engine.volumes(label)) {
      anonymous.remove(v.name());
      removeVolume(engine, v.name(), volumes);
    }
    // Anonymous volumes carry no label: those the removed containers mounted by name (a recreated
    // container takes its predecessor's over) outlive rm -v.
    for (String name : anonymous) {
      removeVolume(engine, name, volumes);
    }
    return new Removed(containers, networks, volumes);
  }

  private static void removeContainer(Engine engine, ContainerInfo c) {
    try {
      engine.removeContainer(c.id(), true, true);
    } catch (EngineException.NotFound gone) {
      // Removed meanwhile.
    } catch (EngineException e) {
      if (e instanceof EngineException.Conflict conflict && conflict.removalInProgress()) {
        return; // one that removes itself (--rm), as dockerd says
      }
      throw new EngineException(
          "could not remove container " + c.name() + " of a dead session: " + e.getMessage(), e);
    }
  }

  private static void removeVolume(Engine engine, String name, List<String> removed) {
    try {
      engine.removeVolume(name);
      removed.add(name);
    } catch (EngineException.NotFound gone) {
      // Removed with its container, or meanwhile.
    }
  }
}

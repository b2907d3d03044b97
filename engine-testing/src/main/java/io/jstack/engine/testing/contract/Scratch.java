package io.jstack.engine.testing.contract;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one run of the suite makes on an engine, and its removal: names unique to the run, the run's
 * label on every container, network and volume it creates, and the names of what carries no label
 * (volumes a mount creates, image tags). {@link #cleanUp} removes all of it, whatever state a
 * failed scenario left it in.
 */
final class Scratch {
  /** The label every container, network and volume of a run carries. */
  static final String RUN_LABEL = "io.jstack.contract.run";

  private final String run = "jc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private int counter;
  private final Set<String> volumes = Collections.synchronizedSet(new LinkedHashSet<>());
  private final List<String> images = Collections.synchronizedList(new ArrayList<>());

  /** This run's id, {@code jc} and 8 hex digits. */
  String run() {
    return run;
  }

  /** {@code run=<id>}: the labels that mark a resource as this run's. */
  Map<String, String> labels() {
    return Map.of(RUN_LABEL, run);
  }

  /** A name no other run uses: {@code <run>-<what>-<n>}. */
  synchronized String name(String what) {
    return run + "-" + what + "-" + ++counter;
  }

  /** Notes a volume that carries no label of the run (one a mount created), for removal. */
  void volume(String name) {
    volumes.add(name);
  }

  /** Notes an image reference (a tag, or an id) to remove, after those noted before it. */
  void image(String reference) {
    images.add(reference);
  }

  /**
   * Removes every container (by force), network and volume of this run and every image noted,
   * ignoring what is already gone.
   *
   * @return what could not be removed, with why; empty when all went
   */
  List<String> cleanUp(Engine engine) {
    List<String> failures = new ArrayList<>();
    for (ContainerInfo c : engine.containers(labels())) {
      remove(failures, "container " + c.name(), () -> engine.removeContainer(c.id(), true, true));
    }
    for (NetworkInfo n : engine.networks(labels())) {
      remove(failures, "network " + n.name(), () -> engine.removeNetwork(n.name()));
    }
    Set<String> allVolumes = new LinkedHashSet<>(volumes);
    engine.volumes(labels()).stream().map(VolumeInfo::name).forEach(allVolumes::add);
    for (String v : allVolumes) {
      remove(failures, "volume " + v, () -> engine.removeVolume(v));
    }
    List<String> refs;
    synchronized (images) {
      refs = new ArrayList<>(images);
    }
    Collections.reverse(refs);
    // An image goes once its other tags have: a second pass takes what the first could not.
    List<String> imageFailures = new ArrayList<>();
    for (int pass = 0; pass < 2 && !refs.isEmpty(); pass++) {
      imageFailures.clear();
      List<String> left = new ArrayList<>();
      for (String ref : refs) {
        if (!remove(imageFailures, "image " + ref, () -> engine.removeImage(ref))) {
          left.add(ref);
        }
      }
      refs = left;
    }
    failures.addAll(imageFailures);
    volumes.clear();
    images.clear();
    return failures;
  }

  /** What of this run is still on the engine. */
  List<String> leftovers(Engine engine) {
    List<String> left = new ArrayList<>();
    engine.containers(labels()).forEach(c -> left.add("container " + c.name()));
    engine.networks(labels()).forEach(n -> left.add("network " + n.name()));
    engine.volumes(labels()).forEach(v -> left.add("volume " + v.name()));
    return left;
  }

  /** Runs a removal; true when the resource is gone, else its failure is noted. */
  private static boolean remove(List<String> failures, String what, Runnable step) {
    try {
      step.run();
      return true;
    } catch (EngineException.NotFound gone) {
      return true;
    } catch (EngineException e) {
      failures.add("remove " + what + ": " + e.getMessage());
      return false;
    }
  }
}

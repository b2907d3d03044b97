package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.LogStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One container of a {@link FakeEngine}: its spec and its mutable state, guarded by the lock. */
final class FakeContainer {
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
  FakeEngine.Behaviour behaviour = FakeEngine.Behaviour.DEFAULT;
  final List<LogStream.Line> output = new ArrayList<>();

  /** Regular files put into it with copyTo, by absolute path. */
  final Map<String, byte[]> files = new HashMap<>();

  /** Counts starts, so that events scheduled by an earlier run are ignored. */
  long runs;

  /** Counts exits, so that a waiter sees an exit even if the container restarted since. */
  long exits;

  FakeContainer(
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
            networks)
        .withMounts(mounts());
  }

  /** Its mounts as Docker lists them: each volume mount with the volume it got. */
  private List<ContainerInfo.Mount> mounts() {
    List<ContainerInfo.Mount> out = new ArrayList<>();
    java.util.Iterator<String> named = volumes.iterator();
    for (ContainerSpec.Mount m : spec.mounts()) {
      String volume = "volume".equals(m.type()) && named.hasNext() ? named.next() : "";
      out.add(new ContainerInfo.Mount(m.type(), volume, m.target()));
    }
    return out;
  }
}

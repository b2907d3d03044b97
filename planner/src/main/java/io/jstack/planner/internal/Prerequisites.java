package io.jstack.planner.internal;

import io.jstack.compose.ConfigHash;
import io.jstack.compose.Network;
import io.jstack.compose.Project;
import io.jstack.compose.Service;
import io.jstack.compose.Volume;
import io.jstack.compose.VolumeMount;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.planner.ComposeLabels;
import io.jstack.planner.ContainerSpecs;
import io.jstack.planner.ObservedState;
import io.jstack.planner.PlanException;
import io.jstack.planner.UpOptions;
import io.jstack.planner.internal.PlanBuilder.Node;
import io.jstack.planner.step.CreateNetwork;
import io.jstack.planner.step.CreateVolume;
import io.jstack.planner.step.PullImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a service's containers need before {@code up} creates them: the networks they join, the
 * project's named volumes they mount and the image they run, each created or pulled at most once
 * per plan, and only when the engine lacks it (or {@code pull_policy} says so). External networks
 * and volumes must exist already.
 */
final class Prerequisites {
  private final Project project;
  private final ObservedState observed;
  private final UpOptions options;
  private final PlanBuilder plan;
  // The operation that makes each network and volume (by compose key) and image (by reference);
  // null when none is needed.
  private final Map<String, Node> networkOps = new HashMap<>();
  private final Map<String, Node> volumeOps = new HashMap<>();
  private final Map<String, Node> imageOps = new HashMap<>();

  Prerequisites(Project project, ObservedState observed, UpOptions options, PlanBuilder plan) {
    this.project = project;
    this.observed = observed;
    this.options = options;
    this.plan = plan;
  }

  /**
   * Adds what {@code s} needs to the plan.
   *
   * @throws PlanException when an external network or volume is missing, a network exists with
   *     other settings, or the image may be neither pulled nor built
   */
  void add(Service s) {
    networks(s);
    volumes(s);
    image(s);
  }

  /** The operations {@code s}'s containers are created after: networks, volumes, then image. */
  List<Node> of(Service s) {
    List<Node> deps = new ArrayList<>();
    if (s.networkMode() == null) {
      s.networks().keySet().forEach(k -> deps.add(networkOps.get(k)));
    }
    for (VolumeMount m : s.volumes()) {
      if ("volume".equals(m.type()) && m.source() != null) {
        deps.add(volumeOps.get(m.source()));
      }
    }
    deps.add(imageOps.get(ContainerSpecs.imageOf(project, s)));
    return deps;
  }

  private void networks(Service s) {
    if (s.networkMode() != null) {
      return;
    }
    for (String key : new TreeSet<>(s.networks().keySet())) {
      if (networkOps.containsKey(key)) {
        continue;
      }
      Network n = ServiceSettings.network(project, key);
      NetworkInfo existing = observed.networks().get(n.name());
      if (n.external()) {
        if (existing == null) {
          throw new PlanException(
              "network "
                  + n.name()
                  + " declared as external, but could not be found: create it"
                  + " first (docker network create "
                  + n.name()
                  + ")");
        }
        networkOps.put(key, null);
        continue;
      }
      String hash = ConfigHash.of(n);
      if (existing == null) {
        networkOps.put(
            key, plan.add(new CreateNetwork(networkSpec(key, n, hash)), null, "no network"));
      } else {
        String had = existing.labels().get(ComposeLabels.CONFIG_HASH);
        if (had != null && !had.equals(hash)) {
          throw new PlanException(
              "network "
                  + n.name()
                  + " exists with other settings than the compose file's:"
                  + " run jstack down to remove it, then up again");
        }
        networkOps.put(key, null);
      }
    }
  }

  private void volumes(Service s) {
    for (VolumeMount m : s.volumes()) {
      if (!"volume".equals(m.type()) || m.source() == null || volumeOps.containsKey(m.source())) {
        continue;
      }
      Volume v = project.volumes().get(m.source());
      if (v == null) {
        continue;
      }
      VolumeInfo existing = observed.volumes().get(v.name());
      if (v.external()) {
        if (existing == null) {
          throw new PlanException(
              "volume "
                  + v.name()
                  + " declared as external, but could not be found: create it"
                  + " first (docker volume create "
                  + v.name()
                  + ")");
        }
        volumeOps.put(m.source(), null);
      } else if (existing == null) {
        volumeOps.put(
            m.source(), plan.add(new CreateVolume(volumeSpec(m.source(), v)), null, "no volume"));
      } else {
        volumeOps.put(m.source(), null);
      }
    }
  }

  private void image(Service s) {
    String ref = ContainerSpecs.imageOf(project, s);
    if (imageOps.containsKey(ref)) {
      return;
    }
    boolean present = observed.images().getOrDefault(ref, Optional.empty()).isPresent();
    String policy =
        options.pull() != null
            ? options.pull()
            : s.pullPolicy() != null ? s.pullPolicy() : "missing";
    if (s.image() == null) {
      if (!present) {
        throw new PlanException(
            "service \""
                + s.name()
                + "\" has no image and its image "
                + ref
                + " is not built:"
                + " building is not supported yet, build it first (docker build -t "
                + ref
                + " "
                + (s.build() == null ? "." : s.build().context())
                + ")");
      }
      imageOps.put(ref, null);
      return;
    }
    Node pull = null;
    switch (policy) {
      case "always" -> pull = plan.add(new PullImage(ref, true), s.name(), "pull_policy: always");
      case "never" -> {
        if (!present) {
          throw new PlanException(
              "service \""
                  + s.name()
                  + "\" has pull_policy never, but image "
                  + ref
                  + " is not present: pull it first, or change the policy");
        }
      }
      case "build" -> {
        if (!present) {
          throw new PlanException(
              "service \""
                  + s.name()
                  + "\" must be built (pull_policy: build), which is not"
                  + " supported yet: build "
                  + ref
                  + " first");
        }
      }
      default -> {
        if (!present) {
          pull = plan.add(new PullImage(ref, false), s.name(), "image not present");
        }
      }
    }
    imageOps.put(ref, pull);
  }

  private NetworkSpec networkSpec(String key, Network n, String hash) {
    Map<String, String> labels = new TreeMap<>(n.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.NETWORK, key);
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    labels.put(ComposeLabels.CONFIG_HASH, hash);
    List<NetworkSpec.IpamPool> pools = new ArrayList<>();
    if (n.ipam() != null) {
      n.ipam()
          .config()
          .forEach(p -> pools.add(new NetworkSpec.IpamPool(p.subnet(), p.ipRange(), p.gateway())));
    }
    return new NetworkSpec(
        n.name(),
        n.driver() == null ? "bridge" : n.driver(),
        n.driverOpts(),
        n.internal(),
        n.attachable(),
        Boolean.TRUE.equals(n.enableIpv6()),
        pools,
        labels);
  }

  private VolumeSpec volumeSpec(String key, Volume v) {
    Map<String, String> labels = new TreeMap<>(v.labels());
    labels.put(ComposeLabels.PROJECT, project.name());
    labels.put(ComposeLabels.VOLUME, key);
    labels.put(ComposeLabels.VERSION, ComposeLabels.COMPOSE_VERSION);
    labels.put(ComposeLabels.CONFIG_HASH, ConfigHash.of(v));
    return new VolumeSpec(
        v.name(), v.driver() == null ? "local" : v.driver(), v.driverOpts(), labels);
  }
}

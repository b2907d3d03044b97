package io.jstack.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Deployment settings ({@code deploy:}); jstack honours replicas, resources and restart policy. */
public record Deploy(
    String mode,
    String endpointMode,
    Integer replicas,
    Map<String, String> labels,
    UpdateConfig rollbackConfig,
    UpdateConfig updateConfig,
    Resources resources,
    RestartPolicy restartPolicy,
    Placement placement,
    Map<String, Object> extensions) {

  /** Rolling update or rollback settings. */
  public record UpdateConfig(
      Long parallelism,
      Duration delay,
      String failureAction,
      Duration monitor,
      Double maxFailureRatio,
      String order,
      Map<String, Object> extensions) {}

  /** Resource limits and reservations. */
  public record Resources(
      Limits limits, Reservations reservations, Map<String, Object> extensions) {}

  /** Upper bounds. */
  public record Limits(Double cpus, ByteSize memory, Long pids, Map<String, Object> extensions) {}

  /** Guaranteed resources. */
  public record Reservations(
      Double cpus,
      ByteSize memory,
      List<GenericResource> genericResources,
      List<DeviceRequest> devices,
      Map<String, Object> extensions) {}

  /** A generic (e.g. GPU) resource. */
  public record GenericResource(DiscreteResourceSpec discreteResourceSpec) {}

  /** A kind of resource and how many of it. */
  public record DiscreteResourceSpec(String kind, Long value) {}

  /** When and how often to restart. */
  public record RestartPolicy(
      String condition,
      Duration delay,
      Long maxAttempts,
      Duration window,
      Map<String, Object> extensions) {}

  /** Where replicas may run. */
  public record Placement(
      List<String> constraints, List<Preference> preferences, Long maxReplicasPerNode) {}

  /** A spread preference. */
  public record Preference(String spread) {}
}

package io.jstack.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Deployment settings ({@code deploy:}); jstack honours replicas, resources and restart policy. */
public record Deploy(
    @Nullable String mode,
    @Nullable String endpointMode,
    @Nullable Integer replicas,
    Map<String, String> labels,
    @Nullable UpdateConfig rollbackConfig,
    @Nullable UpdateConfig updateConfig,
    @Nullable Resources resources,
    @Nullable RestartPolicy restartPolicy,
    @Nullable Placement placement,
    Map<String, Object> extensions) {

  /** Rolling update or rollback settings. */
  public record UpdateConfig(
      @Nullable Long parallelism,
      @Nullable Duration delay,
      @Nullable String failureAction,
      @Nullable Duration monitor,
      @Nullable Double maxFailureRatio,
      @Nullable String order,
      Map<String, Object> extensions) {}

  /** Resource limits and reservations. */
  public record Resources(
      @Nullable Limits limits,
      @Nullable Reservations reservations,
      Map<String, Object> extensions) {}

  /** Upper bounds. */
  public record Limits(
      @Nullable Double cpus,
      @Nullable ByteSize memory,
      @Nullable Long pids,
      Map<String, Object> extensions) {}

  /** Guaranteed resources. */
  public record Reservations(
      @Nullable Double cpus,
      @Nullable ByteSize memory,
      List<GenericResource> genericResources,
      List<DeviceRequest> devices,
      Map<String, Object> extensions) {}

  /** A generic (e.g. GPU) resource. */
  public record GenericResource(@Nullable DiscreteResourceSpec discreteResourceSpec) {}

  /** A kind of resource and how many of it. */
  public record DiscreteResourceSpec(@Nullable String kind, @Nullable Long value) {}

  /** When and how often to restart. */
  public record RestartPolicy(
      @Nullable String condition,
      @Nullable Duration delay,
      @Nullable Long maxAttempts,
      @Nullable Duration window,
      Map<String, Object> extensions) {}

  /** Where replicas may run. */
  public record Placement(
      List<String> constraints, List<Preference> preferences, @Nullable Long maxReplicasPerNode) {}

  /** A spread preference. */
  public record Preference(@Nullable String spread) {}
}

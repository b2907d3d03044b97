package io.jstack.planner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The flags of {@code up} that shape a plan.
 *
 * @param services only these services (and, unless {@code noDeps}, what they depend on); empty
 *     means all
 * @param scale replicas per service, over {@code scale} and {@code deploy.replicas}
 * @param pull {@code missing} (default), {@code always}, {@code never}, or {@code null} for each
 *     service's {@code pull_policy}
 * @param waitReady {@code --wait}: wait for every service to be running or healthy
 * @param waitTimeout with {@code waitReady}, how long to wait; {@code null} for no limit
 * @param renewAnonVolumes {@code -V}: a recreated container gets fresh anonymous volumes, and the
 *     old container's go with it, instead of taking them over
 */
public record UpOptions(
    List<String> services,
    boolean forceRecreate,
    boolean noRecreate,
    boolean noDeps,
    boolean noStart,
    boolean removeOrphans,
    Map<String, Integer> scale,
    @Nullable String pull,
    boolean waitReady,
    @Nullable Duration waitTimeout,
    boolean renewAnonVolumes) {
  public UpOptions {
    services = List.copyOf(services);
    scale = Map.copyOf(scale);
  }

  public static UpOptions defaults() {
    return new UpOptions(
        List.of(), false, false, false, false, false, Map.of(), null, false, null, false);
  }

  public UpOptions withServices(List<String> s) {
    return new UpOptions(
        s,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withForceRecreate(boolean on) {
    return new UpOptions(
        services,
        on,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withNoRecreate(boolean on) {
    return new UpOptions(
        services,
        forceRecreate,
        on,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withNoDeps(boolean on) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        on,
        noStart,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withNoStart(boolean on) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        on,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withRemoveOrphans(boolean on) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        on,
        scale,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withScale(Map<String, Integer> s) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        s,
        pull,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withPull(String policy) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        policy,
        waitReady,
        waitTimeout,
        renewAnonVolumes);
  }

  public UpOptions withWait(boolean on, Duration timeout) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        pull,
        on,
        timeout,
        renewAnonVolumes);
  }

  public UpOptions withRenewAnonVolumes(boolean on) {
    return new UpOptions(
        services,
        forceRecreate,
        noRecreate,
        noDeps,
        noStart,
        removeOrphans,
        scale,
        pull,
        waitReady,
        waitTimeout,
        on);
  }
}

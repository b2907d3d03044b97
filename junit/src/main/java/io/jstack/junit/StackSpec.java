package io.jstack.junit;

import io.jstack.junit.internal.StackStarter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What stack to start and how: compose files (merged in order, as {@code -f} repeated), profiles,
 * variables over the process environment, the engine, and the test-suite options (free host ports,
 * reuse between local runs, extra waits). Immutable; {@link #start()} brings it up.
 *
 * @param files the compose files, the first naming the project directory
 * @param profiles the active profiles
 * @param env variables for interpolation, over the process environment
 * @param projectName the base of the project name (a unique suffix is added), or null for the name
 *     Compose would give
 * @param engine the engine to run on
 * @param freePorts publish every fixed host port of the files on a free port instead, so that one
 *     file serves parallel runs ({@link Stack#endpoint} says which)
 * @param reuse keep the stack after {@link Stack#close()} and find it again in the next run with
 *     the same resolved model; never under {@code CI=true}
 * @param waits checks run after every healthcheck passed
 * @param timeout how long starting (healthchecks and waits included) may take
 */
public record StackSpec(
    List<Path> files,
    List<String> profiles,
    Map<String, String> env,
    @Nullable String projectName,
    StackEngine engine,
    boolean freePorts,
    boolean reuse,
    List<Wait> waits,
    Duration timeout) {
  /** How long a stack may take to start unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  public StackSpec {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("a stack needs at least one compose file");
    }
    files = List.copyOf(files);
    profiles = List.copyOf(profiles);
    env = Map.copyOf(env);
    Objects.requireNonNull(engine, "engine");
    waits = List.copyOf(waits);
    Objects.requireNonNull(timeout, "timeout");
  }

  /** The stack of {@code files}, on the engine {@link StackEngine#AUTO} picks, with free ports. */
  public static StackSpec of(Path... files) {
    return new StackSpec(
        Arrays.asList(files),
        List.of(),
        Map.of(),
        null,
        StackEngine.AUTO,
        true,
        false,
        List.of(),
        DEFAULT_TIMEOUT);
  }

  public StackSpec withProfiles(String... active) {
    return new StackSpec(
        files, List.of(active), env, projectName, engine, freePorts, reuse, waits, timeout);
  }

  public StackSpec withEnv(Map<String, String> variables) {
    return new StackSpec(
        files, profiles, variables, projectName, engine, freePorts, reuse, waits, timeout);
  }

  public StackSpec withProjectName(@Nullable String base) {
    return new StackSpec(files, profiles, env, base, engine, freePorts, reuse, waits, timeout);
  }

  public StackSpec withEngine(StackEngine on) {
    return new StackSpec(files, profiles, env, projectName, on, freePorts, reuse, waits, timeout);
  }

  public StackSpec withFreePorts(boolean on) {
    return new StackSpec(files, profiles, env, projectName, engine, on, reuse, waits, timeout);
  }

  public StackSpec withReuse(boolean on) {
    return new StackSpec(files, profiles, env, projectName, engine, freePorts, on, waits, timeout);
  }

  public StackSpec withWaits(Wait... checks) {
    return new StackSpec(
        files, profiles, env, projectName, engine, freePorts, reuse, List.of(checks), timeout);
  }

  public StackSpec withTimeout(Duration limit) {
    return new StackSpec(files, profiles, env, projectName, engine, freePorts, reuse, waits, limit);
  }

  /**
   * Loads the files, brings the stack up (building images it needs), waits until every healthcheck
   * and every {@link #waits() wait} passed, and returns it; the caller closes it.
   *
   * @throws StackException naming the stack and what failed; a stack that did not start is taken
   *     down again
   */
  public Stack start() {
    return StackStarter.start(this, false);
  }
}

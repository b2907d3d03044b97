package io.jstack.junit;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A running compose stack: where its services are published, commands and logs, the lifecycle of
 * one service, and {@link #close()}, which takes it down with its volumes ({@code down -v}) unless
 * it is kept for reuse. Safe to use from several threads.
 */
public interface Stack extends AutoCloseable {
  /** The project name the stack runs under (unique to this JVM and stack unless reused). */
  String project();

  /** The services that run (those profiles enable). */
  Set<String> services();

  /** Whether this stack was found running from an earlier run rather than started now. */
  boolean reused();

  /**
   * Where {@code containerPort}/tcp of {@code service}'s first container is published now. A port
   * the engine picked may change when the service is restarted: ask again after a restart.
   *
   * @throws StackException when the service has no such container, or the port is not published
   */
  Endpoint endpoint(String service, int containerPort);

  /**
   * Every published tcp port of every service's first container: service → container port →
   * endpoint (services without a container or a published port are left out).
   */
  java.util.Map<String, java.util.Map<Integer, Endpoint>> endpoints();

  /**
   * Runs {@code command} in {@code service}'s first container and returns what it printed.
   *
   * @throws StackException when the service has no running container
   */
  ExecResult exec(String service, String... command);

  /** Everything {@code service}'s containers have printed so far, one line per line. */
  String logs(String service);

  /** Stops {@code service}'s containers (its dependents keep running, as {@code jstack stop}). */
  void stop(String service);

  /** Starts {@code service}'s stopped containers (as {@code jstack start}). */
  void start(String service);

  /** Stops and starts {@code service}'s containers (as {@code jstack restart}). */
  void restart(String service);

  /**
   * Writes every service's logs to {@code dir/<service>.log} (creating {@code dir}) and returns the
   * files written.
   *
   * @throws StackException when a file cannot be written
   */
  List<Path> dumpLogs(Path dir);

  /**
   * Takes the stack down with its volumes ({@code down -v}), or, for a reused stack, leaves it
   * running for the next run. Calling it again does nothing.
   *
   * @throws StackException when the engine refused to remove something
   */
  @Override
  void close();
}

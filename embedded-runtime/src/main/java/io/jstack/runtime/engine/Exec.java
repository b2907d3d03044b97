package io.jstack.runtime.engine;

import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.container.ExecProcess;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A process started in a container by {@code exec}, as Docker's API knows it: made by one call,
 * started by another, inspected for its exit code afterwards.
 */
public final class Exec {
  private final String id;
  private final String containerId;
  private final ExecConfig config;
  private final ExecRequest request;
  private @Nullable ExecProcess process;
  private @Nullable Integer exitCode;

  Exec(String id, String containerId, ExecRequest request) {
    this.id = id;
    this.containerId = containerId;
    this.config = request.process();
    this.request = request;
  }

  public String id() {
    return id;
  }

  public String containerId() {
    return containerId;
  }

  public ExecConfig config() {
    return config;
  }

  /** What the client asked for. */
  public ExecRequest request() {
    return request;
  }

  /** It started as {@code p}. */
  synchronized void started(ExecProcess p) {
    process = p;
  }

  /** Its process once started, else null. */
  public synchronized @Nullable ExecProcess process() {
    return process;
  }

  public synchronized boolean running() {
    return process != null && exitCode == null;
  }

  /** Its exit code once it ended, else null. */
  public synchronized @Nullable Integer exitCode() {
    return exitCode;
  }

  /** Waits for its process to end and records its exit code; the exit code. */
  public int finish() {
    ExecProcess p = java.util.Objects.requireNonNull(process(), "the exec was not started");
    try {
      int code = p.waitFor(Duration.ofDays(3650)).orElse(-1);
      synchronized (this) {
        if (exitCode == null) {
          exitCode = code;
        }
        return exitCode;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}

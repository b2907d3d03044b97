package io.jstack.runtime.api;

import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.engine.Exec;
import io.jstack.runtime.engine.ExecRequest;

/** What {@link ExecRoutes} needs of the engine: exec instances, made, inspected and started. */
interface ExecService {
  /** Makes an exec instance in a running container ({@code Conflict} when it is not); its id. */
  String createExec(String container, ExecRequest request);

  /** An exec instance; {@code NotFound} when there is none. */
  Exec exec(String id);

  /**
   * Starts it with a terminal of {@code rows} × {@code columns}; its process (whose output the
   * caller reads), or none worth reading when {@code detach}.
   */
  ExecProcess startExec(String id, boolean detach, int rows, int columns);
}

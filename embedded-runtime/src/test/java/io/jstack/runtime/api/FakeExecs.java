package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.engine.Exec;
import io.jstack.runtime.engine.ExecFixtures;
import io.jstack.runtime.engine.ExecRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exec instances in memory: made in container {@code web} only (any other is not running), never
 * really started; each start is written down ({@code "start e1 detach=true 24x80"}).
 */
final class FakeExecs implements ExecService {
  final Map<String, Exec> byId = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();

  @Override
  public String createExec(String container, ExecRequest request) {
    if (!container.equals("web")) {
      throw new EngineException.Conflict("container " + container + " is not running");
    }
    String id = "e" + (byId.size() + 1);
    byId.put(id, ExecFixtures.created(id, "web-id", request));
    return id;
  }

  @Override
  public Exec exec(String id) {
    Exec e = byId.get(id);
    if (e == null) {
      throw new EngineException.NotFound("No such exec instance: " + id);
    }
    return e;
  }

  @Override
  public ExecProcess startExec(String id, boolean detach, int rows, int columns) {
    exec(id);
    calls.add("start " + id + " detach=" + detach + " " + rows + "x" + columns);
    return null;
  }
}

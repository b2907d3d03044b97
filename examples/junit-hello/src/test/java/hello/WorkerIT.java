package hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.ExecResult;
import io.jstack.junit.Stack;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WorkerIT extends HelloSuite {
  @Test
  void workerTicksIntoTheSharedVolume(Stack stack) throws Exception {
    long began = System.currentTimeMillis();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> stack.logs("worker").contains("tick 1"));
    ExecResult ticks = stack.exec("web", "cat", "/www/ticks.txt");
    assertEquals(0, ticks.exitCode(), ticks.stderr());
    assertTrue(ticks.stdout().startsWith("tick 1\n"), ticks.stdout());
    Records.note(getClass(), "suite", stack, began);
  }
}

package hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jstack.junit.JStack;
import io.jstack.junit.Stack;
import io.jstack.junit.StackException;
import org.junit.jupiter.api.Test;

/** A stack of its own (scope CLASS), injected into a field: stopping its worker disturbs no one. */
@JStack(file = "../hello/compose.yaml")
class StoppedWorkerIT {
  Stack stack;

  @Test
  void aStoppedWorkerRunsNoCommand_untilStartedAgain() throws Exception {
    long began = System.currentTimeMillis();
    stack.stop("worker");
    assertThrows(StackException.class, () -> stack.exec("worker", "true"));
    stack.start("worker");
    assertEquals(0, stack.exec("worker", "true").exitCode());
    Records.note(getClass(), "class", stack, began);
  }
}

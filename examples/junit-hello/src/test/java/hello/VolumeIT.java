package hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jstack.junit.Stack;
import org.junit.jupiter.api.Test;

class VolumeIT extends HelloSuite {
  @Test
  void aPageTheWorkerWritesIsServedByWeb(Stack stack) throws Exception {
    long began = System.currentTimeMillis();
    String page = "volume-" + ProcessHandle.current().pid() + ".txt";
    assertEquals(0, stack.exec("worker", "sh", "-c", "echo shared > /www/" + page).exitCode());
    assertEquals("shared\n", Http.get(web.uri("http", "/" + page)));
    Thread.sleep(1000);
    Records.note(getClass(), "suite", stack, began);
  }
}

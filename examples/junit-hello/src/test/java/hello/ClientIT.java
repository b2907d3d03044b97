package hello;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.Stack;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ClientIT extends HelloSuite {
  @Test
  void clientReachesWebByItsServiceName(Stack stack) throws Exception {
    long began = System.currentTimeMillis();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> stack.logs("client").contains("<h1>hello from jstack</h1>"));
    Records.note(getClass(), "suite", stack, began);
  }
}

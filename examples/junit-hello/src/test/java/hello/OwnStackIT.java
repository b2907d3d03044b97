package hello;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.Endpoint;
import io.jstack.junit.JStack;
import io.jstack.junit.ServicePort;
import io.jstack.junit.Stack;
import io.jstack.junit.WaitFor;
import org.junit.jupiter.api.Test;

/** A stack of its own (scope CLASS): restarting web here disturbs no other class. */
@JStack(
    file = "../hello/compose.yaml",
    waits = @WaitFor(service = "web", httpPort = 8080, path = "/"))
class OwnStackIT {
  @Test
  void webServesAgainAfterARestart(
      Stack stack, @ServicePort(service = "web", port = 8080) Endpoint web) throws Exception {
    long began = System.currentTimeMillis();
    stack.restart("web");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> Http.get(stack.endpoint("web", 8080).uri("http")).contains("hello from jstack"));
    assertTrue(web.port() > 0);
    Records.note(getClass(), "class", stack, began);
  }
}

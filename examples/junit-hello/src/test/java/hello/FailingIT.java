package hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jstack.junit.JStack;
import io.jstack.junit.Stack;
import org.junit.jupiter.api.Test;

/**
 * Fails on purpose (excluded from the normal run): the failure names the directory under
 * target/jstack-logs/ where every service's logs were written. Run: mvn verify -Dit.test=FailingIT
 */
@JStack(file = "../hello/compose.yaml", scope = JStack.Scope.METHOD)
class FailingIT {
  @Test
  void expectsAPageWebDoesNotServe(Stack stack) {
    String said = stack.exec("web", "cat", "/www/index.html").stdout();
    assertEquals("a page hello does not have", said, "deliberately failing");
  }
}

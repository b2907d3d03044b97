package hello;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.Stack;
import org.junit.jupiter.api.Test;

class HomePageIT extends HelloSuite {
  @Test
  void webServesTheHomePage(Stack stack) throws Exception {
    long began = System.currentTimeMillis();
    String page = Http.get(web.uri("http", "/"));
    assertTrue(page.contains("<h1>hello from jstack</h1>"), page);
    Thread.sleep(1000);
    Records.note(getClass(), "suite", stack, began);
  }
}

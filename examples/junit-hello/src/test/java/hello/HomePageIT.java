package hello;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jstack.junit.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  @Test
  void aMissingPageIsNotFound(Stack stack) throws Exception {
    long began = System.currentTimeMillis();
    URI missing = web.uri("http", "/no-such-page.html");
    HttpResponse<Void> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(missing).build(), HttpResponse.BodyHandlers.discarding());
    assertTrue(r.statusCode() == 404, "GET " + missing + " answered " + r.statusCode());
    Thread.sleep(1000);
    Records.note(getClass(), "suite", stack, began);
  }
}

package io.jstack.junit.internal;

import io.jstack.junit.Endpoint;
import io.jstack.junit.Stack;
import io.jstack.junit.StackException;
import io.jstack.junit.Wait;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Runs a stack's declared waits, one after another, within one deadline. */
final class Waits {
  private static final Duration POLL = Duration.ofMillis(100);

  private Waits() {}

  /**
   * Returns once every wait holds.
   *
   * @throws StackException naming the wait that did not hold within {@code timeout}
   */
  static void await(Stack stack, List<Wait> waits, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (Wait w : waits) {
      Duration left = Duration.between(Instant.now(), deadline);
      try {
        Awaitility.await(w.describe())
            .atMost(left.isNegative() ? Duration.ofMillis(1) : left)
            .pollDelay(Duration.ZERO)
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(() -> holds(stack, w));
      } catch (ConditionTimeoutException e) {
        throw new StackException(
            "stack "
                + stack.project()
                + ": gave up waiting for "
                + w.describe()
                + " after "
                + timeout.toSeconds()
                + " s; see the service's logs (Stack.logs or dumpLogs)",
            e);
      }
    }
  }

  /** Whether {@code w} holds now; an exception counts as not yet. */
  static boolean holds(Stack stack, Wait w) throws IOException, InterruptedException {
    if (w instanceof Wait.Port p) {
      Endpoint e = stack.endpoint(p.service(), p.containerPort());
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(e.host(), e.port()), 1000);
        return true;
      }
    }
    if (w instanceof Wait.LogLine l) {
      return stack.logs(l.service()).lines().anyMatch(line -> l.pattern().matcher(line).find());
    }
    Wait.Http h = (Wait.Http) w;
    Endpoint e = stack.endpoint(h.service(), h.containerPort());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<Void> r =
        client.send(
            HttpRequest.newBuilder(e.uri("http", h.path())).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
    return r.statusCode() >= 200 && r.statusCode() < 300;
  }
}

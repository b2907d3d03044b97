package hello;

import io.jstack.junit.Endpoint;
import io.jstack.junit.JStack;
import io.jstack.junit.ServicePort;
import io.jstack.junit.WaitFor;

/**
 * examples/hello, started once per JVM for every class that extends this one (scope SUITE), on
 * a free host port instead of the file's 8080, healthy (web's healthcheck) and serving its page
 * before the first test.
 */
@JStack(
    file = "../hello/compose.yaml",
    scope = JStack.Scope.SUITE,
    waits = @WaitFor(service = "web", httpPort = 8080, path = "/"))
abstract class HelloSuite {
  /** Where web's port 8080 is published for this run. */
  @ServicePort(service = "web", port = 8080)
  Endpoint web;
}

package io.jstack.junit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A readiness check run after {@code up} (which already waits for every healthcheck), until it
 * holds or the stack's timeout ends.
 */
public sealed interface Wait permits Wait.Port, Wait.LogLine, Wait.Http {
  /** The service it checks. */
  String service();

  /** What it waits for, for error messages. */
  String describe();

  /** The published {@code containerPort} of {@code service} accepts TCP connections. */
  static Wait port(String service, int containerPort) {
    return new Port(service, containerPort);
  }

  /** A line of {@code service}'s output matches {@code regex} (found anywhere in the line). */
  static Wait logLine(String service, String regex) {
    return new LogLine(service, Pattern.compile(regex));
  }

  /** {@code GET http://<endpoint><path>} on {@code containerPort} answers with a 2xx status. */
  static Wait http(String service, int containerPort, String path) {
    return new Http(service, containerPort, path);
  }

  /** See {@link Wait#port}. */
  record Port(String service, int containerPort) implements Wait {
    public Port {
      Objects.requireNonNull(service, "service");
    }

    @Override
    public String describe() {
      return "port " + containerPort + " of " + service + " to accept connections";
    }
  }

  /** See {@link Wait#logLine}. */
  record LogLine(String service, Pattern pattern) implements Wait {
    public LogLine {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String describe() {
      return "a line of " + service + "'s output matching /" + pattern + "/";
    }
  }

  /** See {@link Wait#http}. */
  record Http(String service, int containerPort, String path) implements Wait {
    public Http {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
      return "GET " + path + " on port " + containerPort + " of " + service + " to answer 2xx";
    }
  }
}

package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A container's healthcheck, as Docker runs it: a command run in the container every {@code
 * interval} (every {@code start_interval} during {@code start_period}), failed after {@code
 * timeout}; {@code retries} failures in a row make it unhealthy, a success healthy, and failures
 * within the start period do not count. Keeps the last five results for inspect.
 */
final class Health {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
  static final int DEFAULT_RETRIES = 3;

  /** Docker keeps this much of a probe's output. */
  static final int MAX_OUTPUT = 4096;

  /** A healthcheck's settings; zero durations are Docker's defaults already applied. */
  record Check(
      List<String> command,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      int retries) {

    /** The check of a create request's {@code Healthcheck}, or null when it has none. */
    static Check of(JsonNode hc) {
      List<String> test = Json.strings(hc.path("Test"));
      if (test.isEmpty() || test.get(0).equals("NONE")) {
        return null;
      }
      List<String> command =
          switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" ->
                List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default ->
                throw new IllegalArgumentException(
                    "healthcheck test must start with NONE, CMD or CMD-SHELL, not " + test.get(0));
          };
      if (command.isEmpty()) {
        return null;
      }
      int retries = hc.path("Retries").asInt();
      return new Check(
          command,
          duration(hc, "Interval", DEFAULT_INTERVAL),
          duration(hc, "Timeout", DEFAULT_TIMEOUT),
          duration(hc, "StartPeriod", Duration.ZERO),
          duration(hc, "StartInterval", DEFAULT_START_INTERVAL),
          retries > 0 ? retries : DEFAULT_RETRIES);
    }

    private static Duration duration(JsonNode hc, String field, Duration otherwise) {
      long nanos = hc.path(field).asLong();
      return nanos > 0 ? Duration.ofNanos(nanos) : otherwise;
    }
  }

  /**
   * Completes a create request's {@code Healthcheck} from the image's, as Docker does: the image's
   * test when the request has none, and each unset duration or count from the image.
   */
  static void inherit(ObjectNode request, JsonNode fromImage) {
    if (fromImage.isMissingNode() || fromImage.isNull()) {
      return;
    }
    JsonNode own = request.path("Healthcheck");
    ObjectNode merged = own.isObject() ? ((ObjectNode) own).deepCopy() : request.objectNode();
    if (merged.path("Test").size() == 0 && fromImage.has("Test")) {
      merged.set("Test", fromImage.get("Test"));
    }
    for (String f : List.of("Interval", "Timeout", "StartPeriod", "StartInterval", "Retries")) {
      if (merged.path(f).asLong() == 0 && fromImage.path(f).asLong() != 0) {
        merged.set(f, fromImage.get(f));
      }
    }
    request.set("Healthcheck", merged);
  }

  /** One probe's result, as inspect shows it. */
  record Result(Instant start, Instant end, int exitCode, String output) {}

  private final Check check;
  private final Instant started;
  private String status = "starting";
  private int failingStreak;
  private boolean everHealthy;
  private final Deque<Result> log = new ArrayDeque<>();

  Health(Check check, Instant started) {
    this.check = check;
    this.started = started;
  }

  Check check() {
    return check;
  }

  /** How long until the next probe: the start interval while the start period lasts. */
  synchronized Duration nextDelay(Instant now) {
    return inStartPeriod(now) ? check.startInterval() : check.interval();
  }

  private boolean inStartPeriod(Instant now) {
    return !everHealthy && now.isBefore(started.plus(check.startPeriod()));
  }

  /** Takes a probe's result; the new status when it changed, else null. */
  synchronized String record(Result r) {
    log.addLast(r);
    while (log.size() > 5) {
      log.removeFirst();
    }
    String before = status;
    if (r.exitCode() == 0) {
      failingStreak = 0;
      everHealthy = true;
      status = "healthy";
    } else if (!inStartPeriod(r.start())) {
      failingStreak++;
      if (failingStreak >= check.retries()) {
        status = "unhealthy";
      }
    }
    return status.equals(before) ? null : status;
  }

  synchronized String status() {
    return status;
  }

  /** Docker's {@code State.Health}. */
  synchronized ObjectNode json() {
    ObjectNode h = Json.MAPPER.createObjectNode();
    h.put("Status", status);
    h.put("FailingStreak", failingStreak);
    ArrayNode results = h.putArray("Log");
    for (Result r : log) {
      ObjectNode o = results.addObject();
      o.put("Start", r.start().toString());
      o.put("End", r.end().toString());
      o.put("ExitCode", r.exitCode());
      o.put("Output", r.output());
    }
    return h;
  }
}

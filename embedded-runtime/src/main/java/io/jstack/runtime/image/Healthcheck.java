package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A healthcheck as Docker's API gives it: its test ({@code NONE}, {@code CMD ...} or {@code
 * CMD-SHELL ...}), and durations and retries where zero means unset. Images carry one in their
 * config, and containers in their create request; both spell it the same way in JSON.
 */
public record Healthcheck(
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    int retries) {

  public Healthcheck {
    test = List.copyOf(test);
  }

  /**
   * This check completed from the image's, as Docker does: the image's test when this has none, and
   * each unset duration or count from the image.
   */
  public Healthcheck over(Healthcheck image) {
    return new Healthcheck(
        test.isEmpty() ? image.test : test,
        set(interval) ? interval : image.interval,
        set(timeout) ? timeout : image.timeout,
        set(startPeriod) ? startPeriod : image.startPeriod,
        set(startInterval) ? startInterval : image.startInterval,
        retries != 0 ? retries : image.retries);
  }

  private static boolean set(Duration d) {
    return !d.isZero();
  }

  /** The healthcheck of Docker's JSON ({@code Test}, {@code Interval} in nanoseconds, ...). */
  public static Healthcheck of(JsonNode hc) {
    List<String> test = new ArrayList<>();
    hc.path("Test").forEach(t -> test.add(t.asText()));
    return new Healthcheck(
        test,
        Duration.ofNanos(hc.path("Interval").asLong()),
        Duration.ofNanos(hc.path("Timeout").asLong()),
        Duration.ofNanos(hc.path("StartPeriod").asLong()),
        Duration.ofNanos(hc.path("StartInterval").asLong()),
        hc.path("Retries").asInt());
  }

  /** Docker's JSON of it; unset durations and retries are left out. */
  public ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    test.forEach(o.putArray("Test")::add);
    nanos(o, "Interval", interval);
    nanos(o, "Timeout", timeout);
    nanos(o, "StartPeriod", startPeriod);
    nanos(o, "StartInterval", startInterval);
    if (retries != 0) {
      o.put("Retries", retries);
    }
    return o;
  }

  private static void nanos(ObjectNode o, String field, Duration d) {
    if (set(d)) {
      o.put(field, d.toNanos());
    }
  }
}

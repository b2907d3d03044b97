package io.jstack.runtime.engine;

import io.jstack.runtime.image.Healthcheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's healthcheck, as Docker runs it: a command run in the container every {@code
 * interval} (every {@code start_interval} during {@code start_period}), failed after {@code
 * timeout}; {@code retries} failures in a row make it unhealthy, a success healthy, and failures
 * within the start period do not count. Keeps the last five results for inspect.
 */
public final class Health {
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

    /** The check a container's healthcheck runs, or null when it has none. */
    static @Nullable Check of(@Nullable Healthcheck hc) {
      if (hc == null) {
        return null;
      }
      List<String> test = hc.test();
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
      return new Check(
          command,
          orElse(hc.interval(), DEFAULT_INTERVAL),
          orElse(hc.timeout(), DEFAULT_TIMEOUT),
          orElse(hc.startPeriod(), Duration.ZERO),
          orElse(hc.startInterval(), DEFAULT_START_INTERVAL),
          hc.retries() > 0 ? hc.retries() : DEFAULT_RETRIES);
    }

    private static Duration orElse(Duration d, Duration otherwise) {
      return d.isNegative() || d.isZero() ? otherwise : d;
    }
  }

  /** One probe's result, as inspect shows it. */
  public record Result(Instant start, Instant end, int exitCode, String output) {}

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
  synchronized @Nullable String record(Result r) {
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

  /**
   * Where a container's health stands: {@code starting}, {@code healthy} or {@code unhealthy}, its
   * failures in a row, and its last five probes.
   */
  public record State(String status, int failingStreak, List<Result> log) {
    public State {
      log = List.copyOf(log);
    }
  }

  /** Where it stands now. */
  synchronized State state() {
    return new State(status, failingStreak, List.copyOf(log));
  }
}

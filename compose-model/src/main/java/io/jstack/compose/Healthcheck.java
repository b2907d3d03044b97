package io.jstack.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A container health check. {@code test} is in long form: {@code ["CMD", ...]}, {@code
 * ["CMD-SHELL", "..."]} or {@code ["NONE"]}.
 */
public record Healthcheck(
    boolean disable,
    Duration interval,
    Long retries,
    @KeepEmpty List<String> test,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    Map<String, Object> extensions) {}

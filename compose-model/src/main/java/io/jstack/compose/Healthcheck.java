package io.jstack.compose;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A container health check. {@code test} is in long form: {@code ["CMD", ...]}, {@code
 * ["CMD-SHELL", "..."]} or {@code ["NONE"]}.
 */
public record Healthcheck(
    boolean disable,
    @Nullable Duration interval,
    @Nullable Long retries,
    @KeepEmpty @Nullable List<String> test,
    @Nullable Duration timeout,
    @Nullable Duration startPeriod,
    @Nullable Duration startInterval,
    Map<String, Object> extensions) {}

package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * An env file of a service: its path (absolute once loaded), whether it must exist, its format.
 * {@code required} is always written, so that {@code required: false} survives a round trip.
 */
public record EnvFile(
    @Nullable String path, @KeepEmpty boolean required, @Nullable String format) {}

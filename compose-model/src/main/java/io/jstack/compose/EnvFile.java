package io.jstack.compose;

/**
 * An env file of a service: its path (absolute once loaded), whether it must exist, its format.
 * {@code required} is always written, so that {@code required: false} survives a round trip.
 */
public record EnvFile(String path, @KeepEmpty boolean required, String format) {}

package io.jstack.compose;

/**
 * A dependency on another service: the condition to wait for ({@code service_started}, {@code
 * service_healthy}, {@code service_completed_successfully}), whether to restart this service when
 * that one is restarted, and whether the dependency must exist.
 */
public record DependsOn(String condition, boolean restart, @KeepEmpty boolean required) {}

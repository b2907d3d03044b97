package io.jstack.runtime.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a container, as Docker's events tell it.
 *
 * @param action Docker's name of it ({@code create}, {@code start}, {@code die}, {@code
 *     health_status: healthy}, ...)
 * @param id the container's id
 * @param attributes its labels, {@code name} and {@code image}, and what the action adds ({@code
 *     exitCode}, {@code network}, ...)
 */
public record Event(Instant time, String action, String id, Map<String, String> attributes) {}

package io.jstack.runtime.engine;

import org.jspecify.annotations.Nullable;

/**
 * A mount of a container as Docker's inspect shows it ({@code Mounts}): a {@code bind}, a {@code
 * volume} (named or anonymous) or a tmpfs of its {@code Mounts}.
 *
 * @param name a volume's name; null for others
 * @param source the host path of a bind or a volume's data; empty for a tmpfs
 * @param mode the options of a {@code -v} bind ({@code ro}), {@code z} for a volume the container
 *     asked for, else empty, as dockerd writes them
 * @param propagation {@code rprivate} for a bind, else empty
 */
public record MountPoint(
    String type,
    @Nullable String name,
    String source,
    String destination,
    String mode,
    boolean rw,
    String propagation) {}

package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * The {@code tmpfs:} options of a service volume.
 *
 * @param size the size limit, or {@code null} when not set
 * @param mode the file mode of the mount's root (e.g. {@code 01777}), or {@code null} when not set
 */
public record TmpfsOptions(@Nullable ByteSize size, @Nullable FileMode mode) {}

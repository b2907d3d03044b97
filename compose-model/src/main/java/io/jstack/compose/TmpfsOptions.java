package io.jstack.compose;

/**
 * The {@code tmpfs:} options of a service volume.
 *
 * @param size the size limit, or {@code null} when not set
 * @param mode the file mode of the mount's root (e.g. {@code 01777}), or {@code null} when not set
 */
public record TmpfsOptions(ByteSize size, FileMode mode) {}

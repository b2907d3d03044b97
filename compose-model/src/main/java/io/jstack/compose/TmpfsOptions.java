package io.jstack.compose;

/**
 * The {@code tmpfs:} options of a service volume (compose-go {@code types.ServiceVolumeTmpfs}). As
 * in compose-go, zero means "not set" for both components.
 *
 * @param size the size limit in bytes; 0 when not set
 * @param mode the file mode of the mount's root (e.g. {@code 01777}); 0 when not set
 */
public record TmpfsOptions(long size, int mode) {}

package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * The {@code bind:} options of a service volume (compose-go {@code types.ServiceVolumeBind}).
 *
 * @param propagation {@code shared}, {@code slave}, {@code private}, {@code rshared}, {@code
 *     rslave} or {@code rprivate}; {@code null} when not set
 * @param createHostPath {@code create_host_path}: create the host path when missing. Compose
 *     defaults it to {@code true} for the long syntax too (compose-go {@code transform/volume.go}
 *     {@code defaultVolumeBind}), so a reader of the long syntax must fill in {@code true} when the
 *     key is absent; always written, so that {@code false} survives a round trip
 * @param recursive {@code enabled}, {@code disabled}, {@code writable} or {@code readonly}; {@code
 *     null} when not set
 * @param selinux {@code z} (shared) or {@code Z} (private); {@code null} when not set
 */
public record BindOptions(
    @Nullable String propagation,
    @KeepEmpty boolean createHostPath,
    @Nullable String recursive,
    @Nullable String selinux) {}

package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * The {@code image:} options of a service volume (compose-go {@code types.ServiceVolumeImage}).
 *
 * @param subpath the path inside the image to mount instead of its root; {@code null} when not set
 */
public record ImageOptions(@Nullable String subpath) {}

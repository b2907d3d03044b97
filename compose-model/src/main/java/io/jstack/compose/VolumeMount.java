package io.jstack.compose;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a service's {@code volumes:}, in the long form Compose normalises every entry to
 * (compose-go {@code types.ServiceVolumeConfig}; properties from the Compose specification's
 * service volume schema).
 *
 * @param type {@link #TYPE_BIND}, {@link #TYPE_VOLUME}, {@link #TYPE_TMPFS}, {@link #TYPE_NPIPE},
 *     {@link #TYPE_CLUSTER} or {@link #TYPE_IMAGE}
 * @param source a host path (bind), a volume name (volume), an image reference (image); {@code
 *     null} for an anonymous volume or a tmpfs (Compose omits it)
 * @param target the path in the container
 * @param readOnly {@code read_only}: mount read-only
 * @param consistency platform-specific consistency requirement; {@code null} when not set
 * @param bind options for a bind mount; {@code null} when not set
 * @param volume options for a volume mount; {@code null} when not set
 * @param tmpfs options for a tmpfs mount; {@code null} when not set
 * @param image options for an image mount; {@code null} when not set
 */
public record VolumeMount(
    String type,
    @Nullable String source,
    String target,
    boolean readOnly,
    @Nullable String consistency,
    @Nullable BindOptions bind,
    @Nullable VolumeOptions volume,
    @Nullable TmpfsOptions tmpfs,
    @Nullable ImageOptions image) {

  /** A host path mounted into the container. */
  public static final String TYPE_BIND = "bind";

  /** A named or anonymous volume. */
  public static final String TYPE_VOLUME = "volume";

  /** A memory-backed file system. */
  public static final String TYPE_TMPFS = "tmpfs";

  /** A Windows named pipe. */
  public static final String TYPE_NPIPE = "npipe";

  /** A cluster (CSI) volume. */
  public static final String TYPE_CLUSTER = "cluster";

  /** The content of an image. */
  public static final String TYPE_IMAGE = "image";

  public VolumeMount {
    Objects.requireNonNull(type, "type");
  }
}

package io.jstack.compose;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code volume:} options of a service volume (compose-go {@code types.ServiceVolumeVolume}).
 *
 * @param labels labels to set on the volume, sorted by key; never {@code null} (empty when none)
 * @param nocopy do not copy the image's content at the target into a new volume
 * @param subpath the path inside the volume to mount instead of its root; {@code null} when not set
 */
public record VolumeOptions(Map<String, String> labels, boolean nocopy, @Nullable String subpath) {

  /** Options with every property unset, as Compose gives a volume mount that names none. */
  public static final VolumeOptions NONE = new VolumeOptions(Map.of(), false, null);

  public VolumeOptions {
    labels =
        labels == null || labels.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(labels));
  }
}

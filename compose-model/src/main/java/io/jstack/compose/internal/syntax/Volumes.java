package io.jstack.compose.internal.syntax;

import io.jstack.compose.BindOptions;
import io.jstack.compose.VolumeMount;

/** TEMPORARY placeholder, replaced by the syntax branch. */
public final class Volumes {
  private Volumes() {}

  public static VolumeMount parseShort(String spec) {
    String[] parts = spec.split(":");
    if (parts.length == 1) {
      return new VolumeMount("volume", null, parts[0], false, null, null, null, null, null);
    }
    String src = parts[0];
    boolean ro = parts.length > 2 && parts[2].contains("ro");
    boolean bind = src.startsWith(".") || src.startsWith("/") || src.startsWith("~");
    return new VolumeMount(
        bind ? "bind" : "volume",
        src,
        parts[1],
        ro,
        null,
        bind ? new BindOptions(null, true, null, null) : null,
        null,
        null,
        null);
  }
}

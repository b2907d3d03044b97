package io.jstack.engine;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A volume to create. */
public record VolumeSpec(
    String name,
    @Nullable String driver,
    Map<String, String> driverOptions,
    Map<String, String> labels) {
  public VolumeSpec {
    driverOptions = Map.copyOf(driverOptions);
    labels = Map.copyOf(labels);
  }
}

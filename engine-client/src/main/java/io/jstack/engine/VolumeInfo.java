package io.jstack.engine;

import java.util.Map;

/** What an engine reports about a volume. */
public record VolumeInfo(String name, String driver, Map<String, String> labels) {
  public VolumeInfo {
    labels = Map.copyOf(labels);
  }
}

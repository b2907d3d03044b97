package io.jstack.engine;

import java.util.Map;

/** What an engine reports about a network. */
public record NetworkInfo(
    String id, String name, String driver, boolean internal, Map<String, String> labels) {
  public NetworkInfo {
    labels = Map.copyOf(labels);
  }
}

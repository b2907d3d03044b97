package io.jstack.engine;

import java.util.Map;

/**
 * What an engine reports about a volume.
 *
 * @param mountpoint where its data is on the engine's host ("" when not reported)
 * @param scope {@code local}, or {@code global} for a cluster's
 * @param createdAt when it was made, as the engine writes it (RFC 3339; "" when not reported)
 * @param options its driver's options
 */
public record VolumeInfo(
    String name,
    String driver,
    Map<String, String> labels,
    String mountpoint,
    String scope,
    String createdAt,
    Map<String, String> options) {
  public VolumeInfo {
    labels = Map.copyOf(labels);
    options = Map.copyOf(options);
  }

  /** A local volume with nothing more known of it than its name, driver and labels. */
  public VolumeInfo(String name, String driver, Map<String, String> labels) {
    this(name, driver, labels, "", "local", "", Map.of());
  }
}

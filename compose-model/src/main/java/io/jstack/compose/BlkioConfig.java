package io.jstack.compose;

import java.util.List;

/** Block IO limits ({@code blkio_config:}). */
public record BlkioConfig(
    List<BlkioLimit> deviceReadBps,
    List<BlkioLimit> deviceReadIops,
    List<BlkioLimit> deviceWriteBps,
    List<BlkioLimit> deviceWriteIops,
    Integer weight,
    List<BlkioWeight> weightDevice) {

  /** A rate limit on one device; {@code rate} is bytes or operations per second. */
  public record BlkioLimit(String path, ByteSize rate) {}

  /** A relative weight for one device. */
  public record BlkioWeight(String path, Integer weight) {}
}

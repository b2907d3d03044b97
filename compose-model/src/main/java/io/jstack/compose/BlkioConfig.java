package io.jstack.compose;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Block IO limits ({@code blkio_config:}). */
public record BlkioConfig(
    List<BlkioLimit> deviceReadBps,
    List<BlkioLimit> deviceReadIops,
    List<BlkioLimit> deviceWriteBps,
    List<BlkioLimit> deviceWriteIops,
    @Nullable Integer weight,
    List<BlkioWeight> weightDevice) {

  /** A rate limit on one device; {@code rate} is bytes or operations per second. */
  public record BlkioLimit(@Nullable String path, @Nullable ByteSize rate) {}

  /** A relative weight for one device. */
  public record BlkioWeight(@Nullable String path, @Nullable Integer weight) {}
}

package io.jstack.compose;

import org.jspecify.annotations.Nullable;

/**
 * A resource limit: either one value for both soft and hard ({@code nofile: 1024}, kept as {@code
 * single} and written back the same way) or separate soft and hard values.
 */
public record Ulimit(@Nullable Long single, @Nullable Long soft, @Nullable Long hard) {
  /** The soft limit in force. */
  public long effectiveSoft() {
    return single != null ? single : soft == null ? 0 : soft;
  }

  /** The hard limit in force. */
  public long effectiveHard() {
    return single != null ? single : hard == null ? 0 : hard;
  }
}

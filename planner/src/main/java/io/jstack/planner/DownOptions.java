package io.jstack.planner;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The flags of {@code down}.
 *
 * @param removeVolumes {@code -v}: named volumes of the project and anonymous volumes
 * @param removeImages {@code --rmi}: {@code local} (images built for services without an image
 *     name) or {@code all}, or {@code null}
 * @param timeout {@code -t}, over each service's {@code stop_grace_period}; {@code null} when not
 *     given
 */
public record DownOptions(
    boolean removeVolumes,
    boolean removeOrphans,
    @Nullable String removeImages,
    @Nullable Duration timeout) {
  public static DownOptions defaults() {
    return new DownOptions(false, false, null, null);
  }
}

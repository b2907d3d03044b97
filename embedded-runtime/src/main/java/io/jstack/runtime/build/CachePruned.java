package io.jstack.runtime.build;

import java.util.List;

/**
 * What a prune of the build cache reclaimed, as dockerd's {@code POST /build/prune} answers it.
 *
 * @param deleted the cache entries removed: step keys, and {@code mount:<id>} for cache mounts
 * @param reclaimed the bytes freed on disk
 */
public record CachePruned(List<String> deleted, long reclaimed) {
  public CachePruned {
    deleted = List.copyOf(deleted);
  }
}

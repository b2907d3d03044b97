package io.jstack.runtime.engine;

import java.util.List;
import java.util.Optional;

/**
 * What an image removal did: the names it took off, then the image (its config digest) it deleted,
 * none when the image keeps another name or a container uses it.
 */
public record ImageRemoval(List<String> untagged, Optional<String> deleted) {
  public ImageRemoval {
    untagged = List.copyOf(untagged);
  }
}

package io.jstack.engine.docker;

import io.jstack.engine.ImageReference;
import org.jspecify.annotations.Nullable;

/**
 * An image reference as the Docker API's image routes take it: a repository (pull's {@code
 * fromImage}, push's path, tag's {@code repo}) and a tag beside it, {@code latest} when none is
 * written. A reference with a digest goes whole, without a tag. Names go in Docker's short form
 * ({@code nginx}, {@code team/app}, {@code host:5000/app}).
 *
 * @param tag null for a reference with a digest, or one the parser refuses
 */
record RepoTag(String repository, @Nullable String tag) {
  static RepoTag of(String reference) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(reference);
    } catch (IllegalArgumentException e) {
      // The engine judges what the parser refuses, with its own status and message.
      return new RepoTag(reference, null);
    }
    return ref.digest() != null
        ? new RepoTag(ref.familiar(), null)
        : new RepoTag(ref.familiarName(), ref.tag());
  }
}

package io.jstack.engine.docker;

/** Splitting image references the way the Docker API's pull wants them. */
final class ImageReferences {
  private ImageReferences() {}

  /**
   * {@code [name, tag]}: {@code nginx:1.27} → {@code [nginx, 1.27]}, {@code host:5000/app} → {@code
   * [host:5000/app, latest]}, {@code app@sha256:...} → {@code [app@sha256:..., null]}.
   */
  static String[] split(String reference) {
    if (reference.contains("@")) {
      return new String[] {reference, null};
    }
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    if (colon > slash) {
      return new String[] {reference.substring(0, colon), reference.substring(colon + 1)};
    }
    return new String[] {reference, "latest"};
  }
}

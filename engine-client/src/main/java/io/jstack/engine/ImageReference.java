package io.jstack.engine;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed image reference, normalised as Docker does: {@code busybox} is {@code
 * docker.io/library/busybox:latest}; {@code 127.0.0.1:5000/app@sha256:...} names a digest. The
 * first path component is a registry when it has a {@code .} or a {@code :} or is {@code
 * localhost}; the repository is lower-case path components (Docker's grammar), at most 255
 * characters with its registry; a tag is {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}; a digest is
 * {@code sha256:} and 64 hex digits.
 *
 * <p>The one parser of image references, for the client, the CLI and the embedded engine alike.
 *
 * @param registry the registry host (and port), {@code docker.io} for Docker Hub
 * @param repository the repository path within the registry
 * @param tag the tag, or null when only a digest is given
 * @param digest {@code sha256:...}, or null
 */
public record ImageReference(
    String registry, String repository, @Nullable String tag, @Nullable String digest) {
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** Docker Hub's name in references. */
  public static final String DOCKER_HUB = "docker.io";

  /**
   * The registry a server address of Docker's credentials names, as {@link #registry()} names it:
   * {@code https://registry.example:5000/v2/} is {@code registry.example:5000}, and Docker Hub's
   * addresses ({@code https://index.docker.io/v1/}, {@code registry-1.docker.io}) are {@link
   * #DOCKER_HUB}.
   */
  public static String registryOf(String serverAddress) {
    String host = serverAddress.strip().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io")
        ? DOCKER_HUB
        : host;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what is wrong and the expected form
   */
  public static ImageReference parse(String text) {
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, "the digest must be sha256: and 64 hex digits");
      }
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "the tag '" + Names.printable(tag) + "' is not valid");
      }
    }
    if (rest.length() > 255) {
      throw invalid(text, "repository name must not be more than 255 characters");
    }
    String registry = DOCKER_HUB;
    int first = rest.indexOf('/');
    if (first > 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        registry = head;
        rest = rest.substring(first + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!REPOSITORY.matcher(rest).matches()) {
      throw invalid(
          text,
          "the repository '" + Names.printable(rest) + "' must be lower-case path components");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "invalid image reference '"
            + Names.printable(text)
            + "': "
            + why
            + " (expected [HOST[:PORT]/]NAME[:TAG][@sha256:DIGEST])");
  }

  /** The host the registry API answers on ({@code registry-1.docker.io} for Docker Hub). */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  /** What to ask the registry's manifest endpoint for: the digest if given, else the tag. */
  public String manifestReference() {
    // A reference built without either means latest, as parse() gives it.
    return digest != null ? digest : tag != null ? tag : "latest";
  }

  /** This reference with another tag and no digest. */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /**
   * The short form Docker shows: without {@code docker.io/}, and without {@code library/} for
   * official images.
   */
  public String familiar() {
    String full = toString();
    if (!registry.equals(DOCKER_HUB)) {
      return full;
    }
    String rest = full.substring(DOCKER_HUB.length() + 1);
    return rest.startsWith("library/") ? rest.substring("library/".length()) : rest;
  }

  /**
   * The repository's short form, without tag or digest: {@code nginx} for {@code
   * docker.io/library/nginx:1.27}, {@code team/app}, {@code host:5000/app}.
   */
  public String familiarName() {
    if (!registry.equals(DOCKER_HUB)) {
      return registry + "/" + repository;
    }
    return repository.startsWith("library/")
        ? repository.substring("library/".length())
        : repository;
  }

  /** The full form: {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}

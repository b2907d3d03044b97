package io.jstack.runtime.build.internal;

import io.jstack.engine.docker.GoPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * ADD's URL sources, as BuildKit's HTTP source: the file is named after the URL path's last element
 * ({@code __unnamed__} when it has none), has mode 0600 and root's owner, takes its modification
 * time from {@code Last-Modified} when the server sends one, and is never unpacked. With {@code
 * --checksum} its digest must match.
 */
public final class Downloads {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  private Downloads() {}

  /** Whether ADD reads {@code source} from the network. */
  public static boolean isUrl(String source) {
    return source.startsWith("http://") || source.startsWith("https://");
  }

  /** Whether {@code source} names a git repository (which ADD would clone). */
  public static boolean isGit(String source) {
    return source.startsWith("git@")
        || source.startsWith("git://")
        || (isUrl(source) && source.replaceAll("[#?].*$", "").endsWith(".git"));
  }

  /** The name BuildKit gives the downloaded file. */
  public static String fileName(String url) {
    String p;
    try {
      p = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      return "__unnamed__";
    }
    String base = p == null ? "" : GoPaths.clean("/" + p);
    base = base.substring(base.lastIndexOf('/') + 1);
    return base.isEmpty() || base.equals(".") ? "__unnamed__" : base;
  }

  /**
   * Downloads {@code url} into directory {@code dir} as {@link #fileName}; the file written.
   *
   * @param checksum {@code sha256:HEX} (or sha384, sha512), or empty for none
   * @throws IllegalArgumentException when the server does not answer 2xx, or the checksum differs
   */
  public static Path fetch(String url, String checksum, Path dir) throws IOException {
    MessageDigest digest = digest(checksum.isEmpty() ? "sha256:" : checksum);
    Path file = dir.resolve(fileName(url));
    HttpResponse<InputStream> response;
    try {
      response =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid URL " + url + ": " + e.getMessage(), e);
    }
    try (InputStream in = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new IllegalArgumentException(
            "invalid response status " + response.statusCode() + " from " + url);
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
        in.transferTo(out);
      }
    }
    if (!checksum.isEmpty()) {
      String got =
          checksum.substring(0, checksum.indexOf(':') + 1)
              + HexFormat.of().formatHex(digest.digest());
      if (!got.equalsIgnoreCase(checksum)) {
        throw new IllegalArgumentException(
            "digest mismatch for " + url + ": expected " + checksum + ", got " + got);
      }
    }
    Files.setAttribute(file, "unix:mode", 0600);
    response
        .headers()
        .firstValue("Last-Modified")
        .ifPresent(
            v -> {
              try {
                Files.setLastModifiedTime(
                    file,
                    FileTime.from(
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
              } catch (DateTimeParseException | IOException ignored) {
                // A date the server garbles leaves the download's own time, as BuildKit.
              }
            });
    return file;
  }

  /**
   * Checks a {@code --checksum} value.
   *
   * @throws IllegalArgumentException when it is not {@code ALGORITHM:HEX} of a known algorithm
   */
  public static void checkChecksum(String checksum) {
    digest(checksum);
    String hex = checksum.substring(checksum.indexOf(':') + 1);
    int length = digest(checksum).getDigestLength() * 2;
    if (hex.length() != length || !hex.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException(
          "invalid checksum digest format: " + checksum + " (want sha256:<64 hex digits>)");
    }
  }

  private static MessageDigest digest(String checksum) {
    int colon = checksum.indexOf(':');
    String algorithm = colon < 0 ? "" : checksum.substring(0, colon).toLowerCase(Locale.ROOT);
    String java =
        switch (algorithm) {
          case "sha256" -> "SHA-256";
          case "sha384" -> "SHA-384";
          case "sha512" -> "SHA-512";
          default ->
              throw new IllegalArgumentException(
                  "unsupported checksum " + checksum + " (want sha256:<64 hex digits>)");
        };
    try {
      return MessageDigest.getInstance(java);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(java + " is part of every JDK", e);
    }
  }
}

package io.jstack.runtime.image;

import static io.jstack.runtime.image.RegistryClient.short12;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.RegistryClient.Progress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Uploads blobs of the {@link ImageStore} for {@link RegistryClient}, as the distribution spec's
 * push does: a {@code HEAD} to skip what the registry has, then one {@code PUT} for a small blob,
 * or {@code PATCH}es of {@code chunkSize} bytes and a closing {@code PUT} for a large one.
 */
final class BlobPusher {
  private final RegistryHttp registry;
  private final ImageStore store;
  private final long chunkSize;
  private final Consumer<Progress> progress;

  BlobPusher(RegistryHttp registry, ImageStore store, long chunkSize, Consumer<Progress> progress) {
    this.registry = registry;
    this.store = store;
    this.chunkSize = chunkSize;
    this.progress = progress;
  }

  /** Uploads stored blob {@code digest} to {@code target}'s repository unless it is there. */
  void push(ImageReference target, String digest) throws IOException {
    String id = short12(digest);
    URI head = registry.api(target, "/blobs/" + digest);
    HttpResponse<Void> exists =
        registry.sendAllowing(
            target,
            "pull,push",
            () -> HttpRequest.newBuilder(head).method("HEAD", HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            "blob " + digest,
            Set.of(404));
    if (exists.statusCode() == 200) {
      progress.accept(new Progress(id, "Layer already exists", -1, -1));
      return;
    }
    Path file = store.blobPath(digest);
    long size = Files.size(file);
    URI start = registry.api(target, "/blobs/uploads/");
    HttpResponse<Void> began =
        registry.send(
            target,
            "pull,push",
            () -> HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.discarding(),
            "upload of " + digest);
    URI location = location(start, began.headers(), "upload of " + digest);
    progress.accept(new Progress(id, "Pushing", 0, size));
    long chunk = chunkSize;
    if (size > chunk) {
      long offset = 0;
      while (offset < size) {
        long from = offset;
        long len = Math.min(chunk, size - offset);
        URI at = location;
        HttpResponse<Void> patched =
            registry.send(
                target,
                "pull,push",
                () ->
                    HttpRequest.newBuilder(at)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", from + "-" + (from + len - 1))
                        .method(
                            "PATCH",
                            HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(
                                    () -> slice(file, from, len)),
                                len)),
                HttpResponse.BodyHandlers.discarding(),
                "upload of " + digest);
        location = location(at, patched.headers(), "upload of " + digest);
        offset += len;
        progress.accept(new Progress(id, "Pushing", offset, size));
      }
      URI done = withDigest(location, digest);
      registry.send(
          target,
          "pull,push",
          () -> HttpRequest.newBuilder(done).PUT(HttpRequest.BodyPublishers.noBody()),
          HttpResponse.BodyHandlers.discarding(),
          "upload of " + digest);
    } else {
      URI done = withDigest(location, digest);
      registry.send(
          target,
          "pull,push",
          () ->
              HttpRequest.newBuilder(done)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, 0, size)),
                          size)),
          HttpResponse.BodyHandlers.discarding(),
          "upload of " + digest);
    }
    progress.accept(new Progress(id, "Pushed", size, size));
  }

  /** {@code len} bytes of {@code file} from {@code from} on. */
  private static InputStream slice(Path file, long from, long len) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(from);
      return new FilterInputStream(in) {
        long left = len;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int r = super.read(b, off, (int) Math.min(n, left));
          if (r > 0) {
            left -= r;
          }
          return r;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the upload goes on: the answer's {@code Location}, relative to {@code base}. */
  private static URI location(URI base, HttpHeaders headers, String what) {
    String loc =
        headers
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new EngineException(
                        "the registry answered the " + what + " without a Location"));
    return base.resolve(loc);
  }

  /** The upload's location with the {@code digest} parameter that completes it. */
  private static URI withDigest(URI location, String digest) {
    String s = location.toString();
    return URI.create(
        s
            + (s.contains("?") ? "&" : "?")
            + "digest="
            + URLEncoder.encode(digest, StandardCharsets.UTF_8));
  }
}

package io.jstack.runtime.image;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.RegistryClient.Progress;
import io.jstack.runtime.image.internal.Digests;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Downloads blobs for {@link RegistryClient} into the {@link ImageStore}, which checks each against
 * its digest; a blob the store has is not fetched again. Reports progress every MiB.
 */
final class BlobPuller {
  private final RegistryHttp registry;
  private final ImageStore store;
  private final Consumer<Progress> progress;

  BlobPuller(RegistryHttp registry, ImageStore store, Consumer<Progress> progress) {
    this.registry = registry;
    this.store = store;
    this.progress = progress;
  }

  /**
   * Stores blob {@code digest} of {@code ref}'s repository, reporting its progress as {@code id}.
   *
   * @param size its size as the manifest gives it, or -1 when unknown
   */
  void pull(ImageReference ref, String digest, long size, String id) throws IOException {
    if (store.hasBlob(digest)) {
      return;
    }
    Digests.hex(digest);
    URI uri = registry.api(ref, "/blobs/" + digest);
    HttpResponse<InputStream> r =
        registry.send(
            ref,
            "pull",
            () -> HttpRequest.newBuilder(uri).GET(),
            HttpResponse.BodyHandlers.ofInputStream(),
            "blob " + digest + " of " + ref);
    long total = size >= 0 ? size : r.headers().firstValueAsLong("Content-Length").orElse(-1);
    progress.accept(new Progress(id, "Downloading", 0, total));
    try (InputStream body =
        new Counting(r.body(), n -> progress.accept(new Progress(id, "Downloading", n, total)))) {
      store.putBlob(digest, size, body);
    }
    progress.accept(new Progress(id, "Download complete", total, total));
  }

  /** Counts bytes read and reports every 1 MiB. */
  private static final class Counting extends FilterInputStream {
    private final LongConsumer report;
    private long n;
    private long reported;

    Counting(InputStream in, LongConsumer report) {
      super(in);
      this.report = report;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        n += r;
        if (n - reported >= (1 << 20)) {
          reported = n;
          report.accept(n);
        }
      }
      return r;
    }
  }
}

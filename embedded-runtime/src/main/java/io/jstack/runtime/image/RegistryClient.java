package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.internal.Digests;
import io.jstack.runtime.internal.Daemons;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Pulls images from and pushes them to registries that speak the OCI distribution API, into and out
 * of an {@link ImageStore}. Every manifest, config and layer is checked against its digest, and
 * every layer's uncompressed content against the config's {@code diff_ids}.
 *
 * <p>Auth: anonymous, Bearer tokens from the registry's {@code WWW-Authenticate} challenge, and
 * basic credentials from {@code ~/.docker/config.json} ({@code auths}). Redirects are followed by
 * hand so that credentials never go to another host. Plain HTTP only for loopback registries and
 * those listed as insecure. Transient failures (I/O, 5xx, 429) are retried with back-off; layers
 * download in parallel.
 */
public final class RegistryClient {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  /**
   * How to reach registries.
   *
   * @param insecure registries (host[:port]) to reach over plain HTTP besides loopback ones
   * @param dockerConfig the {@code config.json} with credentials, or null for none
   * @param platform {@code os/architecture[/variant]} to pick from multi-platform images
   * @param parallelism layers fetched at once
   * @param chunkSize blobs larger than this are uploaded in chunks of this size
   */
  public record Options(
      Set<String> insecure, Path dockerConfig, String platform, int parallelism, long chunkSize) {
    public Options {
      insecure = Set.copyOf(insecure);
    }

    /** The host's platform, {@code ~/.docker/config.json}, 3 layers at once. */
    public static Options defaults() {
      return new Options(
          Set.of(),
          Path.of(System.getProperty("user.home"), ".docker", "config.json"),
          hostPlatform(),
          3,
          16L << 20);
    }

    public Options withInsecure(Set<String> hosts) {
      return new Options(hosts, dockerConfig, platform, parallelism, chunkSize);
    }

    public Options withPlatform(String os) {
      return new Options(insecure, dockerConfig, os, parallelism, chunkSize);
    }

    public Options withDockerConfig(Path config) {
      return new Options(insecure, config, platform, parallelism, chunkSize);
    }

    public Options withChunkSize(long bytes) {
      return new Options(insecure, dockerConfig, platform, parallelism, bytes);
    }
  }

  /** A progress report: a blob's bytes so far, or a step of the image ({@code total} -1). */
  public record Progress(String id, String status, long current, long total) {}

  private final ImageStore store;
  private final Options options;
  private final Consumer<Progress> progress;
  private final RegistryHttp registry;

  public RegistryClient(ImageStore store, Options options, Consumer<Progress> progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
    this.registry = new RegistryHttp(options);
  }

  /** The JVM's platform in OCI terms, e.g. {@code linux/amd64}. */
  public static String hostPlatform() {
    String arch = System.getProperty("os.arch");
    return "linux/"
        + switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          case "x86", "i386" -> "386";
          default -> arch;
        };
  }

  // ---------------------------------------------------------------- pull

  /**
   * Pulls {@code ref} into the store (blobs, unpacked layers, and the tag when {@code ref} has one)
   * and returns the digest of its platform manifest.
   */
  public String pull(ImageReference ref) {
    Fetched top = fetchManifest(ref, ref.manifestReference(), ref.digest());
    Fetched manifest = top;
    if (top.mediaType().equals(OCI_INDEX) || top.mediaType().equals(DOCKER_LIST)) {
      store.putBlob(top.body());
      String chosen = choosePlatform(ref, top.json());
      manifest = fetchManifest(ref, chosen, chosen);
    }
    String manifestDigest = store.putBlob(manifest.body());
    JsonNode m = manifest.json();
    String configDigest = m.path("config").path("digest").asText();
    try {
      fetchBlob(ref, configDigest, m.path("config").path("size").asLong(-1), "config");
    } catch (IOException e) {
      throw new EngineException("pulling the config of " + ref + " failed: " + e.getMessage(), e);
    }
    ImageStore.Image image = store.image(manifestDigest);
    // Downloads first, all in parallel; then unpacking, also in parallel. Overlapping the two on
    // a small machine slows the downloads without ending the pull sooner.
    List<LayerTask> fetches = new ArrayList<>();
    List<LayerTask> unpacks = new ArrayList<>();
    for (int i = 0; i < image.layers().size(); i++) {
      ImageStore.Layer layer = image.layers().get(i);
      String diffId = image.diffIds().get(i);
      // Every blob the manifest names is stored, even for a layer already unpacked (from another
      // image, or a load): a push of this image sends the same manifest, so the same blobs.
      fetches.add(() -> fetchBlob(ref, layer.digest(), layer.size(), short12(layer.digest())));
      unpacks.add(
          () -> {
            if (store.layer(diffId).isEmpty()) {
              unpack(layer, diffId);
            }
            progress.accept(new Progress(short12(layer.digest()), "Pull complete", -1, -1));
          });
    }
    inParallel(fetches, "pulling " + ref);
    inParallel(unpacks, "unpacking " + ref);
    if (ref.tag() != null) {
      store.tag(ref, manifestDigest);
    }
    progress.accept(new Progress(ref.toString(), "Digest: " + manifestDigest, -1, -1));
    return manifestDigest;
  }

  private void unpack(ImageStore.Layer layer, String diffId) throws IOException {
    progress.accept(new Progress(short12(layer.digest()), "Extracting", -1, -1));
    try (InputStream raw = Files.newInputStream(store.blobPath(layer.digest()));
        InputStream tar = decompress(layer.mediaType(), raw)) {
      store.putLayer(diffId, tar);
    }
  }

  /** The uncompressed stream of a layer blob, by its media type. */
  static InputStream decompress(String mediaType, InputStream in) throws IOException {
    if (mediaType.endsWith("gzip")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (mediaType.endsWith("zstd")) {
      return new org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream(in);
    }
    if (mediaType.endsWith(".tar") || mediaType.endsWith("tar")) {
      return in;
    }
    throw new EngineException(
        "layers of type " + mediaType + " are not supported (gzip, zstd and plain tar are)");
  }

  private record Fetched(byte[] body, String mediaType, JsonNode json) {}

  private Fetched fetchManifest(ImageReference ref, String reference, String expectedDigest) {
    URI uri = registry.api(ref, "/manifests/" + reference);
    HttpResponse<byte[]> r =
        registry.send(
            ref,
            "pull",
            () -> HttpRequest.newBuilder(uri).header("Accept", ACCEPT).GET(),
            HttpResponse.BodyHandlers.ofByteArray(),
            "manifest of " + ref);
    byte[] body = r.body();
    String digest = Digests.of(body);
    if (expectedDigest != null && !digest.equals(expectedDigest)) {
      throw new EngineException(
          "the manifest "
              + expectedDigest
              + " of "
              + ref
              + " arrived with digest "
              + digest
              + ": the registry sent other content; check the registry");
    }
    Optional<String> said = r.headers().firstValue("Docker-Content-Digest");
    if (said.isPresent() && said.get().startsWith("sha256:") && !said.get().equals(digest)) {
      throw new EngineException(
          "the manifest of "
              + ref
              + " has digest "
              + digest
              + " but the registry says "
              + said.get()
              + ": check the registry");
    }
    JsonNode json;
    try {
      json = ImageStore.JSON.readTree(body);
    } catch (IOException e) {
      throw new EngineException("the manifest of " + ref + " is not JSON: " + e.getMessage(), e);
    }
    String type = json.path("mediaType").asText(r.headers().firstValue("Content-Type").orElse(""));
    if (type.isEmpty()
        || !(type.equals(OCI_INDEX)
            || type.equals(DOCKER_LIST)
            || type.equals(OCI_MANIFEST)
            || type.equals(DOCKER_MANIFEST))) {
      type = json.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
    }
    return new Fetched(body, type, json);
  }

  private String choosePlatform(ImageReference ref, JsonNode index) {
    String[] want = options.platform().split("/");
    List<String> offered = new ArrayList<>();
    for (JsonNode d : index.path("manifests")) {
      JsonNode p = d.path("platform");
      String os = p.path("os").asText();
      String arch = p.path("architecture").asText();
      String variant = p.path("variant").asText("");
      offered.add(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
      if (os.equals(want[0])
          && arch.equals(want[1])
          && (want.length < 3 || variant.equals(want[2]))) {
        return d.path("digest").asText();
      }
    }
    throw new EngineException(
        "image "
            + ref
            + " has no variant for "
            + options.platform()
            + " (it has "
            + String.join(", ", offered)
            + "): pick one with --platform");
  }

  private void fetchBlob(ImageReference ref, String digest, long size, String id)
      throws IOException {
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

  // ---------------------------------------------------------------- push

  /**
   * Pushes the stored image {@code source} to {@code target}: every blob the registry lacks (one
   * request when small, in chunks when large), then the manifest; returns the manifest digest.
   */
  public String push(ImageReference source, ImageReference target) {
    String manifestDigest =
        store
            .resolve(source)
            .orElseThrow(
                () ->
                    new EngineException(
                        "no image " + source + " in the store: pull or load it first"));
    manifestDigest = compressed(store.image(manifestDigest), target);
    ImageStore.Image image = store.image(manifestDigest);
    List<String> blobs = new ArrayList<>();
    image.layers().forEach(l -> blobs.add(l.digest()));
    blobs.add(image.configDigest());
    List<LayerTask> uploads = new ArrayList<>();
    for (String b : blobs) {
      uploads.add(() -> pushBlob(target, b));
    }
    inParallel(uploads, "pushing to " + target);
    byte[] manifest = store.readBlob(manifestDigest);
    String type;
    try {
      type = ImageStore.JSON.readTree(manifest).path("mediaType").asText(OCI_MANIFEST);
    } catch (IOException e) {
      throw new EngineException("manifest " + manifestDigest + " is not JSON", e);
    }
    String tag = target.tag() != null ? target.tag() : manifestDigest;
    URI uri = registry.api(target, "/manifests/" + tag);
    HttpResponse<byte[]> r =
        registry.send(
            target,
            "pull,push",
            () ->
                HttpRequest.newBuilder(uri)
                    .header("Content-Type", type)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
            HttpResponse.BodyHandlers.ofByteArray(),
            "manifest of " + target);
    Optional<String> said = r.headers().firstValue("Docker-Content-Digest");
    if (said.isPresent() && !said.get().equals(manifestDigest)) {
      throw new EngineException(
          "the registry stored the manifest of "
              + target
              + " as "
              + said.get()
              + ", not "
              + manifestDigest);
    }
    progress.accept(new Progress(target.toString(), "Digest: " + manifestDigest, -1, -1));
    return manifestDigest;
  }

  /**
   * The manifest to push for {@code image}: its own when every layer is compressed, else one whose
   * uncompressed layers (a loaded {@code docker save} archive's) are gzipped into the store, as
   * {@code docker push} does. gzip here writes no time or name, so the same layer compresses to the
   * same blob at every push.
   */
  private String compressed(ImageStore.Image image, ImageReference target) {
    ObjectNode manifest;
    try {
      manifest = (ObjectNode) ImageStore.JSON.readTree(store.readBlob(image.manifestDigest()));
    } catch (IOException | ClassCastException e) {
      throw new EngineException("manifest " + image.manifestDigest() + " is not a JSON object", e);
    }
    List<LayerTask> compressions = new ArrayList<>();
    for (JsonNode node : manifest.path("layers")) {
      ObjectNode layer = (ObjectNode) node;
      String type = layer.path("mediaType").asText();
      if (!type.endsWith("tar")) {
        continue;
      }
      String digest = layer.path("digest").asText();
      compressions.add(
          () -> {
            progress.accept(new Progress(short12(digest), "Compressing", -1, -1));
            ImageStore.Blob gz;
            try (InputStream in = Files.newInputStream(store.blobPath(digest))) {
              gz =
                  store.writeBlob(
                      out -> {
                        GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
                        in.transferTo(gzip);
                        gzip.finish();
                      });
            }
            // Each task changes its own layer; the join below publishes the changes.
            layer.put(
                "mediaType",
                type.startsWith("application/vnd.docker.") ? type + ".gzip" : type + "+gzip");
            layer.put("digest", gz.digest());
            layer.put("size", gz.size());
          });
    }
    if (compressions.isEmpty()) {
      return image.manifestDigest();
    }
    inParallel(compressions, "compressing the layers of " + target);
    try {
      return store.putBlob(ImageStore.JSON.writeValueAsBytes(manifest));
    } catch (IOException e) {
      throw new EngineException("cannot write the manifest of " + target, e);
    }
  }

  private void pushBlob(ImageReference target, String digest) throws IOException {
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
    long chunk = options.chunkSize();
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

  private static InputStream slice(Path file, long from, long len) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(from);
      return new java.io.FilterInputStream(in) {
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
      throw new java.io.UncheckedIOException(e);
    }
  }

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

  private static URI withDigest(URI location, String digest) {
    String s = location.toString();
    return URI.create(
        s
            + (s.contains("?") ? "&" : "?")
            + "digest="
            + URLEncoder.encode(digest, StandardCharsets.UTF_8));
  }

  /** One transfer of a blob or layer. */
  private interface LayerTask {
    void run() throws IOException;
  }

  /** Runs {@code tasks}, {@code parallelism} at a time, and waits for all of them. */
  private void inParallel(List<LayerTask> tasks, String what) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, options.parallelism()), Daemons.named("jstack-registry"));
    try {
      List<Future<Void>> work = new ArrayList<>();
      for (LayerTask t : tasks) {
        work.add(
            pool.submit(
                () -> {
                  t.run();
                  return null;
                }));
      }
      for (Future<Void> f : work) {
        await(f, what);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for one transfer of {@code what}; failures other than ours say what was moving. */
  private static void await(Future<Void> f, String what) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException(
          what + " failed: " + c.getMessage() + " (check the data root's disk and permissions)", c);
    }
  }

  static String short12(String digest) {
    return digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
  }

  /** Counts bytes read and reports every 1 MiB. */
  private static final class Counting extends java.io.FilterInputStream {
    private final java.util.function.LongConsumer report;
    private long n;
    private long reported;

    Counting(InputStream in, java.util.function.LongConsumer report) {
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

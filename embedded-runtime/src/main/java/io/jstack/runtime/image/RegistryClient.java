package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.internal.ParallelGzip;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

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
 *
 * <p>This class holds the steps of a pull and a push; the registry calls are its collaborators':
 * {@link ManifestPuller}, {@link BlobPuller}, {@link BlobPusher}, over {@link RegistryHttp} and
 * {@link RegistryAuth}, run a few at a time by {@link ParallelTransfers}.
 */
public final class RegistryClient {
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /**
   * How to reach registries.
   *
   * @param insecure registries (host[:port]) to reach over plain HTTP besides loopback ones
   * @param dockerConfig the {@code config.json} with credentials, or null for none
   * @param platform {@code os/architecture[/variant]} to pick from multi-platform images
   * @param parallelism layers fetched at once
   * @param chunkSize blobs larger than this are uploaded in chunks of this size
   * @param credentials a client's own credentials, before those of {@code dockerConfig}; or null
   */
  public record Options(
      Set<String> insecure,
      Path dockerConfig,
      String platform,
      int parallelism,
      long chunkSize,
      @org.jspecify.annotations.Nullable RegistryCredentials credentials) {
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
          16L << 20,
          null);
    }

    public Options withInsecure(Set<String> hosts) {
      return new Options(hosts, dockerConfig, platform, parallelism, chunkSize, credentials);
    }

    public Options withPlatform(String os) {
      return new Options(insecure, dockerConfig, os, parallelism, chunkSize, credentials);
    }

    public Options withDockerConfig(Path config) {
      return new Options(insecure, config, platform, parallelism, chunkSize, credentials);
    }

    public Options withChunkSize(long bytes) {
      return new Options(insecure, dockerConfig, platform, parallelism, bytes, credentials);
    }

    /** With a client's own credentials (null: none). */
    public Options withCredentials(@org.jspecify.annotations.Nullable RegistryCredentials c) {
      return new Options(insecure, dockerConfig, platform, parallelism, chunkSize, c);
    }
  }

  /** A progress report: a blob's bytes so far, or a step of the image ({@code total} -1). */
  public record Progress(String id, String status, long current, long total) {}

  private final ImageStore store;
  private final Options options;
  private final Consumer<Progress> progress;
  private final RegistryHttp registry;
  private final ManifestPuller manifestPuller;
  private final BlobPuller blobPuller;
  private final BlobPusher blobPusher;

  public RegistryClient(ImageStore store, Options options, Consumer<Progress> progress) {
    this.store = store;
    this.options = options;
    this.progress = progress;
    this.registry = new RegistryHttp(options);
    this.manifestPuller = new ManifestPuller(registry);
    this.blobPuller = new BlobPuller(registry, store, progress);
    this.blobPusher = new BlobPusher(registry, store, options.chunkSize(), progress);
  }

  /**
   * Checks the credentials of the options with {@code registry} ({@code host[:port]}, or {@code
   * docker.io}), as {@code docker login}.
   *
   * @throws EngineException when the registry refuses them or cannot be reached
   */
  public void login(String registry) {
    this.registry.login(ImageReference.parse(registry + "/login/check"));
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
   *
   * @throws DiskFull when the data root has not the space for it, before the layers download when
   *     the manifest's sizes tell, else when a write fails for it
   */
  public String pull(ImageReference ref) {
    String doing = "pulling " + ref;
    // Asked again after a failure: the blobs that arrived whole stay, and need no more space.
    ImageStore.Image[] image = {null};
    return DiskFull.guard(
        store.dataRoot(),
        doing,
        () -> image[0] == null ? -1 : lacking(image[0]),
        () -> pull(ref, doing, image));
  }

  /**
   * The bytes the store lacks of {@code image}: the layer blobs it has not, and the same again for
   * each layer not unpacked. A layer unpacks to at least its compressed size; a guess of the
   * compression ratio could refuse a pull that fits.
   */
  private long lacking(ImageStore.Image image) {
    long bytes = 0;
    for (int i = 0; i < image.layers().size(); i++) {
      long size = Math.max(0, image.layers().get(i).size());
      bytes += store.hasBlob(image.layers().get(i).digest()) ? 0 : size;
      bytes += store.layer(image.diffIds().get(i)).isPresent() ? 0 : size;
    }
    return bytes;
  }

  private String pull(ImageReference ref, String doing, ImageStore.Image[] pulling) {
    ManifestPuller.Pulled top = manifestPuller.pull(ref, ref.manifestReference(), ref.digest());
    ManifestPuller.Pulled manifest = top;
    if (top.isIndex()) {
      store.putBlob(top.body());
      String chosen = ManifestPuller.choosePlatform(ref, top.json(), options.platform());
      manifest = manifestPuller.pull(ref, chosen, chosen);
    }
    String manifestDigest = store.putBlob(manifest.body());
    JsonNode m = manifest.json();
    String configDigest = m.path("config").path("digest").asText();
    try {
      blobPuller.pull(ref, configDigest, m.path("config").path("size").asLong(-1), "config");
    } catch (IOException e) {
      throw new EngineException("pulling the config of " + ref + " failed: " + e.getMessage(), e);
    }
    ImageStore.Image image = store.image(manifestDigest);
    pulling[0] = image;
    long lacking = lacking(image);
    DiskFull.require(store.dataRoot(), doing, lacking, lacking);
    // Downloads first, all in parallel; then unpacking, also in parallel. Overlapping the two on
    // a small machine slows the downloads without ending the pull sooner.
    List<ParallelTransfers.Transfer> fetches = new ArrayList<>();
    List<ParallelTransfers.Transfer> unpacks = new ArrayList<>();
    for (int i = 0; i < image.layers().size(); i++) {
      ImageStore.Layer layer = image.layers().get(i);
      String diffId = image.diffIds().get(i);
      // Every blob the manifest names is stored, even for a layer already unpacked (from another
      // image, or a load): a push of this image sends the same manifest, so the same blobs.
      fetches.add(
          () -> blobPuller.pull(ref, layer.digest(), layer.size(), short12(layer.digest())));
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
    store.tag(ref, manifestDigest); // by its tag, or by its digest: either way named, never lost
    progress.accept(new Progress(ref.toString(), "Digest: " + manifestDigest, -1, -1));
    return manifestDigest;
  }

  private void unpack(ImageStore.Layer layer, String diffId) throws IOException {
    progress.accept(new Progress(short12(layer.digest()), "Extracting", -1, -1));
    try (InputStream tar = store.openLayer(layer)) {
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
    List<ParallelTransfers.Transfer> pushes = new ArrayList<>();
    for (String b : blobs) {
      pushes.add(() -> blobPusher.push(target, b));
    }
    inParallel(pushes, "pushing to " + target);
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
    List<ParallelTransfers.Transfer> compressions = new ArrayList<>();
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
                        ParallelGzip gzip = new ParallelGzip(out);
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

  private void inParallel(List<ParallelTransfers.Transfer> tasks, String what) {
    ParallelTransfers.run(tasks, options.parallelism(), what);
  }

  static String short12(String digest) {
    return digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
  }
}

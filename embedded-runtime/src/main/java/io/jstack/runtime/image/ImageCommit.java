package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A new image from an image and a directory of changes over it (a container's overlay upper
 * directory): the changes as one more layer ({@link LayerWriter}, a plain tar until a push
 * compresses it, content-addressed, unpacked for containers), the image's config with that layer, a
 * history entry and the defaults given, and a manifest of the image's layers and the new one, in
 * the image's manifest format. What {@code docker commit} makes, and what each step of a build
 * will.
 */
public final class ImageCommit {
  // Layers made here are stored as plain tars, as dockerd and BuildKit keep theirs: a push
  // compresses them (RegistryClient), as it does loaded images' layers.
  private static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
  private static final String DOCKER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  /** The empty image a build's {@code FROM scratch} starts from (never stored itself). */
  private static final String SCRATCH_MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\"},"
          + "\"layers\":[]}";

  private static final String SCRATCH_CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
          + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"history\":[]}";

  /**
   * The diff IDs of a tar with no entries: two zero blocks (as Go's archive/tar ends one), or a
   * whole 10 KiB record of them (as commons-compress pads one).
   */
  private static final java.util.Set<String> EMPTY_TARS =
      java.util.Set.of(
          "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
          "sha256:84ff92691f909a05b224e1c56abb4864f01b4f8e3c854e4bb4c7baf1d3f6d652");

  /** How much of a layer's tar may wait for the unpacker. */
  private static final int PIPE_BUFFER = 4 << 20;

  private ImageCommit() {}

  /**
   * What the history of the new image says of its layer.
   *
   * @param created when it was made (also the config's {@code created}); with {@code clamp}, no
   *     time in the layer is later
   * @param createdBy what made it (a command line); null for no history entry when there is no
   *     layer (a config change BuildKit does not record, as ONBUILD)
   * @param comment, author as given, or null
   * @param clamp the latest time a file in the layer may carry (a build's {@code
   *     SOURCE_DATE_EPOCH}), or null
   */
  public record History(
      Instant created,
      @Nullable String createdBy,
      @Nullable String comment,
      @Nullable String author,
      @Nullable Instant clamp) {}

  /**
   * One entry of an image config's {@code history}.
   *
   * @param createdBy its {@code created_by}
   * @param emptyLayer whether it made no layer ({@code empty_layer})
   * @param json the whole entry, as the config has it
   */
  public record HistoryEntry(String createdBy, boolean emptyLayer, String json) {
    /** The history of {@code image}, in order. */
    public static java.util.List<HistoryEntry> of(ImageStore.Image image) {
      java.util.List<HistoryEntry> list = new java.util.ArrayList<>();
      for (JsonNode h : image.config().path("history")) {
        list.add(
            new HistoryEntry(
                h.path("created_by").asText(""),
                h.path("empty_layer").asBoolean(false),
                h.toString()));
      }
      return list;
    }
  }

  /** Whether RFC 3339 time {@code created} is after {@code clamp}; an unreadable one is. */
  private static boolean later(String created, java.time.Instant clamp) {
    try {
      return java.time.OffsetDateTime.parse(created).toInstant().isAfter(clamp);
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  /**
   * Makes the image and returns its manifest digest; tagged {@code as} when that is not null. With
   * {@code changes} null the history entry is an {@code empty_layer} one and no layer is added (a
   * build's metadata instruction); with {@code baseManifest} null the base is the empty image
   * ({@code scratch}).
   *
   * @throws EngineException when the store cannot be written, or the base image is incomplete
   */
  public static String commit(
      ImageStore store,
      @Nullable String baseManifest,
      @Nullable Path changes,
      ImageConfig defaults,
      History history,
      @Nullable ImageReference as) {
    return commit(store, baseManifest, changes, false, defaults, history, as);
  }

  /**
   * As {@link #commit(ImageStore, String, Path, ImageConfig, History, ImageReference)}; with {@code
   * take}, {@code changes} (no longer mounted, and the caller's to give away) becomes the layer's
   * unpacked directory in the store when it is on the store's file system, instead of the layer's
   * tar being unpacked again: what is left of it afterwards is still the caller's to remove.
   */
  public static String commit(
      ImageStore store,
      @Nullable String baseManifest,
      @Nullable Path changes,
      boolean take,
      ImageConfig defaults,
      History history,
      @Nullable ImageReference as) {
    try {
      JsonNode base =
          baseManifest == null
              ? ImageStore.JSON.readTree(SCRATCH_MANIFEST)
              : ImageStore.JSON.readTree(store.readBlob(baseManifest));
      boolean docker = base.path("mediaType").asText().equals(RegistryClient.DOCKER_MANIFEST);
      ImageStore.Blob layer = null;
      String diffId = null;
      if (changes != null) {
        Written written =
            take && store.canAdopt(changes)
                ? adopted(store, changes, history.clamp())
                : writeLayer(store, changes, history.clamp());
        if (EMPTY_TARS.contains(written.diffId())) {
          // As dockerd's commit: a layer with no entries is an empty_layer history entry.
          written.unpacked().discard();
        } else {
          written.unpacked().keep();
          layer = written.blob();
          diffId = written.diffId();
        }
      }
      ObjectNode entry = null;
      if (history.createdBy() != null || layer != null) {
        entry = ImageStore.JSON.createObjectNode();
        entry.put("created", history.created().toString());
        entry.put("created_by", history.createdBy() == null ? "" : history.createdBy());
        if (history.author() != null) {
          entry.put("author", history.author());
        }
        if (history.comment() != null) {
          entry.put("comment", history.comment());
        }
        if (layer == null) {
          entry.put("empty_layer", true);
        }
      }
      ImageStore.Layer added =
          layer == null
              ? null
              : new ImageStore.Layer(layer.digest(), docker ? DOCKER_TAR : OCI_TAR, layer.size());
      return write(
          store,
          baseManifest,
          base,
          added,
          diffId,
          defaults,
          history.created().toString(),
          history.author(),
          history.clamp(),
          entry,
          as);
    } catch (IOException e) {
      throw new EngineException("cannot commit the changes as an image: " + e.getMessage(), e);
    }
  }

  /**
   * Makes an image from {@code baseManifest} (null for scratch) and a layer the store already has
   * (another image's, unpacked as {@code diffId}; null for none) and returns its manifest digest,
   * tagged {@code as}: the base's layers and that one, a config with {@code defaults}, the base's
   * history and {@code history} copied as it is, and the entry's {@code created} (and {@code
   * author}, if it has one) as the config's. What dockerd's classic builder makes of a {@code
   * --cache-from} image's history entry ({@code image/cache.restoreCachedImage}): a step's image
   * without running the step.
   *
   * @throws EngineException when the store cannot be written, or the layer is not in it
   */
  public static String reuse(
      ImageStore store,
      @Nullable String baseManifest,
      ImageStore.@Nullable Layer layer,
      @Nullable String diffId,
      ImageConfig defaults,
      HistoryEntry history,
      ImageReference as) {
    if (layer != null
        && (diffId == null || !store.hasBlob(layer.digest()) || store.layer(diffId).isEmpty())) {
      throw new EngineException(
          "cannot reuse layer " + layer.digest() + ": the store does not have it unpacked");
    }
    try {
      ObjectNode entry = (ObjectNode) ImageStore.JSON.readTree(history.json());
      JsonNode base =
          ImageStore.JSON.readTree(
              baseManifest == null
                  ? SCRATCH_MANIFEST.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                  : store.readBlob(baseManifest));
      String created = entry.path("created").asText("");
      JsonNode author = entry.get("author");
      return write(
          store,
          baseManifest,
          base,
          layer,
          diffId,
          defaults,
          created,
          author == null ? null : author.asText(),
          null,
          entry,
          as);
    } catch (IOException e) {
      throw new EngineException("cannot make an image of a cached layer: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the config and manifest of an image: the base's and {@code layer} (null for none), the
   * config's {@code created} and {@code author} (null: the base's), history times clamped to {@code
   * clamp} (null: none), history {@code entry} (null for none) after the base's.
   */
  private static String write(
      ImageStore store,
      @Nullable String baseManifest,
      JsonNode base,
      ImageStore.@Nullable Layer layer,
      @Nullable String diffId,
      ImageConfig defaults,
      String created,
      @Nullable String author,
      @Nullable Instant clamp,
      @Nullable ObjectNode entry,
      @Nullable ImageReference as)
      throws IOException {
    JsonNode baseConfig =
        baseManifest == null
            ? ImageStore.JSON.readTree(SCRATCH_CONFIG)
            : ImageStore.JSON.readTree(store.readBlob(base.path("config").path("digest").asText()));
    ObjectNode config = baseConfig.deepCopy();
    config.put("created", created);
    if (author != null) {
      config.put("author", author);
    }
    defaults.writeTo(config.withObjectProperty("config"));
    ArrayNode diffIds =
        config.withObjectProperty("rootfs").put("type", "layers").withArrayProperty("diff_ids");
    if (layer != null) {
      diffIds.add(java.util.Objects.requireNonNull(diffId, "a layer has a diff id"));
    }
    if (clamp != null) {
      // As BuildKit with SOURCE_DATE_EPOCH: no history entry, the base's included, is later.
      for (JsonNode e : config.withArrayProperty("history")) {
        if (e instanceof ObjectNode o && later(o.path("created").asText(""), clamp)) {
          o.put("created", clamp.toString());
        }
      }
    }
    if (entry != null) {
      config.withArrayProperty("history").add(entry);
    }
    byte[] configBytes = ImageStore.JSON.writeValueAsBytes(config);
    String configDigest = store.putBlob(configBytes);

    ObjectNode manifest = base.deepCopy();
    ObjectNode c = manifest.withObjectProperty("config");
    c.put("digest", configDigest);
    c.put("size", configBytes.length);
    ArrayNode layers = manifest.withArrayProperty("layers");
    if (layer != null) {
      layers
          .addObject()
          .put("mediaType", layer.mediaType())
          .put("digest", layer.digest())
          .put("size", layer.size());
    }
    String manifestDigest = store.putBlob(ImageStore.JSON.writeValueAsBytes(manifest));
    if (as != null) {
      store.tag(as, manifestDigest);
    } else {
      store.keep(manifestDigest);
    }
    return manifestDigest;
  }

  /** A layer written: its blob (the tar), its diff ID, and its content unpacked for containers. */
  private record Written(ImageStore.Blob blob, String diffId, Unpacked unpacked) {}

  /** A layer's unpacked directory, not yet in the store's place for it. */
  private interface Unpacked {
    /** Puts it in its place in the store. */
    void keep() throws IOException;

    /** Leaves it out of the store (it has no entries). */
    void discard() throws IOException;
  }

  /**
   * Writes the layer of {@code changes} as a tar blob, whose digest is its diff ID (the tar is
   * stored uncompressed), and gives the directory itself, made what the tar unpacks to, to the
   * store: the layer's files are written once more (the tar), never a third time, and hashed once.
   */
  private static Written adopted(ImageStore store, Path changes, @Nullable Instant clamp)
      throws IOException {
    ImageStore.Blob blob = store.writeBlob(out -> LayerWriter.writeAsLayer(changes, out, clamp));
    return new Written(
        blob,
        blob.digest(),
        new Unpacked() {
          @Override
          public void keep() throws IOException {
            store.adopt(blob.digest(), changes);
          }

          @Override
          public void discard() {
            // The directory stays the caller's.
          }
        });
  }

  /**
   * Writes the layer of {@code changes} once, as a tar that goes both to its blob and to the
   * store's unpacker on a thread of its own, so that the two overlap rather than follow each other.
   */
  private static Written writeLayer(ImageStore store, Path changes, @Nullable Instant clamp)
      throws IOException {
    PipedInputStream toUnpack = new PipedInputStream(PIPE_BUFFER);
    PipedOutputStream pipe = new PipedOutputStream(toUnpack);
    CompletableFuture<ImageStore.Unpacked> unpacked = new CompletableFuture<>();
    Thread unpacker =
        new Thread(
            () -> {
              try (toUnpack) {
                unpacked.complete(store.unpack(toUnpack));
              } catch (IOException | RuntimeException | Error e) {
                unpacked.completeExceptionally(e);
              }
            },
            "layer-unpack");
    unpacker.setDaemon(true);
    unpacker.start();
    ImageStore.Blob blob;
    try {
      try (pipe) {
        blob =
            store.writeBlob(
                out -> {
                  OutputStream both = new Tee(out, pipe);
                  LayerWriter.write(changes, both, clamp);
                  both.flush();
                });
      }
    } catch (IOException | RuntimeException e) {
      // The pipe is closed: the unpacker ends (with a short tar's error, or an empty layer).
      try {
        joined(unpacked).discard();
      } catch (IOException | RuntimeException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    ImageStore.Unpacked done = joined(unpacked);
    return new Written(
        blob,
        done.diffId(),
        new Unpacked() {
          @Override
          public void keep() throws IOException {
            done.keep();
          }

          @Override
          public void discard() throws IOException {
            done.discard();
          }
        });
  }

  private static ImageStore.Unpacked joined(CompletableFuture<ImageStore.Unpacked> unpacked)
      throws IOException {
    try {
      return unpacked.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while a layer was unpacked");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }

  /** Writes what it is given to two streams, in order. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}

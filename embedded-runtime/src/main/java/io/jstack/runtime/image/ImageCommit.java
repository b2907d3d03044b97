package io.jstack.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A new image from an image and a directory of changes over it (a container's overlay upper
 * directory): the changes as one more layer ({@link LayerWriter}, gzip-compressed,
 * content-addressed, unpacked for containers), the image's config with that layer, a history entry
 * and the defaults given, and a manifest of the image's layers and the new one, in the image's
 * manifest format. What {@code docker commit} makes, and what each step of a build will.
 */
public final class ImageCommit {
  private static final String OCI_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final String DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private ImageCommit() {}

  /**
   * What the history of the new image says of its layer.
   *
   * @param created when it was made (also the config's {@code created}); with {@code clamp}, no
   *     time in the layer is later
   * @param createdBy what made it (a command line)
   * @param comment, author as given, or null
   * @param clamp the latest time a file in the layer may carry (a build's {@code
   *     SOURCE_DATE_EPOCH}), or null
   */
  public record History(
      Instant created,
      String createdBy,
      @Nullable String comment,
      @Nullable String author,
      @Nullable Instant clamp) {}

  /**
   * Makes the image and returns its manifest digest; tagged {@code as} when that is not null.
   *
   * @throws EngineException when the store cannot be written, or the base image is incomplete
   */
  public static String commit(
      ImageStore store,
      String baseManifest,
      Path changes,
      ImageConfig defaults,
      History history,
      @Nullable ImageReference as) {
    try {
      JsonNode base = ImageStore.JSON.readTree(store.readBlob(baseManifest));
      boolean docker = base.path("mediaType").asText().equals(RegistryClient.DOCKER_MANIFEST);
      MessageDigest diff = Digests.sha256();
      ImageStore.Blob layer =
          store.writeBlob(
              out -> {
                GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
                DigestOutputStream tar = new DigestOutputStream(gz, diff);
                LayerWriter.write(changes, tar, history.clamp());
                tar.flush();
                gz.finish();
              });
      String diffId = Digests.format(diff.digest());
      try (InputStream in =
          new GZIPInputStream(Files.newInputStream(store.blobPath(layer.digest())), 1 << 16)) {
        store.putLayer(diffId, in);
      }

      JsonNode baseConfig =
          ImageStore.JSON.readTree(store.readBlob(base.path("config").path("digest").asText()));
      ObjectNode config = baseConfig.deepCopy();
      config.put("created", history.created().toString());
      if (history.author() != null) {
        config.put("author", history.author());
      }
      defaults.writeTo(config.withObjectProperty("config"));
      config
          .withObjectProperty("rootfs")
          .put("type", "layers")
          .withArrayProperty("diff_ids")
          .add(diffId);
      ObjectNode h = config.withArrayProperty("history").addObject();
      h.put("created", history.created().toString());
      h.put("created_by", history.createdBy());
      if (history.author() != null) {
        h.put("author", history.author());
      }
      if (history.comment() != null) {
        h.put("comment", history.comment());
      }
      byte[] configBytes = ImageStore.JSON.writeValueAsBytes(config);
      String configDigest = store.putBlob(configBytes);

      ObjectNode manifest = base.deepCopy();
      ObjectNode c = manifest.withObjectProperty("config");
      c.put("digest", configDigest);
      c.put("size", configBytes.length);
      ArrayNode layers = manifest.withArrayProperty("layers");
      layers
          .addObject()
          .put("mediaType", docker ? DOCKER_GZIP : OCI_GZIP)
          .put("digest", layer.digest())
          .put("size", layer.size());
      String manifestDigest = store.putBlob(ImageStore.JSON.writeValueAsBytes(manifest));
      if (as != null) {
        store.tag(as, manifestDigest);
      } else {
        store.keep(manifestDigest);
      }
      return manifestDigest;
    } catch (IOException e) {
      throw new EngineException("cannot commit the changes as an image: " + e.getMessage(), e);
    }
  }
}

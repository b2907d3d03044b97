package io.jstack.runtime.api;

import io.jstack.engine.ImageReference;
import io.jstack.runtime.engine.ImageRemoval;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import io.jstack.runtime.image.RegistryCredentials;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** What {@link ImageRoutes} and {@link SystemRoutes} need of the engine: the stored images. */
interface ImageService {
  /** Every tag (untagged images under {@code @<digest>}) and the manifest digest it points to. */
  Map<String, String> tags();

  /** The stored image of {@code manifestDigest}. */
  ImageStore.Image image(String manifestDigest);

  /**
   * The size of the layer {@code diffId} as Docker gives it ({@link
   * io.jstack.runtime.image.internal.DiffSize}), when its content is unpacked here.
   */
  java.util.OptionalLong diffSize(String diffId);

  /** The manifest digest of the image {@code reference} (a name, an ID or its prefix) names. */
  Optional<String> findImage(String reference);

  /**
   * Gives the image {@code source} names (an ID or a name) the name {@code target}.
   *
   * @throws io.jstack.engine.EngineException.NotFound when there is no such image
   */
  void tag(String source, ImageReference target);

  /**
   * Pushes the stored image {@code ref} to its registry with the client's {@code credentials}
   * (null: the engine host's), telling {@code progress} how it goes; returns its manifest digest.
   */
  String push(
      ImageReference ref,
      @org.jspecify.annotations.Nullable RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> progress);

  /** The images (config digests) that containers, running or not, are made from. */
  java.util.Set<String> imagesInUse();

  /** Removes a name, or with an ID every name, as {@code docker rmi} does. */
  ImageRemoval removeImage(String reference, boolean force);

  /**
   * Pulls {@code ref} from its registry with the client's {@code credentials} (null: the engine
   * host's), telling {@code progress} how it goes.
   */
  void pull(
      ImageReference ref,
      @org.jspecify.annotations.Nullable RegistryCredentials credentials,
      Consumer<RegistryClient.Progress> progress);

  /**
   * Checks {@code credentials} with their registry ({@code docker login}).
   *
   * @throws io.jstack.engine.EngineException.Unauthorized when it refuses them
   */
  void login(RegistryCredentials credentials);

  /** Loads a {@code docker save} or OCI archive, read as it arrives; the images it held. */
  List<ImageArchives.Loaded> load(InputStream archive);

  /**
   * Writes the images {@code refs} as one archive ({@code docker save}).
   *
   * @throws io.jstack.engine.EngineException.NotFound naming the first that is not here
   */
  void save(List<ImageReference> refs, java.io.OutputStream out);

  /**
   * Makes an image of a container's changes ({@code docker commit}), named {@code reference} unless
   * null, its defaults changed by the Dockerfile instructions {@code changes}; its id.
   */
  String commit(
      String container,
      @Nullable String reference,
      @Nullable String comment,
      @Nullable String author,
      List<String> changes,
      boolean pause);
}

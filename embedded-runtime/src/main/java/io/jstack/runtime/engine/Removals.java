package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.image.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The removal of images and volumes, which Docker refuses (or limits) while a container uses them.
 */
final class Removals {

  private final ContainerStore store;
  private final ImageStore images;
  private final Volumes volumes;

  Removals(ContainerStore store, ImageStore images, Volumes volumes) {
    this.store = store;
    this.images = images;
    this.volumes = volumes;
  }

  /**
   * Removes an image name, or with an ID every name of that image, as {@code docker rmi} does: an
   * image a container uses keeps its last name unless {@code force}, and is then kept unnamed.
   * Returns what was untagged and deleted.
   *
   * @throws EngineException.NotFound when there is no such image
   * @throws EngineException.Conflict when a container uses it and {@code force} is not set
   */
  ImageRemoval image(String reference, boolean force) {
    String manifest =
        images
            .find(reference)
            .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
    String configDigest = images.image(manifest).configDigest();
    // Docker counts the names of the image (its config), whichever manifest they came with.
    List<String> names = new ArrayList<>();
    images
        .tags()
        .forEach(
            (k, v) -> {
              if (!k.startsWith("@") && images.image(v).configDigest().equals(configDigest)) {
                names.add(k);
              }
            });
    boolean byId = ImageStore.isId(reference);
    if (byId && !force && names.stream().filter(n -> !n.contains("@")).count() > 1) {
      throw new EngineException.Conflict(
          "conflict: unable to delete "
              + configDigest.substring("sha256:".length(), "sha256:".length() + 12)
              + " (must be forced) - image is referenced in multiple repositories");
    }
    Optional<ContainerRecord> user =
        store.records().stream().filter(r -> r.imageId().equals(configDigest)).findFirst();
    if (user.isPresent() && !force && (byId || names.size() <= 1)) {
      throw new EngineException.Conflict(
          "conflict: unable to remove repository reference \""
              + reference
              + "\" (must force) - container "
              + user.get().id().substring(0, 12)
              + " is using its referenced image "
              + configDigest.substring("sha256:".length(), "sha256:".length() + 12));
    }
    List<String> untagged = new ArrayList<>();
    if (byId) {
      // Its names as Docker prints them; the key that keeps a nameless image is none.
      images.forget(manifest).stream()
          .filter(k -> !k.startsWith("@"))
          .map(k -> ImageReference.parse(k).familiar())
          .forEach(untagged::add);
    } else {
      ImageReference ref = ImageReference.parse(reference);
      images.untag(ref);
      untagged.add(ref.familiar());
    }
    Optional<String> deleted = Optional.empty();
    // The key that keeps a dangling image ("@<digest>") is no name: its last name gone, it goes,
    // unless a container runs on its layers.
    if (images.settle(manifest, user.isPresent()) == ImageStore.Settled.UNREFERENCED) {
      deleted = Optional.of(configDigest);
    }
    images.collectGarbage();
    return new ImageRemoval(untagged, deleted);
  }

  /** Removes a volume, unless a container uses it. */
  void volume(String name) {
    Optional<ContainerRecord> user = volumeUser(name);
    if (user.isPresent()) {
      throw new EngineException.Conflict(
          "volume is in use by container "
              + user.get().id()
              + " ("
              + user.get().name()
              + "): remove the container first");
    }
    volumes.remove(name);
  }

  /** A container, running or not, that mounts volume {@code name}; empty when none does. */
  Optional<ContainerRecord> volumeUser(String name) {
    for (ContainerRecord r : store.records()) {
      boolean named = false;
      for (ContainerSettings.Mount m : r.settings().host().mounts()) {
        named |= m.type().equals("volume") && m.source().equals(name);
      }
      named |= r.anonymousVolumes().contains(name);
      for (String b : r.settings().host().binds()) {
        named |= b.startsWith(name + ":");
      }
      if (named) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}

package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ImageReference;
import io.jstack.runtime.engine.ImageRemoval;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import io.jstack.runtime.image.RegistryCredentials;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** {@code /images}: list, inspect, history, remove, pull ({@code create}) and load (streamed). */
final class ImageRoutes {
  private final ImageService images;

  ImageRoutes(ImageService images) {
    this.images = images;
  }

  void register(Router r) {
    r.add(
            HttpMethod.GET,
            "/images/json",
            x -> {
              io.jstack.engine.ListFilters f = new io.jstack.engine.ListFilters(x.filters());
              x.json(
                  HttpResponseStatus.OK,
                  list(
                      x.filters().getOrDefault("reference", List.of()),
                      x.filters().getOrDefault("label", List.of()),
                      f.bool("dangling")));
            })
        .addStreaming(HttpMethod.POST, "/images/load", this::load)
        .add(HttpMethod.POST, "/images/create", this::pull)
        .add(HttpMethod.POST, "/images/prune", this::prune)
        .add(HttpMethod.POST, "/auth", this::login)
        .add(HttpMethod.POST, "/commit", this::commit)
        .add(HttpMethod.POST, "/images/{name*}/tag", this::tag)
        .add(HttpMethod.POST, "/images/{name*}/push", this::push)
        .add(HttpMethod.GET, "/images/get", x -> save(x, x.params("names")))
        .add(HttpMethod.GET, "/images/{name*}/get", x -> save(x, List.of(x.path("name"))))
        .add(
            HttpMethod.GET,
            "/images/{name*}/json",
            x -> x.json(HttpResponseStatus.OK, inspect(x.path("name"))))
        .add(
            HttpMethod.GET,
            "/images/{name*}/history",
            x -> x.json(HttpResponseStatus.OK, history(x.path("name"))))
        .add(
            HttpMethod.DELETE,
            "/images/{name*}",
            x ->
                x.json(
                    HttpResponseStatus.OK,
                    removal(images.removeImage(x.path("name"), x.flag("force")))));
  }

  /**
   * {@code POST /images/prune}, as dockerd answers it: the images no container (running or not) is
   * made from that have no tag ({@code dangling}, the default: a digest reference is no tag), or
   * with {@code dangling=false} every such image, its names taken off one by one; of the {@code
   * until} (created before; an image that says not when is kept) and {@code label}/{@code label!}
   * filters. {@code SpaceReclaimed}: the layers no image left holds. An image that cannot be read
   * or removed is left, and the rest go.
   */
  private void prune(Exchange x) {
    io.jstack.engine.ListFilters f = new io.jstack.engine.ListFilters(x.filters());
    f.requireOnly("image prune", "dangling", "until", "label", "label!");
    boolean danglingOnly = f.bool("dangling").orElse(true);
    Instant until = Durations.until(f, Instant.now());
    Map<String, List<String>> names = namesByImage();
    java.util.Set<String> used = images.imagesInUse();
    Map<String, Long> layersBefore = new LinkedHashMap<>();
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode deleted = r.putArray("ImagesDeleted");
    for (Map.Entry<String, List<String>> e : names.entrySet()) {
      try {
        ImageStore.Image img = images.image(e.getKey());
        img.layers().forEach(l -> layersBefore.put(l.digest(), l.size()));
        Optional<Instant> created = createdAt(img);
        if (danglingOnly && tagged(e.getValue())
            || used.contains(img.configDigest())
            || !f.labelsMatch(labels(img))
            || until != null && (created.isEmpty() || !created.get().isBefore(until))) {
          continue;
        }
        if (e.getValue().isEmpty()) {
          deleted.addAll(removal(images.removeImage(img.configDigest(), false)));
        }
        for (String name : e.getValue().stream().sorted().toList()) {
          deleted.addAll(removal(images.removeImage(name, false)));
        }
      } catch (RuntimeException kept) {
        // Removed meanwhile, made into a container meanwhile, or unreadable: kept, as dockerd
        // keeps what it cannot remove.
      }
    }
    java.util.Set<String> layersLeft = new java.util.HashSet<>();
    for (String m : new java.util.HashSet<>(images.tags().values())) {
      try {
        images.image(m).layers().forEach(l -> layersLeft.add(l.digest()));
      } catch (RuntimeException gone) {
        // Removed meanwhile.
      }
    }
    long reclaimed = 0;
    for (Map.Entry<String, Long> l : layersBefore.entrySet()) {
      if (!layersLeft.contains(l.getKey())) {
        reclaimed += l.getValue();
      }
    }
    r.put("SpaceReclaimed", reclaimed);
    x.json(HttpResponseStatus.OK, r);
  }

  /** An image's labels (its config's). */
  private static Map<String, String> labels(ImageStore.Image img) {
    Map<String, String> labels = new LinkedHashMap<>();
    img.config()
        .path("config")
        .path("Labels")
        .properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /**
   * Every stored image (by manifest digest) with its names, tags and digest references; none for a
   * dangling one, whose key ({@code @<digest>}) is no name.
   */
  private Map<String, List<String>> namesByImage() {
    Map<String, List<String>> names = new LinkedHashMap<>();
    images
        .tags()
        .forEach(
            (k, v) -> {
              List<String> of = names.computeIfAbsent(v, n -> new ArrayList<>());
              if (!k.startsWith("@")) {
                of.add(k);
              }
            });
    return names;
  }

  /** Whether {@code names} hold a tag: a digest reference ({@code repo@sha256:…}) is none. */
  private static boolean tagged(List<String> names) {
    return names.stream().anyMatch(n -> !n.contains("@"));
  }

  /** When an image was made, as its config says; the epoch when it says nothing readable. */
  private static Instant created(ImageStore.Image img) {
    return createdAt(img).orElse(Instant.EPOCH);
  }

  /** When an image was made, as its config says; empty when it says nothing readable. */
  private static Optional<Instant> createdAt(ImageStore.Image img) {
    try {
      return Optional.of(Instant.parse(img.config().path("created").asText("")));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Docker's answer to an image removal: what was untagged, then what was deleted. */
  private static ArrayNode removal(ImageRemoval r) {
    ArrayNode out = Exchange.JSON.createArrayNode();
    r.untagged().forEach(k -> out.addObject().put("Untagged", k));
    r.deleted().ifPresent(d -> out.addObject().put("Deleted", d));
    return out;
  }

  /** A {@code docker save} or OCI archive, read as it arrives (it may be larger than memory). */
  private void load(Exchange x) {
    x.streamJson(
        out -> {
          for (ImageArchives.Loaded l : images.load(x.body())) {
            ObjectNode line = Exchange.JSON.createObjectNode();
            line.put(
                "stream",
                (l.reference() != null
                        ? "Loaded image: " + l.reference().familiar()
                        : "Loaded image ID: " + images.image(l.manifestDigest()).configDigest())
                    + "\n");
            out.accept(line);
          }
        });
  }

  /** {@code docker save}: the images as one archive (OCI layout and {@code manifest.json}). */
  private void save(Exchange x, List<String> names) {
    if (names.isEmpty()) {
      throw new EngineException.InvalidArgument("save needs at least one image (?names=...)");
    }
    List<ImageReference> refs = new ArrayList<>();
    for (String n : names) {
      ImageReference ref = ImageReference.parse(n);
      if (images.findImage(ref.toString()).isEmpty()) {
        throw new EngineException.NotFound("No such image: " + n);
      }
      refs.add(ref);
    }
    x.startChunked("application/x-tar");
    try (java.io.OutputStream out = x.chunks()) {
      images.save(refs, out);
    } catch (IOException | RuntimeException e) {
      // The client sees the archive end early.
    }
    x.end();
  }

  /** {@code docker tag}: {@code ?repo=NAME&tag=TAG} for the image in the path. */
  private void tag(Exchange x) {
    String repo = x.param("repo");
    if (repo == null || repo.isEmpty()) {
      throw new EngineException.InvalidArgument("tag needs a repository (?repo=...)");
    }
    String tag = x.param("tag");
    ImageReference target =
        ImageReference.parse(repo + (tag == null || tag.isEmpty() ? "" : ":" + tag));
    images.tag(x.path("name"), target);
    x.empty(HttpResponseStatus.CREATED);
  }

  /**
   * {@code docker push}: the image named in the path (with {@code ?tag=}), to its registry; as
   * dockerd, failures come in the stream.
   */
  private void push(Exchange x) {
    String tag = x.param("tag");
    String name = x.path("name");
    ImageReference ref =
        ImageReference.parse(name + (tag == null || tag.isEmpty() ? "" : ":" + tag));
    x.streamJson(
        out -> {
          out.accept(
              Exchange.JSON
                  .createObjectNode()
                  .put(
                      "status",
                      "The push refers to repository ["
                          + ref.registry()
                          + "/"
                          + ref.repository()
                          + "]"));
          if (images.findImage(ref.toString()).isEmpty()) {
            throw new EngineException.NotFound(
                "An image does not exist locally with the tag: " + ref.familiarName());
          }
          String digest =
              images.push(
                  ref,
                  credentials(x),
                  pr -> {
                    if (!pr.status().startsWith("Digest: ")) {
                      out.accept(progress(pr));
                    }
                  });
          String shown = ref.tag() == null ? "latest" : ref.tag();
          out.accept(Exchange.JSON.createObjectNode().put("status", shown + ": digest: " + digest));
          ObjectNode aux = Exchange.JSON.createObjectNode();
          aux.putObject("progressDetail");
          aux.putObject("aux").put("Tag", shown).put("Digest", digest);
          out.accept(aux);
        });
  }

  /** The client's own registry credentials ({@code X-Registry-Auth}), or null. */
  private static @Nullable RegistryCredentials credentials(Exchange x) {
    return RegistryCredentials.fromHeader(x.request().headers().get("X-Registry-Auth"));
  }

  /** {@code docker login}: the registry checks the credentials; nothing is stored here. */
  private void login(Exchange x) {
    RegistryCredentials c = RegistryCredentials.fromJson(x.json());
    if (c == null) {
      throw new IllegalArgumentException("login needs a username and password, or a token");
    }
    images.login(c);
    ObjectNode done = Exchange.JSON.createObjectNode();
    done.put("Status", "Login Succeeded");
    done.put("IdentityToken", "");
    x.json(HttpResponseStatus.OK, done);
  }

  /** One line of a pull's or push's progress, as dockerd streams it. */
  private static ObjectNode progress(RegistryClient.Progress pr) {
    ObjectNode e = Exchange.JSON.createObjectNode();
    e.put("id", pr.id());
    e.put("status", pr.status());
    if (pr.total() > 0) {
      e.putObject("progressDetail").put("current", pr.current()).put("total", pr.total());
    }
    return e;
  }

  /** {@code POST /commit}: a container's changes as a new image ({@code docker commit}). */
  private void commit(Exchange x) {
    String container = x.param("container");
    if (container == null || container.isEmpty()) {
      throw new EngineException.InvalidArgument("commit needs a container (?container=...)");
    }
    String repo = x.param("repo");
    String tag = x.param("tag");
    String reference =
        repo == null || repo.isEmpty()
            ? null
            : repo + (tag == null || tag.isEmpty() ? "" : ":" + tag);
    String pause = x.param("pause");
    String id =
        images.commit(
            container,
            reference,
            emptyToNull(x.param("comment")),
            emptyToNull(x.param("author")),
            x.params("changes"),
            pause == null || !pause.equals("0") && !pause.equalsIgnoreCase("false"));
    ObjectNode r = Exchange.JSON.createObjectNode();
    r.put("Id", id);
    x.json(HttpResponseStatus.CREATED, r);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private void pull(Exchange x) {
    String from = x.param("fromImage");
    String tag = x.param("tag");
    if (from == null) {
      throw new IllegalArgumentException(
          "importing images (fromSrc) is not supported by the jstack engine; pull with fromImage");
    }
    ImageReference ref =
        ImageReference.parse(
            from
                + (tag != null && !tag.isEmpty() && !from.contains("@")
                    ? (tag.startsWith("sha256:") ? "@" + tag : ":" + tag)
                    : ""));
    x.streamJsonOnceItBegins(
        out -> {
          images.pull(ref, credentials(x), pr -> out.accept(progress(pr)));
          ObjectNode done = Exchange.JSON.createObjectNode();
          done.put("status", "Status: Downloaded newer image for " + ref);
          out.accept(done);
        });
  }

  /**
   * Whether the {@code reference} filter (a name, with a tag or not) names the stored {@code tag}.
   */
  private static boolean sameImageName(String reference, String tag) {
    try {
      ImageReference want = ImageReference.parse(reference);
      ImageReference have = ImageReference.parse(tag);
      return want.registry().equals(have.registry())
          && want.repository().equals(have.repository())
          // A tag follows the last slash: the colon of a registry's port is none.
          && (reference.lastIndexOf(':') <= reference.lastIndexOf('/')
              || Objects.equals(want.tag(), have.tag()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The short form Docker lists a stored name in ({@code busybox:latest}, {@code team/app:1}). */
  private static String familiar(String stored) {
    String rest =
        stored.startsWith(ImageReference.DOCKER_HUB + "/")
            ? stored.substring(ImageReference.DOCKER_HUB.length() + 1)
            : stored;
    return stored.equals(rest) || !rest.startsWith("library/")
        ? rest
        : rest.substring("library/".length());
  }

  /**
   * Docker's image list: one entry per stored image, with its names; with {@code dangling} true
   * only those without a tag (a digest reference is none), false only those with a name.
   */
  private ArrayNode list(
      List<String> references, List<String> labelFilters, Optional<Boolean> dangling) {
    Map<String, List<String>> names = namesByImage();
    ArrayNode out = Exchange.JSON.createArrayNode();
    names.forEach(
        (manifest, tags) -> {
          if (!references.isEmpty()
              && tags.stream()
                  .noneMatch(t -> references.stream().anyMatch(r -> sameImageName(r, t)))) {
            return;
          }
          if (dangling.isPresent() && (dangling.get() ? tagged(tags) : tags.isEmpty())) {
            return;
          }
          ImageStore.Image img = images.image(manifest);
          if (!Filters.labelsMatch(labels(img), labelFilters)) {
            return;
          }
          ObjectNode i = out.addObject();
          i.put("Id", img.configDigest());
          i.put("ParentId", "");
          ArrayNode rt = i.putArray("RepoTags");
          tags.stream().filter(t -> !t.contains("@")).map(ImageRoutes::familiar).forEach(rt::add);
          ArrayNode rd = i.putArray("RepoDigests");
          tags.stream().filter(t -> t.contains("@")).map(ImageRoutes::familiar).forEach(rd::add);
          i.put("Created", created(img).getEpochSecond());
          long size = img.layers().stream().mapToLong(ImageStore.Layer::size).sum();
          i.put("Size", size);
          // Gone from API 1.44 on, but docker-java 3.4 (Testcontainers 1.x) still reads it.
          i.put("VirtualSize", size);
          i.put("SharedSize", -1);
          i.put("Containers", -1);
          JsonNode labels = img.config().path("config").path("Labels");
          i.set("Labels", labels.isObject() ? labels : Exchange.JSON.createObjectNode());
        });
    return out;
  }

  /** {@code docker history}: {@link ImageHistory}. */
  private ArrayNode history(String reference) {
    String manifest =
        images
            .findImage(reference)
            .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
    List<String> tags = new ArrayList<>();
    images
        .tags()
        .forEach(
            (k, v) -> {
              if (v.equals(manifest) && !k.startsWith("@") && !k.contains("@")) {
                tags.add(familiar(k));
              }
            });
    tags.sort(null);
    ImageStore.Image img = images.image(manifest);
    return ImageHistory.of(
        img,
        tags,
        i -> images.diffSize(img.diffIds().get(i)).orElse(Math.max(0, img.layers().get(i).size())));
  }

  private ObjectNode inspect(String reference) {
    String manifest =
        images
            .findImage(reference)
            .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
    ImageStore.Image img = images.image(manifest);
    ObjectNode i = Exchange.JSON.createObjectNode();
    i.put("Id", img.configDigest());
    ArrayNode tags = i.putArray("RepoTags");
    ArrayNode digests = i.putArray("RepoDigests");
    images
        .tags()
        .forEach(
            (k, v) -> {
              if (v.equals(manifest) && !k.startsWith("@")) {
                (k.contains("@") ? digests : tags).add(familiar(k));
              }
            });
    i.put("Parent", "");
    i.put("Created", img.config().path("created").asText(Instant.EPOCH.toString()));
    i.put("Architecture", img.config().path("architecture").asText());
    i.put("Os", img.config().path("os").asText());
    long size = img.layers().stream().mapToLong(ImageStore.Layer::size).sum();
    i.put("Size", size);
    i.put("VirtualSize", size);
    i.set("Config", img.config().path("config"));
    i.put("Author", img.config().path("author").asText(""));
    i.put("Comment", lastComment(img.config()));
    ObjectNode rootfs = i.putObject("RootFS");
    rootfs.put("Type", "layers");
    img.diffIds().forEach(rootfs.putArray("Layers")::add);
    return i;
  }

  /** The comment of an image's last history entry, as Docker's inspect gives it. */
  private static String lastComment(JsonNode config) {
    JsonNode history = config.path("history");
    return history.size() == 0 ? "" : history.get(history.size() - 1).path("comment").asText("");
  }
}

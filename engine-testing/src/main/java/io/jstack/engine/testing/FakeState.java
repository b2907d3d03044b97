package io.jstack.engine.testing;

import io.jstack.engine.EngineException;
import io.jstack.engine.EventStream;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.VolumeInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FakeEngine} holds: every container, network, volume, image and event, guarded by
 * one lock that all of the fake's parts share, so that each call sees and leaves one consistent
 * world. Also the lookups the parts share (a container by id, name or id prefix; a network by name
 * or id; a local image by any form of its reference).
 */
final class FakeState {
  final EngineClock clock;

  /** Guards every field below; waiters (wait, logs, events) wait on it and are woken by changes. */
  final Object lock = new Object();

  final Map<String, FakeContainer> containers = new LinkedHashMap<>();
  final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
  final Map<String, VolumeInfo> volumes = new LinkedHashMap<>();

  /** Regular files copied into each volume, by volume name, then by path in the volume. */
  final Map<String, Map<String, byte[]>> volumeFiles = new java.util.HashMap<>();

  final Set<String> images = new LinkedHashSet<>();
  final Map<String, String> tags = new LinkedHashMap<>();

  /** The labels of each image that has any (loaded with them, or built), by id. */
  final Map<String, Map<String, String>> imageLabels = new HashMap<>();

  final Map<String, String> registry = new HashMap<>();
  final List<EventStream.Event> events = new ArrayList<>();
  private long sequence;

  FakeState(EngineClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A 64-hex-digit id, the same n-th one for every fresh engine. Callers hold the lock. */
  String nextId(String kind) {
    return sha256Hex(kind + ":" + ++sequence);
  }

  /** Records an event and wakes its readers; callers hold the lock. */
  void emit(String type, String action, String id, Map<String, String> attributes) {
    events.add(new EventStream.Event(clock.now(), type, action, id, attributes));
    lock.notifyAll();
  }

  // ---------------------------------------------------------------- containers

  /** Looks up by id, then name (a leading slash is ignored), then a unique id prefix. */
  @Nullable FakeContainer find(String idOrName) {
    if (idOrName == null || idOrName.isEmpty()) {
      return null;
    }
    String key = stripSlash(idOrName);
    FakeContainer c = containers.get(key);
    if (c != null) {
      return c;
    }
    c = byName(key);
    if (c != null) {
      return c;
    }
    List<FakeContainer> prefixed =
        containers.values().stream().filter(x -> x.id.startsWith(key)).limit(2).toList();
    return prefixed.size() == 1 ? prefixed.get(0) : null;
  }

  @Nullable FakeContainer byName(String name) {
    for (FakeContainer c : containers.values()) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    return null;
  }

  /**
   * @throws EngineException.NotFound when there is no such container
   */
  FakeContainer require(String idOrName) {
    FakeContainer c = find(idOrName);
    if (c == null) {
      throw new EngineException.NotFound("No such container: " + idOrName);
    }
    return c;
  }

  static EngineException.Conflict notRunning(FakeContainer c) {
    return new EngineException.Conflict("Container " + c.name + " is not running");
  }

  // ---------------------------------------------------------------- networks

  @Nullable NetworkInfo findNetwork(String nameOrId) {
    NetworkInfo network = networks.get(nameOrId);
    if (network != null) {
      return network;
    }
    return networks.values().stream().filter(n -> n.id().equals(nameOrId)).findFirst().orElse(null);
  }

  // ---------------------------------------------------------------- images

  /** The id of the local image {@code reference} (any form of it, or an id) names, or null. */
  @Nullable String localImageId(String reference) {
    if (reference == null) {
      return null;
    }
    String id = tags.get(normalize(reference));
    if (id != null) {
      return id;
    }
    if (images.contains(reference)) {
      return reference;
    }
    return images.contains("sha256:" + reference) ? "sha256:" + reference : null;
  }

  List<String> tagsOf(String imageId) {
    return tags.entrySet().stream()
        .filter(e -> e.getValue().equals(imageId))
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * The canonical form of an image reference: Docker Hub's {@code docker.io/} and {@code library/}
   * dropped, {@code :latest} added when there is neither tag nor digest.
   */
  static String normalize(String reference) {
    String ref = Objects.requireNonNull(reference, "reference");
    for (String prefix : List.of("docker.io/", "index.docker.io/")) {
      if (ref.startsWith(prefix)) {
        ref = ref.substring(prefix.length());
        break;
      }
    }
    if (ref.startsWith("library/")) {
      ref = ref.substring("library/".length());
    }
    if (ref.contains("@") || ref.indexOf(':', ref.lastIndexOf('/') + 1) >= 0) {
      return ref;
    }
    return ref + ":latest";
  }

  // ---------------------------------------------------------------- helpers

  /** Every entry of {@code wanted} is in {@code labels}; a wanted value of "" matches any value. */
  static boolean matches(Map<String, String> labels, Map<String, String> wanted) {
    for (Map.Entry<String, String> w : wanted.entrySet()) {
      String value = labels.get(w.getKey());
      if (value == null || (!w.getValue().isEmpty() && !w.getValue().equals(value))) {
        return false;
      }
    }
    return true;
  }

  /** {@code labels} and {@code name=name}: a resource's event attributes. */
  static Map<String, String> withName(Map<String, String> labels, String name) {
    Map<String, String> m = new LinkedHashMap<>(labels);
    m.put("name", name);
    return m;
  }

  static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  static String sha256Hex(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static void requireNonNegative(@Nullable Duration duration, String what) {
    if (duration != null && duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + duration);
    }
  }
}

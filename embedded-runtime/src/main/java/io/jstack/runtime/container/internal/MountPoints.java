package io.jstack.runtime.container.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount points of a container's spec, made in its root before the runtime runs: runc makes a
 * missing one itself, crun not all ({@code /dev} above all: "open /dev directory ... No such file
 * or directory"), so a bundle is valid for both only with them in place, as Docker's init layer has
 * them. A file bound in gets an empty file as its point, anything else a directory; points below
 * another mount of the spec (inside {@code /dev} or {@code /sys}) are the runtime's to make, after
 * that mount.
 */
final class MountPoints {
  private MountPoints() {}

  /** Makes, below {@code rootfs}, each missing point of {@code spec}'s mounts on the root. */
  static void make(Path rootfs, ObjectNode spec) throws IOException {
    List<String> destinations = new ArrayList<>();
    spec.path("mounts").forEach(m -> destinations.add(m.path("destination").asText()));
    for (JsonNode m : spec.path("mounts")) {
      String destination = m.path("destination").asText();
      if (!destination.startsWith("/") || below(destination, destinations)) {
        continue;
      }
      Path point = RootPaths.resolve(rootfs, destination);
      if (Files.exists(point, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.createDirectories(point.getParent());
      boolean file =
          m.path("type").asText().equals("bind")
              && Files.isRegularFile(Path.of(m.path("source").asText()));
      if (file) {
        Files.createFile(point);
      } else {
        Files.createDirectory(point);
      }
    }
  }

  /** Whether {@code destination} lies inside another of {@code all}. */
  private static boolean below(String destination, List<String> all) {
    for (String other : all) {
      String prefix = other.endsWith("/") ? other : other + "/";
      if (!other.equals(destination) && destination.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}

package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.engine.PublishedPort;
import io.jstack.runtime.engine.RecordFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upgrades the container records of an older jstack to the {@link RecordFile} format, before the
 * engine opens them: so an engine replaced under running containers re-adopts them. Format 1 kept
 * Docker's create body as the record ({@code request}), with the engine's own keys added to it
 * ({@code JstackEndpoints}, {@code JstackPorts}, {@code JstackCommandLine}, {@code
 * JstackAnonymousVolumes}); the body goes through the same decoder as a create's.
 */
public final class RecordUpgrade {
  private RecordUpgrade() {}

  /**
   * Upgrades every older record under {@code root}; returns how many.
   *
   * @throws EngineException when a record cannot be read or written
   */
  public static int upgrade(DataRoot root) {
    Path dir = root.path().resolve("containers");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int upgraded = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path container : all) {
        Path file = RecordFile.in(container);
        if (!Files.isRegularFile(file)) {
          continue;
        }
        JsonNode n = Exchange.JSON.readTree(file.toFile());
        if (n.path("format").asInt() == 1) {
          RecordFile.write(container, fromVersion1(n));
          upgraded++;
        }
      }
    } catch (IOException e) {
      throw new EngineException(
          "cannot upgrade the container records in " + dir + ": " + e.getMessage(), e);
    }
    return upgraded;
  }

  /** The record that a format-1 record holds. */
  static ContainerRecord fromVersion1(JsonNode n) {
    JsonNode request = n.path("request");
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    request
        .path("JstackEndpoints")
        .properties()
        .forEach(
            e -> {
              JsonNode ep = e.getValue();
              endpoints.put(
                  e.getKey(),
                  new Endpoint(
                      ep.path("Name").asText(),
                      ep.path("IPAddress").asText(),
                      ep.path("Device").asInt(),
                      ep.path("EndpointID").asText(),
                      strings(ep.path("Aliases")),
                      strings(ep.path("Links"))));
            });
    List<PublishedPort> ports = new ArrayList<>();
    for (JsonNode p : request.path("JstackPorts")) {
      ports.add(
          new PublishedPort(
              p.path("Protocol").asText(),
              p.path("HostIp").asText(),
              p.path("HostPort").asInt(),
              p.path("ContainerPort").asInt()));
    }
    JsonNode line = request.path("JstackCommandLine");
    return new ContainerRecord(
        n.path("id").asText(),
        n.path("name").asText(),
        n.path("image").asText(),
        n.path("imageId").asText(),
        Instant.parse(n.path("created").asText()),
        CreateBody.settings(request),
        strings(line.isArray() ? line : request.path("Cmd")),
        endpoints,
        ports,
        strings(request.path("JstackAnonymousVolumes")),
        n.hasNonNull("startedAt") ? Instant.parse(n.path("startedAt").asText()) : null,
        n.path("restartCount").asInt(),
        n.path("stoppedByUser").asBoolean());
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }
}

package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The volume resource of the Engine API ({@code /volumes}): list, inspect, create, remove. */
final class DockerVolumes {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;

  DockerVolumes(DockerApi api) {
    this.api = api;
  }

  List<VolumeInfo> list(Map<String, String> labels) {
    JsonNode r =
        api.json(
            HttpRequest.get("/volumes?filters=" + DockerApi.labelFilter(labels)), "list volumes");
    List<VolumeInfo> out = new ArrayList<>();
    for (JsonNode v : r.path("Volumes")) {
      out.add(volume(v));
    }
    return out;
  }

  Optional<VolumeInfo> inspect(String name) {
    try {
      return Optional.of(
          volume(api.json(HttpRequest.get("/volumes/" + encode(name)), "volume " + name)));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  void create(VolumeSpec spec) {
    ObjectNode body = F.objectNode();
    body.put("Name", spec.name());
    body.put("Driver", spec.driver());
    ObjectNode opts = F.objectNode();
    spec.driverOptions().forEach(opts::put);
    body.set("DriverOpts", opts);
    ObjectNode labels = F.objectNode();
    spec.labels().forEach(labels::put);
    body.set("Labels", labels);
    api.call(
        HttpRequest.postJson("/volumes/create", DockerApi.bytes(body)),
        "create volume " + spec.name());
  }

  void remove(String name) {
    api.call(HttpRequest.delete("/volumes/" + encode(name)), "remove volume " + name);
  }

  private static VolumeInfo volume(JsonNode v) {
    return new VolumeInfo(
        v.path("Name").asText(), v.path("Driver").asText(), DockerApi.labels(v.path("Labels")));
  }
}

package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The volume resource of the Engine API ({@code /volumes}): list, inspect, create, remove, prune.
 */
final class DockerVolumes {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;

  DockerVolumes(DockerApi api) {
    this.api = api;
  }

  List<VolumeInfo> list(Map<String, String> labels) {
    return list("/volumes?filters=" + DockerApi.labelFilter(labels));
  }

  List<VolumeInfo> list(ListFilters filters) {
    return list("/volumes?filters=" + DockerApi.filters(filters));
  }

  private List<VolumeInfo> list(String path) {
    JsonNode r = api.json(HttpRequest.get(path), "list volumes");
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

  /**
   * {@code POST /volumes/prune}: its {@code VolumesDeleted} and {@code SpaceReclaimed}. An engine
   * older than Docker 23 prunes every unused volume and knows no {@code all} filter: asked for all,
   * it is not given the filter; else its unused volumes with names it made (64 hex digits, as it
   * names anonymous ones) are removed one by one, and the space they took is not known.
   */
  Engine.Pruned prune(ListFilters filters) {
    boolean all = filters.bool("all").orElse(false);
    if (!api.prunesAnonymousVolumesOnly()) {
      ListFilters old = ListFilters.none();
      for (Map.Entry<String, List<String>> f : filters.values().entrySet()) {
        if (!f.getKey().equals("all")) {
          for (String v : f.getValue()) {
            old = old.with(f.getKey(), v);
          }
        }
      }
      return all ? pruneAll(old) : pruneAnonymous(old);
    }
    return pruneAll(filters);
  }

  private Engine.Pruned pruneAnonymous(ListFilters filters) {
    filters.requireOnly("volume prune", "label", "label!");
    List<String> deleted = new ArrayList<>();
    for (VolumeInfo v : list(ListFilters.none().with("dangling", "true"))) {
      if (!filters.labelsMatch(v.labels()) || !v.name().matches("[0-9a-f]{64}")) {
        continue;
      }
      try {
        remove(v.name());
        deleted.add(v.name());
      } catch (EngineException.NotFound | EngineException.Conflict kept) {
        // removed meanwhile, or a container took it meanwhile: kept, as a prune keeps it
      }
    }
    return new Engine.Pruned(deleted, 0);
  }

  private Engine.Pruned pruneAll(ListFilters filters) {
    JsonNode r =
        api.json(
            HttpRequest.post("/volumes/prune?filters=" + DockerApi.filters(filters)),
            "prune volumes");
    List<String> deleted = new ArrayList<>();
    r.path("VolumesDeleted").forEach(n -> deleted.add(n.asText()));
    return new Engine.Pruned(deleted, r.path("SpaceReclaimed").asLong());
  }

  private static VolumeInfo volume(JsonNode v) {
    return new VolumeInfo(
        v.path("Name").asText(),
        v.path("Driver").asText(),
        DockerApi.labels(v.path("Labels")),
        v.path("Mountpoint").asText(),
        v.path("Scope").asText("local"),
        v.path("CreatedAt").asText(),
        DockerApi.labels(v.path("Options")));
  }
}

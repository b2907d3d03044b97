package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.Volumes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /volumes}: local volumes. */
final class VolumeRoutes {
  private final VolumeService engine;

  VolumeRoutes(VolumeService engine) {
    this.engine = engine;
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/volumes", this::list)
        .add(HttpMethod.POST, "/volumes/create", this::create)
        .add(HttpMethod.GET, "/volumes/{name}", this::inspect)
        .add(HttpMethod.DELETE, "/volumes/{name}", this::remove);
  }

  private void list(Exchange x) {
    Map<String, List<String>> filters = x.filters();
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode list = r.putArray("Volumes");
    for (Volumes.Volume v : engine.volumes()) {
      if (Filters.labelsMatch(v.labels(), filters.getOrDefault("label", List.of()))) {
        list.add(json(v));
      }
    }
    r.putArray("Warnings");
    x.json(HttpResponseStatus.OK, r);
  }

  private void create(Exchange x) {
    JsonNode body = x.json();
    Exchange.requireDriver(body, "volume", "local");
    Map<String, String> labels = Exchange.labels(body);
    String name = body.path("Name").asText("");
    if (name.isEmpty()) {
      name = UUID.randomUUID().toString().replace("-", "");
    }
    x.json(HttpResponseStatus.CREATED, json(engine.createVolume(name, labels)));
  }

  private void inspect(Exchange x) {
    String name = x.path("name");
    x.json(
        HttpResponseStatus.OK,
        json(
            engine
                .findVolume(name)
                .orElseThrow(
                    () -> new EngineException.NotFound("get " + name + ": no such volume"))));
  }

  private void remove(Exchange x) {
    engine.removeVolume(x.path("name"));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private static ObjectNode json(Volumes.Volume v) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("Name", v.name());
    o.put("Driver", "local");
    o.put("Mountpoint", v.data().toString());
    o.put("Scope", "local");
    o.put("CreatedAt", v.created().toString());
    ObjectNode l = o.putObject("Labels");
    v.labels().forEach(l::put);
    return o;
  }
}

package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.runtime.engine.Volumes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
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
        .add(HttpMethod.POST, "/volumes/prune", this::prune)
        .add(HttpMethod.GET, "/volumes/{name}", this::inspect)
        .add(HttpMethod.DELETE, "/volumes/{name}", this::remove);
  }

  /** As dockerd's: {@code dangling}, {@code driver}, {@code label} and {@code name} filters. */
  private void list(Exchange x) {
    ListFilters f = new ListFilters(x.filters());
    f.requireOnly("volumes", "dangling", "driver", "label", "name");
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode list = r.putArray("Volumes");
    for (Volumes.Volume v : engine.volumes()) {
      if (f.labelsMatch(v.labels())
          && f.anyOrNone("name", v.name()::contains)
          && f.anyOrNone("driver", "local"::equals)
          && f.bool("dangling").map(d -> d != engine.volumeInUse(v.name())).orElse(true)) {
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

  /** As dockerd's: with {@code force}, a volume that is not there is no error. */
  private void remove(Exchange x) {
    try {
      engine.removeVolume(x.path("name"));
    } catch (EngineException.NotFound e) {
      if (!x.flag("force")) {
        throw e;
      }
    }
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  /**
   * As dockerd 23 and later prune: the volumes no container uses, only anonymous ones unless the
   * {@code all} filter is true, those of the {@code label} and {@code label!} filters. Whatever API
   * version the request names: dockerd adds {@code all} for one older than 1.42, which this engine
   * (saying 1.41) would then get from every client, jstack's included; a docker CLI that warns of
   * all volumes for an engine of 1.41 removes fewer, never more.
   */
  private void prune(Exchange x) {
    ListFilters f = new ListFilters(x.filters());
    f.requireOnly("volume prune", "all", "label", "label!");
    boolean all = f.bool("all").orElse(false);
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode deleted = r.putArray("VolumesDeleted");
    long reclaimed = 0;
    for (Volumes.Volume v : engine.volumes()) {
      if (!all && !v.labels().containsKey(ANONYMOUS) || !f.labelsMatch(v.labels())) {
        continue;
      }
      long size = engine.volumeSize(v);
      try {
        engine.removeVolume(v.name());
      } catch (EngineException.NotFound | EngineException.Conflict kept) {
        continue; // removed meanwhile, or in use: kept, as dockerd keeps it
      }
      deleted.add(v.name());
      reclaimed += size;
    }
    r.put("SpaceReclaimed", reclaimed);
    x.json(HttpResponseStatus.OK, r);
  }

  /** The label dockerd (and this engine) gives the volumes it makes for a container. */
  private static final String ANONYMOUS = "com.docker.volume.anonymous";

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

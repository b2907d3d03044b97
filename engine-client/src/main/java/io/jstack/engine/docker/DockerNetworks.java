package io.jstack.engine.docker;

import static io.jstack.engine.docker.DockerApi.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network resource of the Engine API ({@code /networks}): list, inspect, create, remove, prune.
 */
final class DockerNetworks {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final DockerApi api;

  DockerNetworks(DockerApi api) {
    this.api = api;
  }

  List<NetworkInfo> list(Map<String, String> labels) {
    return list("/networks?filters=" + DockerApi.labelFilter(labels));
  }

  List<NetworkInfo> list(ListFilters filters) {
    return list("/networks?filters=" + DockerApi.filters(filters));
  }

  private List<NetworkInfo> list(String path) {
    JsonNode list = api.json(HttpRequest.get(path), "list networks");
    List<NetworkInfo> out = new ArrayList<>();
    for (JsonNode n : list) {
      out.add(network(n));
    }
    return out;
  }

  Optional<NetworkInfo> inspect(String name) {
    try {
      JsonNode n = api.json(HttpRequest.get("/networks/" + encode(name)), "network " + name);
      // Docker matches ids by prefix too; only an exact name or id counts.
      if (!n.path("Name").asText().equals(name) && !n.path("Id").asText().equals(name)) {
        return Optional.empty();
      }
      return Optional.of(network(n));
    } catch (EngineException.NotFound e) {
      return Optional.empty();
    }
  }

  void create(NetworkSpec spec) {
    ObjectNode body = F.objectNode();
    body.put("Name", spec.name());
    body.put("CheckDuplicate", true);
    body.put("Driver", spec.driver());
    body.put("Internal", spec.internal());
    body.put("Attachable", spec.attachable());
    body.put("EnableIPv6", spec.enableIpv6());
    ObjectNode opts = F.objectNode();
    spec.driverOptions().forEach(opts::put);
    body.set("Options", opts);
    ObjectNode labels = F.objectNode();
    spec.labels().forEach(labels::put);
    body.set("Labels", labels);
    if (!spec.ipam().isEmpty()) {
      ArrayNode config = F.arrayNode();
      for (NetworkSpec.IpamPool p : spec.ipam()) {
        ObjectNode pool = F.objectNode();
        if (p.subnet() != null) {
          pool.put("Subnet", p.subnet());
        }
        if (p.ipRange() != null) {
          pool.put("IPRange", p.ipRange());
        }
        if (p.gateway() != null) {
          pool.put("Gateway", p.gateway());
        }
        config.add(pool);
      }
      body.set("IPAM", F.objectNode().put("Driver", "default").set("Config", config));
    }
    api.call(
        HttpRequest.postJson("/networks/create", DockerApi.bytes(body)),
        "create network " + spec.name());
  }

  void remove(String name) {
    api.call(HttpRequest.delete("/networks/" + encode(name)), "remove network " + name);
  }

  /** {@code POST /networks/prune}: its {@code NetworksDeleted}. */
  Engine.Pruned prune(ListFilters filters) {
    JsonNode r =
        api.json(
            HttpRequest.post("/networks/prune?filters=" + DockerApi.filters(filters)),
            "prune networks");
    List<String> deleted = new ArrayList<>();
    r.path("NetworksDeleted").forEach(n -> deleted.add(n.asText()));
    return new Engine.Pruned(deleted, 0);
  }

  private static NetworkInfo network(JsonNode n) {
    List<NetworkSpec.IpamPool> pools = new ArrayList<>();
    for (JsonNode p : n.path("IPAM").path("Config")) {
      pools.add(
          new NetworkSpec.IpamPool(
              text(p.path("Subnet")), text(p.path("IPRange")), text(p.path("Gateway"))));
    }
    Map<String, NetworkInfo.Endpoint> containers = new java.util.TreeMap<>();
    n.path("Containers")
        .properties()
        .forEach(
            e ->
                containers.put(
                    e.getKey(),
                    new NetworkInfo.Endpoint(
                        e.getValue().path("Name").asText(),
                        e.getValue().path("EndpointID").asText(),
                        e.getValue().path("MacAddress").asText(),
                        e.getValue().path("IPv4Address").asText(),
                        e.getValue().path("IPv6Address").asText())));
    return new NetworkInfo(
        n.path("Id").asText(),
        n.path("Name").asText(),
        n.path("Driver").asText(),
        n.path("Internal").asBoolean(),
        DockerApi.labels(n.path("Labels")),
        n.path("Created").asText(),
        n.path("Scope").asText("local"),
        n.path("EnableIPv6").asBoolean(),
        n.path("Attachable").asBoolean(),
        n.path("Ingress").asBoolean(),
        pools,
        containers,
        DockerApi.labels(n.path("Options")));
  }

  private static @org.jspecify.annotations.Nullable String text(JsonNode n) {
    return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
  }
}

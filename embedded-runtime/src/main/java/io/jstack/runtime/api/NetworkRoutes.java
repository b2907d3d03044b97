package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Subnet;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Optional;

/** {@code /networks}: bridge networks, and containers connected to them and disconnected. */
final class NetworkRoutes {
  private final NetworkService engine;

  NetworkRoutes(NetworkService engine) {
    this.engine = engine;
  }

  void register(Router r) {
    r.add(HttpMethod.GET, "/networks", this::list)
        .add(HttpMethod.POST, "/networks/create", this::create)
        .add(HttpMethod.POST, "/networks/prune", this::prune)
        .add(
            HttpMethod.GET,
            "/networks/{id}",
            x -> x.json(HttpResponseStatus.OK, inspect(engine.requireNetwork(x.path("id")))))
        .add(HttpMethod.DELETE, "/networks/{id}", this::remove)
        .add(HttpMethod.POST, "/networks/{id}/connect", this::connect)
        .add(HttpMethod.POST, "/networks/{id}/disconnect", this::disconnect);
  }

  /**
   * As dockerd's: {@code dangling}, {@code driver}, {@code id}, {@code label}, {@code name}, {@code
   * scope} and {@code type} filters (the engine's own network, {@code bridge}, is {@code builtin}).
   */
  private void list(Exchange x) {
    ListFilters f = new ListFilters(x.filters());
    f.requireOnly("networks", "dangling", "driver", "id", "label", "name", "scope", "type");
    ArrayNode out = Exchange.JSON.createArrayNode();
    for (Network net : engine.networks()) {
      if (f.labelsMatch(net.labels())
          && f.anyOrNone("name", net.name()::contains)
          && f.anyOrNone("id", net.id()::startsWith)
          && f.anyOrNone("driver", "bridge"::equals)
          && f.anyOrNone("scope", "local"::equals)
          && f.anyOrNone("type", t -> t.equals(builtin(net) ? "builtin" : "custom"))
          && f.bool("dangling").map(d -> d != !engine.attachedTo(net).isEmpty()).orElse(true)) {
        out.add(inspect(net));
      }
    }
    x.json(HttpResponseStatus.OK, out);
  }

  /** Whether {@code net} is the engine's own: Docker's default network, {@code bridge}. */
  private static boolean builtin(Network net) {
    return net.name().equals("bridge");
  }

  /**
   * As dockerd's: the networks no container is attached to, but the engine's own, those of the
   * {@code until} (created before) and {@code label} and {@code label!} filters.
   */
  private void prune(Exchange x) {
    ListFilters f = new ListFilters(x.filters());
    f.requireOnly("network prune", "until", "label", "label!");
    java.time.Instant until = Durations.until(f, java.time.Instant.now());
    ObjectNode r = Exchange.JSON.createObjectNode();
    ArrayNode deleted = r.putArray("NetworksDeleted");
    for (Network net : engine.networks()) {
      if (builtin(net)
          || !f.labelsMatch(net.labels())
          || until != null && !net.created().isBefore(until)
          || !engine.attachedTo(net).isEmpty()) {
        continue;
      }
      try {
        engine.removeNetwork(net.id());
      } catch (EngineException.NotFound | EngineException.Conflict kept) {
        continue; // removed meanwhile, or a container was attached meanwhile
      }
      deleted.add(net.name());
    }
    x.json(HttpResponseStatus.OK, r);
  }

  /** What the fields of a create body decoded here must be. */
  private static final JsonShape CREATE =
      JsonShape.object(
          Map.of(
              "Name",
              JsonShape.string(),
              "Driver",
              JsonShape.string(),
              "Internal",
              JsonShape.bool(),
              "Labels",
              JsonShape.stringMap(),
              "Options",
              JsonShape.stringMap(),
              "IPAM",
              JsonShape.object(
                  Map.of(
                      "Config",
                      JsonShape.arrayOf(
                          JsonShape.object(
                              Map.of(
                                  "Subnet", JsonShape.string(),
                                  "Gateway", JsonShape.string(),
                                  "IPRange", JsonShape.string())))))));

  /** What the fields of a connect or disconnect body must be. */
  private static final JsonShape CONNECT =
      JsonShape.object(
          Map.of(
              "Container", JsonShape.string(),
              "EndpointConfig", CreateBody.ENDPOINT,
              "Force", JsonShape.bool()));

  private void create(Exchange x) {
    JsonNode body = x.json();
    CREATE.check(body);
    io.jstack.engine.Names.network(body.path("Name").asText(""));
    Exchange.requireDriver(body, "network", "bridge");
    JsonNode pool = body.path("IPAM").path("Config").path(0);
    Map<String, String> labels = Exchange.labels(body);
    String mtu = body.path("Options").path("com.docker.network.driver.mtu").asText("1500");
    Network net =
        engine.createNetwork(
            new NetworkRequest(
                body.path("Name").asText(),
                optional(pool.path("Subnet")).map(Subnet::parse),
                optional(pool.path("Gateway")).map(Subnet::parseAddress),
                optional(pool.path("IPRange")).map(Subnet::parse),
                body.path("Internal").asBoolean(),
                Integer.parseInt(mtu),
                labels));
    ObjectNode r = Exchange.JSON.createObjectNode();
    r.put("Id", net.id());
    r.put("Warning", "");
    x.json(HttpResponseStatus.CREATED, r);
  }

  private void remove(Exchange x) {
    engine.removeNetwork(x.path("id"));
    x.empty(HttpResponseStatus.NO_CONTENT);
  }

  private void connect(Exchange x) {
    JsonNode body = x.json();
    CONNECT.check(body);
    engine.connect(
        x.path("id"),
        body.path("Container").asText(),
        CreateBody.endpoint(body.path("EndpointConfig")));
    x.empty(HttpResponseStatus.OK);
  }

  private void disconnect(Exchange x) {
    JsonNode body = x.json();
    CONNECT.check(body);
    engine.disconnect(x.path("id"), body.path("Container").asText());
    x.empty(HttpResponseStatus.OK);
  }

  private static Optional<String> optional(JsonNode text) {
    String s = text.asText("");
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** Docker's inspect of a network. */
  private ObjectNode inspect(Network net) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("Name", net.name());
    o.put("Id", net.id());
    o.put("Created", net.created().toString());
    o.put("Scope", "local");
    o.put("Driver", "bridge");
    o.put("EnableIPv6", false);
    ObjectNode ipam = o.putObject("IPAM");
    ipam.put("Driver", "default");
    ipam.putNull("Options");
    ObjectNode pool = ipam.putArray("Config").addObject();
    pool.put("Subnet", net.subnet().toString());
    pool.put("Gateway", Subnet.address(net.gateway()));
    net.ipRange().ifPresent(r -> pool.put("IPRange", r.toString()));
    o.put("Internal", net.internal());
    o.put("Attachable", true);
    o.put("Ingress", false);
    o.putObject("ConfigFrom").put("Network", "");
    o.put("ConfigOnly", false);
    ObjectNode containers = o.putObject("Containers");
    for (ContainerRecord r : engine.attachedTo(net)) {
      Endpoint e =
          java.util.Objects.requireNonNull(
              r.endpoints().get(net.id()), "a container attached to a network has an endpoint");
      ObjectNode c = containers.putObject(r.id());
      c.put("Name", r.name());
      c.put("EndpointID", e.endpointId());
      c.put("MacAddress", "");
      c.put("IPv4Address", e.address() + "/" + net.subnet().prefix());
      c.put("IPv6Address", "");
    }
    ObjectNode options = o.putObject("Options");
    options.put("com.docker.network.bridge.name", net.bridge());
    options.put("com.docker.network.driver.mtu", String.valueOf(net.mtu()));
    ObjectNode labels = o.putObject("Labels");
    net.labels().forEach(labels::put);
    return o;
  }
}

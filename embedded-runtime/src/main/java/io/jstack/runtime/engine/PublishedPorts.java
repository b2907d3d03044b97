package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.network.PortProxy;
import io.jstack.runtime.network.Subnet;
import java.util.Map;

/**
 * The published ports of containers on bridge networks: each is a host port that a {@link
 * PortProxy} forwards to the container's address on its first network, open while it runs. A
 * container's record keeps the host ports it got, so that its next run (also after an engine
 * restart) gets the same ones.
 */
final class PublishedPorts implements AutoCloseable {
  /** Where a container's record keeps its published ports, with the host ports they got. */
  static final String PORTS = "JstackPorts";

  private PortProxy ports;

  /** Closes every published port (the engine stops; its containers run on, unpublished). */
  @Override
  public void close() {
    if (ports != null) {
      ports.close();
    }
  }

  private synchronized PortProxy ports() {
    if (ports == null) {
      ports = new PortProxy();
    }
    return ports;
  }

  /**
   * Opens the published ports of a container on bridge networks (its first network's address is the
   * target), each on the host port it had before if it had one; returns them as the record keeps
   * them.
   *
   * @throws EngineException when a host port is taken (then none stays open)
   */
  ArrayNode publish(ContainerRecord r) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (r.endpoints().size() == 0) {
      return out;
    }
    JsonNode first = r.endpoints().elements().next();
    long target = Subnet.parseAddress(first.path("IPAddress").asText());
    JsonNode before = r.request().path(PORTS);
    int i = 0;
    try {
      for (Map.Entry<String, JsonNode> e :
          r.request().path("HostConfig").path("PortBindings").properties()) {
        String[] portAndProtocol = e.getKey().split("/", 2);
        int containerPort = Integer.parseInt(portAndProtocol[0]);
        String protocol = portAndProtocol.length > 1 ? portAndProtocol[1] : "tcp";
        for (JsonNode b : e.getValue()) {
          String hostIp = b.path("HostIp").asText("");
          String hostPort = b.path("HostPort").asText("");
          int had = before.path(i).path("HostPort").asInt(0);
          int bound =
              bind(
                  r.id(),
                  protocol,
                  hostIp,
                  had > 0 ? String.valueOf(had) : hostPort,
                  containerPort,
                  target);
          ObjectNode p = out.addObject();
          p.put("Protocol", protocol);
          p.put("HostIp", hostIp.isEmpty() ? "0.0.0.0" : hostIp);
          p.put("HostPort", bound);
          p.put("ContainerPort", containerPort);
          i++;
        }
      }
    } catch (RuntimeException e) {
      unpublish(r.id());
      throw e;
    }
    return out;
  }

  /** Binds one host port: a number, a range {@code a-b} (the first free), or empty for any. */
  private int bind(
      String owner,
      String protocol,
      String hostIp,
      String hostPort,
      int containerPort,
      long target) {
    int from = 0;
    int to = 0;
    if (!hostPort.isEmpty()) {
      String[] range = hostPort.split("-", 2);
      from = Integer.parseInt(range[0].strip());
      to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
    }
    EngineException last = null;
    for (int port = from; port <= to; port++) {
      try {
        return ports()
            .open(owner, new PortProxy.Binding(protocol, hostIp, port, containerPort), target);
      } catch (EngineException taken) {
        last = taken;
      }
    }
    throw last;
  }

  /** Closes a container's published ports (its run ended, or it is stopped or removed). */
  void unpublish(String id) {
    if (ports != null) {
      ports.closeAll(id);
    }
  }
}

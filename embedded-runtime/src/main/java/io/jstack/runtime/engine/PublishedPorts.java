package io.jstack.runtime.engine;

import io.jstack.engine.EngineException;
import io.jstack.runtime.network.PortProxy;
import io.jstack.runtime.network.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The published ports of containers on bridge networks: each is a host port that a {@link
 * PortProxy} forwards to the container's address on its first network, open while it runs. A
 * container's record keeps the host ports it got, so that its next run (also after an engine
 * restart) gets the same ones.
 */
final class PublishedPorts implements AutoCloseable {
  private final Function<String, List<String>> imagePorts;
  private @Nullable PortProxy ports;

  /** {@code imagePorts}: the ports an image (by its id) exposes, none when it is gone. */
  PublishedPorts(Function<String, List<String>> imagePorts) {
    this.imagePorts = imagePorts;
  }

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
  List<PublishedPort> publish(ContainerRecord r) {
    List<PublishedPort> out = new ArrayList<>();
    if (r.endpoints().isEmpty()) {
      return out;
    }
    long target = Subnet.parseAddress(r.firstEndpoint().orElseThrow().address());
    List<PublishedPort> before = r.publishedPorts();
    int i = 0;
    try {
      List<String> exposed = new ArrayList<>(r.settings().exposedPorts());
      exposed.addAll(imagePorts.apply(r.imageId()));
      for (ContainerSettings.PortBinding b : r.settings().host().published(exposed)) {
        int had = i < before.size() ? before.get(i).hostPort() : 0;
        int bound =
            bind(
                r.id(),
                b.protocol(),
                b.hostIp(),
                had > 0 ? String.valueOf(had) : b.hostPort(),
                b.containerPort(),
                target);
        out.add(
            new PublishedPort(
                b.protocol(),
                b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp(),
                bound,
                b.containerPort()));
        i++;
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

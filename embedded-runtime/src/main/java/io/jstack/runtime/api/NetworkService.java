package io.jstack.runtime.api;

import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import java.util.List;

/** What {@link NetworkRoutes} needs of the engine: bridge networks and their containers. */
interface NetworkService {
  /** Every network. */
  List<Network> networks();

  /** A network by id, id prefix or name; {@code NotFound} when there is none. */
  Network requireNetwork(String idOrName);

  /** Creates a bridge network. */
  Network createNetwork(NetworkRequest request);

  /** Removes a network; {@code Conflict} while a container is attached. */
  void removeNetwork(String idOrName);

  /** Connects a container to a network. */
  void connect(String network, String container, ContainerSettings.EndpointRequest endpoint);

  /** Takes a container off a network. */
  void disconnect(String network, String container);

  /** The containers with an endpoint on {@code network}. */
  List<ContainerRecord> attachedTo(Network network);
}

package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Subnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Networks in memory, given by the test with the containers attached to each; what would change
 * something is written down (the request of a create, each connect and disconnect).
 */
final class FakeNetworks implements NetworkService {
  final List<Network> networks = new ArrayList<>();
  final Map<String, List<ContainerRecord>> attached = new HashMap<>();
  final List<String> calls = new ArrayList<>();
  NetworkRequest created;
  RuntimeException failure;

  private void call(String line) {
    calls.add(line);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public List<Network> networks() {
    return List.copyOf(networks);
  }

  @Override
  public Network requireNetwork(String idOrName) {
    return networks.stream()
        .filter(n -> n.id().equals(idOrName) || n.name().equals(idOrName))
        .findFirst()
        .orElseThrow(() -> new EngineException.NotFound("network " + idOrName + " not found"));
  }

  @Override
  public Network createNetwork(NetworkRequest request) {
    call("create " + request.name());
    created = request;
    return new Network(
        "new-net-id",
        request.name(),
        request.subnet().orElse(Subnet.parse("10.99.0.0/24")),
        0,
        request.ipRange(),
        request.internal(),
        request.mtu(),
        request.labels(),
        Fixtures.CREATED,
        "jst-new");
  }

  @Override
  public void removeNetwork(String idOrName) {
    call("remove " + requireNetwork(idOrName).name());
  }

  @Override
  public void connect(
      String network, String container, ContainerSettings.EndpointRequest endpoint) {
    call("connect " + container + " to " + requireNetwork(network).name() + " " + endpoint);
  }

  @Override
  public void disconnect(String network, String container) {
    call("disconnect " + container + " from " + requireNetwork(network).name());
  }

  @Override
  public List<ContainerRecord> attachedTo(Network network) {
    return attached.getOrDefault(network.id(), List.of());
  }
}

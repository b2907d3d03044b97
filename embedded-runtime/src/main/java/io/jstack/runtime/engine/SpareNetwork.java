package io.jstack.runtime.engine;

import java.util.Map;

/**
 * A network namespace on Docker's default network, {@code bridge}, plugged ahead of the build step
 * container that will run in it ({@link EmbeddedEngine#prepareStepNetwork}): the id that container
 * will have (the namespace and veth names derive from it) and its endpoint, whose address is held
 * until the container's record keeps it or the spare is discarded.
 *
 * @param id the id of the container to be created in it
 * @param endpoints its endpoint, by network id
 */
public record SpareNetwork(String id, Map<String, Endpoint> endpoints) {
  public SpareNetwork {
    endpoints = Map.copyOf(endpoints);
  }
}

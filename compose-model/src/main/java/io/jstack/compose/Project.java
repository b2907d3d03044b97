package io.jstack.compose;

import java.util.Map;

/**
 * A Compose project after loading: interpolated, merged, extended, filtered by profiles, validated
 * and in the canonical long form. Its components are the top-level elements of the Compose
 * Specification; {@link LoadedProject} carries what the loader knew besides.
 *
 * @param name the project name, valid per {@link ProjectNames}
 * @param extensions the top-level {@code x-*} entries, as plain Java values
 */
public record Project(
    String name,
    Map<String, Service> services,
    Map<String, Network> networks,
    Map<String, Volume> volumes,
    Map<String, FileObject> secrets,
    Map<String, FileObject> configs,
    Map<String, Model> models,
    Map<String, Object> extensions) {
  public Project {
    services = Values.sortedMap(services);
    networks = Values.sortedMap(networks);
    volumes = Values.sortedMap(volumes);
    secrets = Values.sortedMap(secrets);
    configs = Values.sortedMap(configs);
    models = Values.sortedMap(models);
    extensions = Values.sortedMap(extensions);
  }

  /** This project with only {@code kept} as its services. */
  public Project withServices(Map<String, Service> kept) {
    return new Project(name, kept, networks, volumes, secrets, configs, models, extensions);
  }
}

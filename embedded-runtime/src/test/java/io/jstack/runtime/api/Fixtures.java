package io.jstack.runtime.api;

import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.engine.PublishedPort;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Containers as the engine's records describe them, for fakes to answer with. */
final class Fixtures {
  static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
  static final Instant STARTED = Instant.parse("2026-01-02T03:05:00Z");

  private Fixtures() {}

  static ContainerSettings.Host host(String networkMode) {
    return ContainerSettings.Host.defaults(networkMode, List.of(), List.of(), Map.of());
  }

  static ContainerSettings settings(Map<String, String> labels) {
    return new ContainerSettings(
        "alpine:3",
        null,
        List.of("sleep", "infinity"),
        List.of("A=1"),
        null,
        null,
        null,
        null,
        labels,
        null,
        null,
        null,
        List.of(),
        List.of(),
        ContainerConfig.Console.NONE,
        host("bridge"),
        Map.of());
  }

  /** A container {@code name} (id {@code name} + "-id") in {@code status}, with {@code labels}. */
  static Container container(String name, Container.Status status, Map<String, String> labels) {
    return withRecord(record(name, labels, Map.of(), List.of()), status);
  }

  static ContainerRecord record(
      String name,
      Map<String, String> labels,
      Map<String, Endpoint> endpoints,
      List<PublishedPort> ports) {
    return new ContainerRecord(
        name + "-id",
        name,
        "alpine:3",
        "sha256:c0nf19",
        CREATED,
        settings(labels),
        List.of("sh", "-c", "echo hi there"),
        endpoints,
        ports,
        List.of(),
        STARTED,
        0,
        false);
  }

  static Container withRecord(ContainerRecord r, Container.Status status) {
    return status == Container.Status.exited
        ? new Container(r, status, 3, STARTED.plusSeconds(60))
        : new Container(r, status, 0, null);
  }
}

package io.jstack.runtime.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the engine keeps on disk about a container ({@code containers/<id>/record.json}, see {@link
 * RecordFile}): what it was created with, and what the engine decided for it.
 *
 * @param image the image as the client named it
 * @param imageId the image's config digest
 * @param commandLine the process it runs: its entrypoint and command, over the image's
 * @param endpoints its endpoints on bridge networks, by network id, its network mode's first
 * @param publishedPorts the ports it published on its last run, with the host ports they got
 * @param anonymousVolumes the volumes made for it at create (removed with it on request)
 * @param startedAt when its last run started; null before the first
 * @param restartCount how often its restart policy started it again
 * @param stoppedByUser whether its last run was ended by stop or kill (then no restart policy
 *     starts it again until somebody starts it)
 */
public record ContainerRecord(
    String id,
    String name,
    String image,
    String imageId,
    Instant created,
    ContainerSettings settings,
    List<String> commandLine,
    Map<String, Endpoint> endpoints,
    List<PublishedPort> publishedPorts,
    List<String> anonymousVolumes,
    @Nullable Instant startedAt,
    int restartCount,
    boolean stoppedByUser) {

  public ContainerRecord {
    commandLine = List.copyOf(commandLine);
    endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    publishedPorts = List.copyOf(publishedPorts);
    anonymousVolumes = List.copyOf(anonymousVolumes);
  }

  /** Its first endpoint (its network mode's network), if it has one. */
  public Optional<Endpoint> firstEndpoint() {
    return endpoints.values().stream().findFirst();
  }

  /** Its labels. */
  public Map<String, String> labels() {
    return settings.labels();
  }

  /** This record for a run that started at {@code at}, by the user or by its restart policy. */
  ContainerRecord started(Instant at, boolean byPolicy, List<PublishedPort> published) {
    return copy(
        name,
        endpoints,
        published,
        anonymousVolumes,
        at,
        byPolicy ? restartCount + 1 : restartCount,
        false);
  }

  /** This record with other endpoints (its networks changed). */
  ContainerRecord withEndpoints(Map<String, Endpoint> changed) {
    return copy(
        name, changed, publishedPorts, anonymousVolumes, startedAt, restartCount, stoppedByUser);
  }

  /** This record under another name. */
  ContainerRecord withName(String changed) {
    return copy(
        changed,
        endpoints,
        publishedPorts,
        anonymousVolumes,
        startedAt,
        restartCount,
        stoppedByUser);
  }

  /** This record with the anonymous volumes made for it. */
  ContainerRecord withAnonymousVolumes(List<String> made) {
    return copy(name, endpoints, publishedPorts, made, startedAt, restartCount, stoppedByUser);
  }

  /** This record once the user stopped it. */
  ContainerRecord stopped() {
    return copy(name, endpoints, publishedPorts, anonymousVolumes, startedAt, restartCount, true);
  }

  /** This record with the parts that change over a container's life replaced. */
  private ContainerRecord copy(
      String name,
      Map<String, Endpoint> endpoints,
      List<PublishedPort> publishedPorts,
      List<String> anonymousVolumes,
      @Nullable Instant startedAt,
      int restartCount,
      boolean stoppedByUser) {
    return new ContainerRecord(
        id,
        name,
        image,
        imageId,
        created,
        settings,
        commandLine,
        endpoints,
        publishedPorts,
        anonymousVolumes,
        startedAt,
        restartCount,
        stoppedByUser);
  }
}

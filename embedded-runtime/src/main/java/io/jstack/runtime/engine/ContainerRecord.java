package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What the engine keeps on disk about a container ({@code containers/<id>/record.json}, with a
 * format version): the create request as the client sent it, and what the engine decided.
 *
 * @param request the Docker API create body ({@code Config} fields, {@code HostConfig})
 * @param imageId the image's config digest
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
    JsonNode request,
    Instant startedAt,
    int restartCount,
    boolean stoppedByUser) {

  /** Its endpoints on bridge networks, by network id ({@code Name}, {@code IPAddress}, ...). */
  public JsonNode endpoints() {
    return request.path(NetworkAttachments.ENDPOINTS);
  }

  /** Its published ports ({@code HostIp}, {@code HostPort}, {@code ContainerPort}, ...). */
  public JsonNode publishedPorts() {
    return request.path(PublishedPorts.PORTS);
  }

  /** This record for a run that started at {@code at}, by the user or by its restart policy. */
  ContainerRecord started(Instant at, boolean byPolicy) {
    return new ContainerRecord(
        id,
        name,
        image,
        imageId,
        created,
        request,
        at,
        byPolicy ? restartCount + 1 : restartCount,
        false);
  }

  /** This record with another request (its networks changed). */
  ContainerRecord withRequest(JsonNode changed) {
    return new ContainerRecord(
        id, name, image, imageId, created, changed, startedAt, restartCount, stoppedByUser);
  }

  /** This record once the user stopped it. */
  ContainerRecord stopped() {
    return new ContainerRecord(
        id, name, image, imageId, created, request, startedAt, restartCount, true);
  }
}

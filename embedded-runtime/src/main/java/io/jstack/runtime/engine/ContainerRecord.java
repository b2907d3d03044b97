package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What the engine keeps on disk about a container ({@code containers/<id>/record.json}, with a
 * format version): the create request as the client sent it, and what the engine decided.
 *
 * @param request the Docker API create body ({@code Config} fields, {@code HostConfig})
 * @param imageId the image's config digest
 */
public record ContainerRecord(
    String id,
    String name,
    String image,
    String imageId,
    Instant created,
    JsonNode request,
    Instant startedAt) {}

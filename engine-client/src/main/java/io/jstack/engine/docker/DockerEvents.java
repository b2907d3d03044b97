package io.jstack.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EventStream;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The engine's event stream ({@code GET /events}) read one JSON line at a time; it ends when the
 * connection does.
 */
final class DockerEvents implements EventStream {
  private final HttpResponse response;
  private final BufferedReader lines;

  /** Subscribes to the events {@code filters} (an encoded {@code filters} value) lets through. */
  DockerEvents(DockerApi api, String filters) {
    this.response = api.send(HttpRequest.get("/events?filters=" + filters), "events");
    this.lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  @Override
  public @Nullable Event next() {
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JsonTrees.read(line);
        JsonNode actor = n.path("Actor");
        return new Event(
            Instant.ofEpochSecond(0, n.path("timeNano").asLong()),
            n.path("Type").asText(),
            n.path("Action").asText(),
            actor.path("ID").asText(),
            DockerApi.labels(actor.path("Attributes")));
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    response.close();
  }
}

package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.HttpTransport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls and pushes carry the registry login of the environment the engine was opened for; a push
 * answers the digest the stream's {@code aux} reports, and one that reports none fails.
 */
class DockerImagesTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  /** A transport that answers every request with 200 and keeps the requests. */
  static class Recording implements HttpTransport {
    final List<HttpRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public HttpResponse execute(HttpRequest request) {
      requests.add(request);
      String body =
          request.path().endsWith("/version")
              ? "{\"ApiVersion\":\"1.41\",\"Version\":\"20.10.24\"}"
              : request.path().contains("/push")
                  ? "{\"status\":\"1: digest: "
                      + DIGEST
                      + " size: 527\"}\n"
                      + "{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\""
                      + DIGEST
                      + "\",\"Size\":527}}\n"
                  : "{\"status\":\"done\"}\n";
      return new HttpResponse(
          200,
          Map.of("Content-Type", List.of("application/json")),
          new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
          () -> {});
    }

    @Override
    public void close() {}
  }

  @Test
  void pullAndPush_sendTheLoginOfTheEnvironmentGiven_notThisProcesss() throws Exception {
    Files.writeString(
        dir.resolve("config.json"),
        "{\"auths\":{\"registry.example:5000\":{\"auth\":\""
            + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8))
            + "\"}}}");
    Recording transport = new Recording();
    DockerEngine engine =
        new DockerEngine(
            new EngineAddress.Unix(dir.resolve("docker.sock")),
            transport,
            Map.of("DOCKER_CONFIG", dir.toString()));
    engine.pullImage("registry.example:5000/team/app:1", p -> {});
    assertThat(engine.pushImage("registry.example:5000/team/app:1", p -> {})).isEqualTo(DIGEST);
    List<String> logins =
        transport.requests.stream()
            .filter(r -> r.path().contains("/images/"))
            .map(r -> r.headers().get("X-Registry-Auth"))
            .map(h -> new String(Base64.getUrlDecoder().decode(h), StandardCharsets.UTF_8))
            .toList();
    assertThat(logins)
        .hasSize(2)
        .allSatisfy(
            l -> assertThat(l).contains("\"username\":\"ann\"").contains("\"password\":\"pw\""));
  }

  @Test
  void aPushWhoseStreamReportsNoDigest_fails_sayingWhatToDo() {
    HttpTransport silent =
        new Recording() {
          @Override
          public HttpResponse execute(HttpRequest request) {
            return request.path().contains("/push")
                ? new HttpResponse(
                    200,
                    Map.of(),
                    new ByteArrayInputStream(
                        "{\"status\":\"Pushed\"}\n".getBytes(StandardCharsets.UTF_8)),
                    () -> {})
                : super.execute(request);
          }
        };
    DockerEngine engine =
        new DockerEngine(new EngineAddress.Unix(dir.resolve("docker.sock")), silent, Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.pushImage("registry.example:5000/team/app:1", p -> {}))
        .isInstanceOf(io.jstack.engine.EngineException.class)
        .hasMessageContaining("pushed registry.example:5000/team/app:1 but reported no digest");
  }
}

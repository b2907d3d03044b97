package io.jstack.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.ListFilters;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.HttpTransport;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Volumes and networks by Docker's filters, inspected whole, and pruned: as the engine's API
 * version has it (before 1.42 a prune removes every unused volume and knows no {@code all}).
 */
class DockerVolumesNetworksTest {
  /** Answers each request with what {@code answer} gives for its method and path, and keeps it. */
  static final class Scripted implements HttpTransport {
    final List<String> requests = new CopyOnWriteArrayList<>();
    final String engineVersion;
    final String apiVersion;
    final Function<String, String> answer;

    Scripted(String engineVersion, String apiVersion, Function<String, String> answer) {
      this.engineVersion = engineVersion;
      this.apiVersion = apiVersion;
      this.answer = answer;
    }

    @Override
    public HttpResponse execute(HttpRequest request) {
      String line =
          request.method()
              + " "
              + URLDecoder.decode(request.path(), StandardCharsets.UTF_8)
                  .replaceFirst("^/v[0-9.]+", "");
      String body;
      if (line.equals("GET /version")) {
        body = "{\"ApiVersion\":\"" + apiVersion + "\",\"Version\":\"" + engineVersion + "\"}";
      } else {
        requests.add(line);
        body = answer.apply(line);
      }
      return new HttpResponse(
          body.isEmpty() ? 204 : 200,
          Map.of("Content-Type", List.of("application/json")),
          new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
          () -> {});
    }

    @Override
    public void close() {}
  }

  static final String ANONYMOUS = "ab".repeat(32);

  static DockerEngine engine(Scripted transport) {
    return new DockerEngine(new EngineAddress.Unix(Path.of("/nowhere.sock")), transport);
  }

  @Test
  void volumesAndNetworks_sendDockersFilters_andReadWhatInspectShows() {
    Scripted t =
        new Scripted(
            "27.5.1",
            "1.47",
            line ->
                line.startsWith("GET /volumes")
                    ? "{\"Volumes\":[{\"Name\":\"v\",\"Driver\":\"local\",\"Mountpoint\":\"/d/v\","
                        + "\"CreatedAt\":\"2026-01-02T03:04:05Z\",\"Scope\":\"local\","
                        + "\"Labels\":{\"a\":\"b\"},\"Options\":{\"o\":\"1\"}}]}"
                    : "[{\"Id\":\"n1\",\"Name\":\"net\",\"Driver\":\"bridge\",\"Scope\":\"local\","
                        + "\"Created\":\"2026-01-02T03:04:05Z\",\"EnableIPv6\":true,"
                        + "\"IPAM\":{\"Config\":[{\"Subnet\":\"10.1.0.0/24\",\"Gateway\":\"10.1.0.1\"}]},"
                        + "\"Containers\":{\"c1\":{\"Name\":\"web\",\"EndpointID\":\"e1\","
                        + "\"MacAddress\":\"m\",\"IPv4Address\":\"10.1.0.2/24\",\"IPv6Address\":\"\"}},"
                        + "\"Options\":{\"k\":\"v\"},\"Labels\":{}}]");
    DockerEngine engine = engine(t);

    List<VolumeInfo> volumes =
        engine.volumes(ListFilters.parse(List.of("dangling=true", "label=a", "label=c=d")));
    List<NetworkInfo> networks = engine.networks(ListFilters.parse(List.of("type=custom")));

    assertThat(t.requests)
        .containsExactly(
            "GET /volumes?filters={\"dangling\":[\"true\"],\"label\":[\"a\",\"c=d\"]}",
            "GET /networks?filters={\"type\":[\"custom\"]}");
    assertThat(volumes)
        .containsExactly(
            new VolumeInfo(
                "v",
                "local",
                Map.of("a", "b"),
                "/d/v",
                "local",
                "2026-01-02T03:04:05Z",
                Map.of("o", "1")));
    NetworkInfo n = networks.get(0);
    assertThat(n.enableIpv6()).isTrue();
    assertThat(n.created()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(n.ipam()).containsExactly(new NetworkSpec.IpamPool("10.1.0.0/24", null, "10.1.0.1"));
    assertThat(n.containers())
        .containsExactly(
            Map.entry("c1", new NetworkInfo.Endpoint("web", "e1", "m", "10.1.0.2/24", "")));
    assertThat(n.options()).containsExactly(Map.entry("k", "v"));
  }

  @Test
  void prune_onDocker23AndLater_isTheEnginesOwn_withItsFilters() {
    Scripted t =
        new Scripted(
            "27.5.1",
            "1.47",
            line ->
                line.startsWith("POST /volumes/prune")
                    ? "{\"VolumesDeleted\":[\"" + ANONYMOUS + "\"],\"SpaceReclaimed\":36}"
                    : "{\"NetworksDeleted\":[\"old\"]}");
    DockerEngine engine = engine(t);

    Engine.Pruned volumes = engine.pruneVolumes(ListFilters.none().with("all", "true"));
    Engine.Pruned networks = engine.pruneNetworks(ListFilters.none().with("label", "x"));

    assertThat(t.requests)
        .containsExactly(
            "POST /volumes/prune?filters={\"all\":[\"true\"]}",
            "POST /networks/prune?filters={\"label\":[\"x\"]}");
    assertThat(volumes).isEqualTo(new Engine.Pruned(List.of(ANONYMOUS), 36));
    assertThat(networks).isEqualTo(new Engine.Pruned(List.of("old"), 0));
  }

  @Test
  void prune_beforeApi142_removesOnlyUnusedVolumesTheEngineNamed_unlessAll() {
    Scripted t =
        new Scripted(
            "20.10.24",
            "1.41",
            line ->
                line.startsWith("GET /volumes")
                    ? "{\"Volumes\":[{\"Name\":\"named\",\"Labels\":{\"x\":\"1\"}},"
                        + "{\"Name\":\""
                        + ANONYMOUS
                        + "\",\"Labels\":{\"x\":\"1\"}},{\"Name\":\""
                        + "cd".repeat(32)
                        + "\",\"Labels\":null}]}"
                    : line.startsWith("POST /volumes/prune")
                        ? "{\"VolumesDeleted\":[\"named\"],\"SpaceReclaimed\":0}"
                        : "");
    DockerEngine engine = engine(t);

    Engine.Pruned anonymous = engine.pruneVolumes(ListFilters.none().with("label", "x=1"));
    Engine.Pruned all =
        engine.pruneVolumes(ListFilters.none().with("all", "true").with("label", "x"));

    assertThat(anonymous).isEqualTo(new Engine.Pruned(List.of(ANONYMOUS), 0));
    assertThat(all).isEqualTo(new Engine.Pruned(List.of("named"), 0));
    assertThat(t.requests)
        .containsExactly(
            "GET /volumes?filters={\"dangling\":[\"true\"]}",
            "DELETE /volumes/" + ANONYMOUS,
            "POST /volumes/prune?filters={\"label\":[\"x\"]}");
  }

  @Test
  void prune_ofTheEmbeddedEngine_sendsAll_whateverItsApiVersion() {
    Scripted t =
        new Scripted("jstack-1.0", "1.41", line -> "{\"VolumesDeleted\":[],\"SpaceReclaimed\":0}");

    engine(t).pruneVolumes(ListFilters.none());

    assertThat(t.requests).containsExactly("POST /volumes/prune?filters={}");
  }
}

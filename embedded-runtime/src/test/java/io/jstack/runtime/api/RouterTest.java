package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final Router.Handler a = x -> {};
  private final Router.Handler b = x -> {};
  private final Router.Handler c = x -> {};
  private final Router router =
      new Router()
          .add(HttpMethod.GET, "/images/json", a)
          .add(HttpMethod.GET, "/images/{name*}/json", b)
          .add(HttpMethod.DELETE, "/images/{name*}", c)
          .addStreaming(HttpMethod.PUT, "/containers/{id}/archive", a);

  @Test
  void literalRoutes_winWhenListedFirst() {
    Router.Match m = router.match(HttpMethod.GET, List.of("images", "json")).orElseThrow();
    assertThat(m.route().handler()).isSameAs(a);
    assertThat(m.parameters()).isEmpty();
  }

  @Test
  void aWildcard_takesAnImageNameWithSlashesAndColons() {
    Router.Match m =
        router
            .match(HttpMethod.GET, List.of("images", "127.0.0.1:5000", "team", "app:1", "json"))
            .orElseThrow();
    assertThat(m.route().handler()).isSameAs(b);
    assertThat(m.parameters()).isEqualTo(Map.of("name", "127.0.0.1:5000/team/app:1"));
    // An image whose last name component is "json" itself.
    assertThat(
            router
                .match(HttpMethod.GET, List.of("images", "json", "json"))
                .orElseThrow()
                .parameters())
        .isEqualTo(Map.of("name", "json"));
    assertThat(
            router.match(HttpMethod.DELETE, List.of("images", "a", "b")).orElseThrow().parameters())
        .isEqualTo(Map.of("name", "a/b"));
  }

  @Test
  void methodAndSegmentCount_mustMatch() {
    assertThat(router.match(HttpMethod.POST, List.of("images", "json"))).isEmpty();
    assertThat(router.match(HttpMethod.DELETE, List.of("images"))).isEmpty();
    assertThat(router.match(HttpMethod.PUT, List.of("containers", "x", "archive", "more")))
        .isEmpty();
    Router.Match put =
        router.match(HttpMethod.PUT, List.of("containers", "x", "archive")).orElseThrow();
    assertThat(put.route().streamsBody()).isTrue();
    assertThat(put.parameters()).isEqualTo(Map.of("id", "x"));
  }

  @Test
  void segments_dropTheVersionAndDecodeEach() {
    assertThat(Connection.segments("/v1.41/volumes/..%2Fdata?x=1"))
        .containsExactly("volumes", "../data");
    assertThat(Connection.segments("/_ping")).containsExactly("_ping");
    assertThat(Connection.segments("//containers//json")).containsExactly("containers", "json");
  }

  @Test
  void everyRouteOfTheApi_isReachable_andNoneShadowsAnother() {
    Router all = EngineServer.routes(null);
    assertThat(
            all.match(HttpMethod.POST, List.of("images", "load"))
                .orElseThrow()
                .route()
                .streamsBody())
        .isTrue();
    assertThat(all.match(HttpMethod.GET, List.of("containers", "json")).orElseThrow().parameters())
        .isEmpty();
    assertThat(
            all.match(HttpMethod.POST, List.of("containers", "create")).orElseThrow().parameters())
        .isEmpty();
    assertThat(
            all.match(HttpMethod.GET, List.of("containers", "abc", "logs"))
                .orElseThrow()
                .parameters())
        .isEqualTo(Map.of("id", "abc"));
    assertThat(all.match(HttpMethod.GET, List.of("volumes", "v1")).orElseThrow().parameters())
        .isEqualTo(Map.of("name", "v1"));
    assertThat(all.match(HttpMethod.POST, List.of("swarm", "init"))).isEmpty();
  }
}

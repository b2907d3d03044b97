package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Subnet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetworkRoutesTest {
  @TempDir Path dir;

  private final FakeNetworks engine = new FakeNetworks();
  private ApiClient api;

  private static Network network(String name, String subnet, Map<String, String> labels) {
    Subnet s = Subnet.parse(subnet);
    return new Network(
        name + "-id",
        name,
        s,
        s.base() + 1,
        Optional.empty(),
        false,
        1450,
        labels,
        Fixtures.CREATED,
        "jst-" + name);
  }

  @BeforeEach
  void serve() {
    engine.networks.add(network("shop_front", "10.7.0.0/24", Map.of("project", "shop")));
    engine.networks.add(network("shop_back", "10.8.0.0/16", Map.of("project", "shop", "x", "1")));
    engine.networks.add(network("other", "10.9.0.0/24", Map.of()));
    engine.attached.put(
        "shop_front-id",
        List.of(
            Fixtures.record(
                "web",
                Map.of(),
                Map.of(
                    "shop_front-id",
                    new Endpoint("shop_front", "10.7.0.5", 0, "ep-1", List.of(), List.of())),
                List.of())));
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, null, null, engine, null, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void create_answers201WithTheId_andDecodesIpamInternalMtuAndLabels() {
    ApiClient.Answer a =
        api.post(
            "/networks/create",
            "{'Name': 'shop_data', 'Driver': 'bridge', 'Internal': true,"
                + " 'IPAM': {'Config': [{'Subnet': '10.20.0.0/16', 'Gateway': '10.20.0.254',"
                + " 'IPRange': '10.20.5.0/24'}]},"
                + " 'Options': {'com.docker.network.driver.mtu': '1400'},"
                + " 'Labels': {'com.docker.compose.network': 'data'}}");

    assertThat(a.status()).as(a.text()).isEqualTo(201);
    assertThat(a.json().toString()).isEqualTo("{\"Id\":\"new-net-id\",\"Warning\":\"\"}");
    assertThat(engine.created)
        .isEqualTo(
            new NetworkRequest(
                "shop_data",
                Optional.of(Subnet.parse("10.20.0.0/16")),
                Optional.of(Subnet.parseAddress("10.20.0.254")),
                Optional.of(Subnet.parse("10.20.5.0/24")),
                true,
                1400,
                Map.of("com.docker.compose.network", "data")));
  }

  @Test
  void create_withoutIpam_leavesTheSubnetToTheEngine_withMtu1500() {
    ApiClient.Answer a = api.post("/networks/create", "{'Name': 'plain'}");

    assertThat(a.status()).isEqualTo(201);
    assertThat(engine.created).isEqualTo(NetworkRequest.named("plain"));
  }

  @Test
  void create_withAnotherDriver_is400_andWithANameTaken409() {
    ApiClient.Answer overlay = api.post("/networks/create", "{'Name': 'o', 'Driver': 'overlay'}");
    engine.failure = new EngineException.Conflict("network with name shop_front already exists");
    ApiClient.Answer taken =
        api.post(
            "/networks/create",
            "{'Name': 'shop_front', 'IPAM': {'Config': [{'Subnet': '10.1.0.0/24'}]}}");

    assertThat(overlay.status()).isEqualTo(400);
    assertThat(overlay.message())
        .isEqualTo("network driver overlay is not supported by the jstack engine (only bridge)");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.message()).isEqualTo("network with name shop_front already exists");
  }

  private static List<String> names(ApiClient.Answer list) {
    assertThat(list.status()).isEqualTo(200);
    return list.json().valueStream().map(n -> n.path("Name").asText()).toList();
  }

  @Test
  void list_filtersByLabelAndByPartOfTheName() {
    assertThat(names(api.get("/networks"))).containsExactly("shop_front", "shop_back", "other");
    assertThat(
            names(
                api.get(
                    "/networks?filters=" + ApiClient.filters("{'label':['project=shop','x']}"))))
        .containsExactly("shop_back");
    assertThat(
            api.get("/networks?filters=" + ApiClient.filters("{'name':['front']}"))
                .json()
                .path(0)
                .path("Name")
                .asText())
        .isEqualTo("shop_front");
  }

  @Test
  void list_danglingTypeIdAndDriverFilters_asDockers_andAnUnknownFilterIs400() {
    engine.networks.add(network("bridge", "172.17.0.0/16", Map.of()));

    assertThat(names(api.get("/networks?filters=" + ApiClient.filters("{'dangling':['true']}"))))
        .containsExactly("shop_back", "other", "bridge");
    assertThat(names(api.get("/networks?filters=" + ApiClient.filters("{'dangling':['false']}"))))
        .containsExactly("shop_front");
    assertThat(names(api.get("/networks?filters=" + ApiClient.filters("{'type':['builtin']}"))))
        .containsExactly("bridge");
    assertThat(
            names(
                api.get(
                    "/networks?filters=" + ApiClient.filters("{'type':['custom'],'id':['sh']}"))))
        .containsExactly("shop_front", "shop_back");
    assertThat(names(api.get("/networks?filters=" + ApiClient.filters("{'driver':['overlay']}"))))
        .isEmpty();
    ApiClient.Answer unknown =
        api.get("/networks?filters=" + ApiClient.filters("{'colour':['red']}"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.message()).startsWith("invalid filter 'colour' for networks: use dangling");
  }

  @Test
  void prune_removesTheNetworksNoContainerIsOn_butTheEnginesOwn_filteredByLabel() {
    engine.networks.add(network("bridge", "172.17.0.0/16", Map.of()));

    ApiClient.Answer labelled =
        api.post("/networks/prune?filters=" + ApiClient.filters("{'label!':['x']}"), "{}");
    ApiClient.Answer all = api.post("/networks/prune", "{}");

    assertThat(labelled.status()).isEqualTo(200);
    assertThat(labelled.json().path("NetworksDeleted").toString()).isEqualTo("[\"other\"]");
    assertThat(all.json().path("NetworksDeleted").toString())
        .isEqualTo("[\"shop_back\",\"other\"]");
    assertThat(engine.calls).containsExactly("remove other", "remove shop_back", "remove other");
  }

  @Test
  void prune_takesAnUntilFilter_keepingWhatWasCreatedAfterIt() {
    // Every network here was created at Fixtures.CREATED.
    ApiClient.Answer before =
        api.post(
            "/networks/prune?filters=" + ApiClient.filters("{'until':['2026-01-01T00:00:00Z']}"),
            "{}");
    assertThat(before.status()).as(before.text()).isEqualTo(200);
    assertThat(before.json().path("NetworksDeleted").toString()).isEqualTo("[]");
    assertThat(engine.calls).isEmpty();

    ApiClient.Answer after =
        api.post("/networks/prune?filters=" + ApiClient.filters("{'until':['1h']}"), "{}");
    assertThat(after.json().path("NetworksDeleted").toString())
        .isEqualTo("[\"shop_back\",\"other\"]");
  }

  @Test
  void inspect_showsIpamOptionsLabels_andTheAttachedContainers() {
    JsonNode n = api.get("/networks/shop_front").json();

    assertThat(n.path("Id").asText()).isEqualTo("shop_front-id");
    assertThat(n.path("Driver").asText()).isEqualTo("bridge");
    assertThat(n.path("Scope").asText()).isEqualTo("local");
    JsonNode pool = n.path("IPAM").path("Config").get(0);
    assertThat(pool.path("Subnet").asText()).isEqualTo("10.7.0.0/24");
    assertThat(pool.path("Gateway").asText()).isEqualTo("10.7.0.1");
    assertThat(pool.has("IPRange")).isFalse();
    assertThat(n.path("Options").path("com.docker.network.bridge.name").asText())
        .isEqualTo("jst-shop_front");
    assertThat(n.path("Options").path("com.docker.network.driver.mtu").asText()).isEqualTo("1450");
    assertThat(n.path("Labels").path("project").asText()).isEqualTo("shop");
    JsonNode web = n.path("Containers").path("web-id");
    assertThat(web.path("Name").asText()).isEqualTo("web");
    assertThat(web.path("EndpointID").asText()).isEqualTo("ep-1");
    assertThat(web.path("IPv4Address").asText()).isEqualTo("10.7.0.5/24");
    assertThat(api.get("/networks/other").json().path("Containers").size()).isZero();
  }

  @Test
  void inspect_ofNoSuchNetwork_is404() {
    ApiClient.Answer a = api.get("/networks/nope");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.message()).isEqualTo("network nope not found");
  }

  @Test
  void connect_passesTheEndpointsAliasesAndAddress_andDisconnectTheContainer() {
    ApiClient.Answer connect =
        api.post(
            "/networks/shop_back/connect",
            "{'Container': 'web', 'EndpointConfig': {'Aliases': ['api'], 'Links': ['db:database'],"
                + " 'IPAMConfig': {'IPv4Address': '10.8.0.7'}}}");
    ApiClient.Answer bare = api.post("/networks/other/connect", "{'Container': 'web'}");
    ApiClient.Answer disconnect =
        api.post("/networks/shop_back/disconnect", "{'Container': 'web', 'Force': false}");

    assertThat(connect.status()).isEqualTo(200);
    assertThat(bare.status()).isEqualTo(200);
    assertThat(disconnect.status()).isEqualTo(200);
    assertThat(engine.calls)
        .containsExactly(
            "connect web to shop_back EndpointRequest[aliases=[api], links=[db:database],"
                + " ipv4Address=10.8.0.7]",
            "connect web to other EndpointRequest[aliases=[], links=[], ipv4Address=null]",
            "disconnect web from shop_back");
    assertThat(api.post("/networks/nope/connect", "{'Container': 'web'}").status()).isEqualTo(404);
  }

  @Test
  void remove_is204_andWhileAContainerIsAttached409() {
    assertThat(api.delete("/networks/other").status()).isEqualTo(204);
    engine.failure = new EngineException.Conflict("network shop_front is used by web");
    ApiClient.Answer inUse = api.delete("/networks/shop_front");

    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.message()).isEqualTo("network shop_front is used by web");
    assertThat(engine.calls).containsExactly("remove other", "remove shop_front");
  }
}

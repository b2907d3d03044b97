package io.jstack.runtime.api;

import static io.jstack.runtime.api.Fixtures.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.engine.http.HttpRequest;
import io.jstack.runtime.container.ContainerConfig;
import io.jstack.runtime.engine.Container;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.engine.Health;
import io.jstack.runtime.engine.PublishedPort;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.Subnet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ContainerRoutesTest {
  @TempDir Path dir;

  private final FakeContainers engine =
      new FakeContainers()
          .with(
              container("web", Container.Status.running, Map.of("app", "shop", "tier", "front")),
              container("db", Container.Status.exited, Map.of("app", "shop", "tier", "back")),
              container("init", Container.Status.created, Map.of("app", "other")));

  private ApiClient api;

  @BeforeEach
  void serve() {
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(engine, engine, engine, null, null, null, null, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private List<String> names(ApiClient.Answer list) {
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    return list.json().findValues("Names").stream().map(n -> n.get(0).asText()).toList();
  }

  // ------------------------------------------------------------------ list

  @Test
  void list_withoutAll_showsTheLiveContainers_asDockerSummarisesThem() {
    ApiClient.Answer a = api.get("/v1.41/containers/json");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo("application/json");
    JsonNode list = a.json();
    assertThat(list).hasSize(1);
    JsonNode web = list.get(0);
    assertThat(web.path("Id").asText()).isEqualTo("web-id");
    assertThat(web.path("Names").get(0).asText()).isEqualTo("/web");
    assertThat(web.path("Image").asText()).isEqualTo("alpine:3");
    assertThat(web.path("ImageID").asText()).isEqualTo("sha256:c0nf19");
    assertThat(web.path("Command").asText()).isEqualTo("sh -c 'echo hi there'");
    assertThat(web.path("Created").asLong()).isEqualTo(Fixtures.CREATED.getEpochSecond());
    assertThat(web.path("State").asText()).isEqualTo("running");
    assertThat(web.path("Status").asText()).startsWith("Up ");
    assertThat(web.path("Labels").path("tier").asText()).isEqualTo("front");
    assertThat(web.path("HostConfig").path("NetworkMode").asText()).isEqualTo("bridge");
    // No endpoint: the network mode names its only network.
    assertThat(web.path("NetworkSettings").path("Networks").has("bridge")).isTrue();
  }

  @Test
  void list_all_showsEveryContainer_andAnExitedOneWithItsExitCode() {
    JsonNode list = api.get("/containers/json?all=1").json();

    assertThat(names(api.get("/containers/json?all=true"))).containsExactly("/web", "/db", "/init");
    assertThat(list.get(1).path("Status").asText()).startsWith("Exited (3) ");
    assertThat(list.get(2).path("Status").asText()).isEqualTo("Created");
  }

  @Test
  void list_filtersByLabel_keyOrKeyAndValue_everyOneMustHold() {
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters=" + ApiClient.filters("{'label':['app']}"))))
        .containsExactly("/web", "/db", "/init");
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters="
                        + ApiClient.filters("{'label':['app=shop','tier=back']}"))))
        .containsExactly("/db");
    // The older map form of a filter: {"label": {"app=other": true}}.
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters="
                        + ApiClient.filters("{'label':{'app=other':true}}"))))
        .containsExactly("/init");
  }

  @Test
  void list_filtersByName_asARegularExpressionOverTheNameWithItsSlash() {
    assertThat(
            names(
                api.get("/containers/json?all=1&filters=" + ApiClient.filters("{'name':['^/d']}"))))
        .containsExactly("/db");
    assertThat(
            names(api.get("/containers/json?all=1&filters=" + ApiClient.filters("{'name':['i']}"))))
        .containsExactly("/init");
  }

  @Test
  void list_severalNamesOrStates_matchAnyOne_asDockerFilters() {
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters="
                        + ApiClient.filters("{'name':['^/db$','^/init$']}"))))
        .containsExactly("/db", "/init");
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters="
                        + ApiClient.filters("{'status':['exited','created']}"))))
        .containsExactly("/db", "/init");
  }

  @Test
  void anExitedContainerItsPolicyStartsAgain_isRestarting_andListedWithoutAll() {
    engine.restartingIds.add("db-id");

    assertThat(names(api.get("/containers/json"))).containsExactly("/web", "/db");
    JsonNode db =
        api.get("/containers/json?filters=" + ApiClient.filters("{'status':['restarting']}"))
            .json();
    assertThat(db).hasSize(1);
    assertThat(db.get(0).path("State").asText()).isEqualTo("restarting");
    assertThat(db.get(0).path("Status").asText()).startsWith("Restarting (3) ");
    JsonNode state = api.get("/containers/db/json").json().path("State");
    assertThat(state.path("Status").asText()).isEqualTo("restarting");
    assertThat(state.path("Restarting").asBoolean()).isTrue();
    assertThat(state.path("Running").asBoolean()).isTrue();
  }

  @Test
  void aContainerItsPolicyIsStartingNow_betweenItsLastRunAndItsNewProcess_isRestarting() {
    // "init" is created as far as its records go (its last run's went, its new one's process is
    // not there yet) while its policy starts it: Docker's restarting, which a down stops first.
    engine.restartingIds.add("init-id");

    JsonNode state = api.get("/containers/init/json").json().path("State");
    assertThat(state.path("Status").asText()).isEqualTo("restarting");
    assertThat(state.path("Restarting").asBoolean()).isTrue();
    assertThat(names(api.get("/containers/json"))).containsExactly("/web", "/init");
  }

  @Test
  void list_filtersByStatus() {
    assertThat(
            names(
                api.get(
                    "/containers/json?all=1&filters="
                        + ApiClient.filters("{'status':['exited']}"))))
        .containsExactly("/db");
  }

  @Test
  void list_aNameFilterThatIsNoRegularExpression_is400() {
    ApiClient.Answer a =
        api.get("/containers/json?all=1&filters=" + ApiClient.filters("{'name':['(']}"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("not a regular expression: (");
  }

  @Test
  void list_malformedFilters_is400() {
    ApiClient.Answer a = api.get("/containers/json?filters=" + ApiClient.filters("{nope"));

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).startsWith("malformed filters");
  }

  // ------------------------------------------------------------------ inspect

  @Test
  void inspect_mergesTheImagesDefaultsUnderTheContainersOwn_asDockerdsCreate() {
    engine.images.put(
        "sha256:c0nf19",
        new io.jstack.runtime.image.ImageConfig(
            List.of("/entry.sh"),
            List.of("serve"),
            List.of("PATH=/usr/bin", "A=from-image"),
            "/srv",
            "app",
            java.util.Map.of("org.example.tier", "image", "team", "image"),
            List.of("8080/tcp"),
            "SIGQUIT",
            null,
            List.of(),
            List.of(),
            List.of()));

    JsonNode c = api.get("/containers/web/json").json().path("Config");

    // The container's own command keeps the image's entrypoint in front of it.
    assertThat(c.path("Cmd").toString()).isEqualTo("[\"sleep\",\"infinity\"]");
    assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"/entry.sh\"]");
    assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\",\"PATH=/usr/bin\"]");
    assertThat(c.path("WorkingDir").asText()).isEqualTo("/srv");
    assertThat(c.path("User").asText()).isEqualTo("app");
    assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(c.path("StopSignal").asText()).isEqualTo("SIGQUIT");
    assertThat(c.path("Labels").has("org.example.tier")).isFalse();
  }

  @Test
  void inspect_byNameOrIdPrefix_showsConfigStateAndHostConfig() {
    JsonNode i = api.get("/containers/web/json").json();

    assertThat(api.get("/containers/web-i/json").json()).isEqualTo(i);
    assertThat(i.path("Id").asText()).isEqualTo("web-id");
    assertThat(i.path("Name").asText()).isEqualTo("/web");
    assertThat(i.path("Image").asText()).isEqualTo("sha256:c0nf19");
    assertThat(i.path("Config").path("Image").asText()).isEqualTo("alpine:3");
    assertThat(i.path("Config").path("Cmd").toString()).isEqualTo("[\"sleep\",\"infinity\"]");
    assertThat(i.path("Config").has("Entrypoint")).isFalse();
    assertThat(i.path("Config").path("Env").toString()).isEqualTo("[\"A=1\"]");
    assertThat(i.path("State").path("Status").asText()).isEqualTo("running");
    assertThat(i.path("State").path("Running").asBoolean()).isTrue();
    assertThat(i.path("State").path("Pid").asLong())
        .as("its process, as the engine names it")
        .isEqualTo(ProcessHandle.current().pid());
    assertThat(i.path("State").path("Error").asText("missing")).isEmpty();
    assertThat(i.path("State").path("StartedAt").asText()).isEqualTo(Fixtures.STARTED.toString());
    assertThat(i.path("State").path("FinishedAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(i.path("State").has("Health")).isFalse();
    assertThat(i.path("HostConfig").path("NetworkMode").asText()).isEqualTo("bridge");
    assertThat(i.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("no");
    assertThat(i.path("HostConfig").path("ShmSize").asLong())
        .as("dockerd's default size of /dev/shm")
        .isEqualTo(67108864L);
    assertThat(i.path("HostConfig").has("Tmpfs")).as("omitted when empty, as dockerd").isFalse();
  }

  @Test
  void inspect_anExitedContainer_hasItsExitCodeAndEnd() {
    JsonNode state = api.get("/containers/db/json").json().path("State");

    assertThat(state.path("Status").asText()).isEqualTo("exited");
    assertThat(state.path("Running").asBoolean()).isFalse();
    assertThat(state.path("ExitCode").asInt()).isEqualTo(3);
    assertThat(state.path("Pid").asLong()).as("no process: 0, as dockerd").isZero();
    assertThat(state.has("Pid")).isTrue();
    assertThat(state.path("FinishedAt").asText())
        .isEqualTo(Fixtures.STARTED.plusSeconds(60).toString());
  }

  @Test
  void inspect_showsEndpointsWithTheirNetworksGateway_portsAndHealth() {
    Network front =
        new Network(
            "net-front",
            "front",
            Subnet.parse("10.7.0.0/24"),
            Subnet.parseAddress("10.7.0.1"),
            Optional.empty(),
            false,
            1500,
            Map.of(),
            Fixtures.CREATED,
            "jst-front");
    engine.networks.put("net-front", front);
    ContainerRecord r =
        Fixtures.record(
            "api",
            Map.of(),
            Map.of(
                "net-front",
                new Endpoint("front", "10.7.0.5", 0, "ep-1", List.of("api", "svc"), List.of())),
            List.of(new PublishedPort("tcp", "0.0.0.0", 8080, 80)));
    engine.with(Fixtures.withRecord(r, Container.Status.running));
    engine.health.put("api-id", new Health.State("healthy", 0, List.of()));

    JsonNode i = api.get("/containers/api/json").json();

    JsonNode ep = i.path("NetworkSettings").path("Networks").path("front");
    assertThat(ep.path("IPAddress").asText()).isEqualTo("10.7.0.5");
    assertThat(ep.path("Gateway").asText()).isEqualTo("10.7.0.1");
    assertThat(ep.path("IPPrefixLen").asInt()).isEqualTo(24);
    assertThat(ep.path("NetworkID").asText()).isEqualTo("net-front");
    assertThat(ep.path("EndpointID").asText()).isEqualTo("ep-1");
    assertThat(ep.path("Aliases").toString()).isEqualTo("[\"api\",\"svc\"]");
    assertThat(i.path("NetworkSettings").path("IPAddress").asText()).isEqualTo("10.7.0.5");
    JsonNode port = i.path("NetworkSettings").path("Ports").path("80/tcp").get(0);
    assertThat(port.path("HostIp").asText()).isEqualTo("0.0.0.0");
    assertThat(port.path("HostPort").asText()).isEqualTo("8080");
    assertThat(i.path("State").path("Health").path("Status").asText()).isEqualTo("healthy");
    JsonNode listed =
        api.get("/containers/json?filters=" + ApiClient.filters("{'name':['api']}")).json().get(0);
    assertThat(listed.path("Ports").toString())
        .isEqualTo(
            "[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}]");
    assertThat(listed.path("Status").asText()).endsWith("(healthy)");
    assertThat(
            listed
                .path("NetworkSettings")
                .path("Networks")
                .path("front")
                .path("IPAddress")
                .asText())
        .isEqualTo("10.7.0.5");
  }

  @Test
  void inspect_ofNoSuchContainer_is404_withDockersMessageBody() {
    ApiClient.Answer a = api.get("/containers/nope/json");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.contentType()).isEqualTo("application/json");
    assertThat(a.json().toString()).isEqualTo("{\"message\":\"No such container: nope\"}");
  }

  // ------------------------------------------------------------------ create

  @Test
  void create_answers201WithTheId_andDecodesTheWholeBody() {
    ApiClient.Answer a =
        api.post(
            "/containers/create?name=shop-web-1",
            """
            {'Image': 'nginx:1', 'Entrypoint': [], 'Env': ['A=1', 'B=two words'],
             'Labels': {'com.docker.compose.project': 'shop'}, 'WorkingDir': '/srv',
             'User': '101:101', 'Hostname': 'web', 'StopSignal': 'SIGQUIT', 'StopTimeout': 4,
             'ExposedPorts': {'80/tcp': {}}, 'Tty': true, 'OpenStdin': true,
             'HostConfig': {
               'NetworkMode': 'shop_front',
               'Binds': ['/srv/data:/data:ro'],
               'Mounts': [{'Type': 'volume', 'Source': 'cache', 'Target': '/cache',
                           'ReadOnly': true, 'VolumeOptions': {'NoCopy': true}},
                          {'Type': 'tmpfs', 'Target': '/tmp'}],
               'PortBindings': {'80/tcp': [{'HostIp': '127.0.0.1', 'HostPort': '8080'}],
                                '53/udp': [{'HostPort': ''}], '9000': [{}]},
               'RestartPolicy': {'Name': 'on-failure', 'MaximumRetryCount': 3},
               'Init': true, 'AutoRemove': true, 'CapAdd': ['NET_ADMIN'], 'Memory': 1048576,
               'Sysctls': {'net.core.somaxconn': '1024'},
               'Ulimits': [{'Name': 'nofile', 'Soft': 1024, 'Hard': 2048}]},
             'NetworkingConfig': {'EndpointsConfig': {
               'shop_front': {'Aliases': ['web', 'www'], 'IPAMConfig': {'IPv4Address': '10.5.0.9'}},
               'shop_back': {}}}}
            """);

    assertThat(a.status()).as(a.text()).isEqualTo(201);
    assertThat(a.json().toString()).isEqualTo("{\"Id\":\"new-id\",\"Warnings\":[]}");
    assertThat(engine.createdName).isEqualTo("shop-web-1");
    ContainerSettings s = engine.created;
    assertThat(s.image()).isEqualTo("nginx:1");
    assertThat(s.entrypoint()).as("an empty entrypoint resets the image's").isEmpty();
    assertThat(s.cmd()).as("no Cmd keeps the image's").isNull();
    assertThat(s.env()).containsExactly("A=1", "B=two words");
    assertThat(s.labels()).isEqualTo(Map.of("com.docker.compose.project", "shop"));
    assertThat(s.workingDir()).isEqualTo("/srv");
    assertThat(s.user()).isEqualTo("101:101");
    assertThat(s.hostname()).isEqualTo("web");
    assertThat(s.stopSignal()).isEqualTo("SIGQUIT");
    assertThat(s.stopTimeout()).isEqualTo(4L);
    assertThat(s.exposedPorts()).containsExactly("80/tcp");
    assertThat(s.console()).isEqualTo(new ContainerConfig.Console(true, true, false));
    ContainerSettings.Host h = s.host();
    assertThat(h.networkMode()).isEqualTo("shop_front");
    assertThat(h.binds()).containsExactly("/srv/data:/data:ro");
    assertThat(h.mounts())
        .containsExactly(
            new ContainerSettings.Mount("volume", "cache", "/cache", true, true),
            new ContainerSettings.Mount("tmpfs", "", "/tmp", false, false));
    assertThat(h.portBindings())
        .containsExactlyInAnyOrder(
            new ContainerSettings.PortBinding(80, "tcp", "127.0.0.1", "8080"),
            new ContainerSettings.PortBinding(53, "udp", "", ""),
            new ContainerSettings.PortBinding(9000, "tcp", "", ""));
    assertThat(h.restartPolicy()).isEqualTo("on-failure");
    assertThat(h.maximumRetryCount()).isEqualTo(3);
    assertThat(h.init()).isTrue();
    assertThat(h.autoRemove()).isTrue();
    assertThat(h.capAdd()).containsExactly("NET_ADMIN");
    assertThat(h.memory()).isEqualTo(1048576);
    assertThat(h.sysctls()).isEqualTo(Map.of("net.core.somaxconn", "1024"));
    assertThat(h.ulimits()).containsExactly(new ContainerConfig.Ulimit("nofile", 1024, 2048));
    assertThat(s.networks().keySet()).containsExactly("shop_front", "shop_back");
    assertThat(s.networks().get("shop_front"))
        .isEqualTo(
            new ContainerSettings.EndpointRequest(List.of("web", "www"), List.of(), "10.5.0.9"));
    assertThat(s.networks().get("shop_back"))
        .isEqualTo(new ContainerSettings.EndpointRequest(List.of(), List.of(), null));
  }

  @Test
  void create_aMinimalBody_keepsTheImagesDefaults_andLetsTheEngineName() {
    ApiClient.Answer a = api.post("/containers/create?name=", "{'Image': 'alpine', 'Cmd': []}");

    assertThat(a.status()).isEqualTo(201);
    assertThat(engine.createdName).as("an empty name is no name").isNull();
    ContainerSettings s = engine.created;
    assertThat(s.entrypoint()).as("no Entrypoint keeps the image's").isNull();
    assertThat(s.cmd()).as("an empty Cmd is no command, not the image's").isEmpty();
    assertThat(s.env()).isEmpty();
    assertThat(s.host().restartPolicy()).isEqualTo("no");
    assertThat(s.host().init()).as("no Init: the engine's default").isNull();
    assertThat(s.host().networkMode()).isEmpty();
    assertThat(s.networks()).isEmpty();
    assertThat(s.healthcheck()).isNull();
    assertThat(s.stopTimeout()).isNull();
  }

  @Test
  void create_thenInspect_showsWhatWasAskedFor() {
    // (A name of one character, as dockerd's, is refused: the record below stands for it.)
    api.post(
        "/containers/create?name=xx",
        "{'Image': 'alpine', 'Cmd': ['echo', 'hi'], 'HostConfig': {'Init': false,"
            + " 'PortBindings': {'80/tcp': [{'HostIp': '', 'HostPort': '8080'}]}}}");
    engine.with(
        Fixtures.withRecord(
            new ContainerRecord(
                "x-id",
                "x",
                "alpine",
                "sha256:c0nf19",
                Fixtures.CREATED,
                engine.created,
                List.of("echo", "hi"),
                Map.of(),
                List.of(),
                List.of(),
                null,
                0,
                false),
            Container.Status.created));

    JsonNode i = api.get("/containers/x/json").json();

    assertThat(i.path("Config").path("Cmd").toString()).isEqualTo("[\"echo\",\"hi\"]");
    // The process as Docker splits it, and the files the engine keeps for it.
    assertThat(i.path("Path").asText()).isEqualTo("echo");
    assertThat(i.path("Args").toString()).isEqualTo("[\"hi\"]");
    assertThat(i.path("HostsPath").asText()).isEqualTo("/var/lib/fake/containers/x-id/hosts");
    assertThat(i.path("ResolvConfPath").asText())
        .isEqualTo("/var/lib/fake/containers/x-id/resolv.conf");
    assertThat(i.path("LogPath").asText()).isEqualTo("/var/lib/fake/containers/x-id/ctr.log");
    assertThat(i.path("HostConfig").path("Init").isBoolean()).isTrue();
    assertThat(i.path("HostConfig").path("Init").asBoolean()).isFalse();
    assertThat(
            i.path("HostConfig")
                .path("PortBindings")
                .path("80/tcp")
                .get(0)
                .path("HostPort")
                .asText())
        .isEqualTo("8080");
    assertThat(i.path("State").path("StartedAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(i.path("NetworkSettings").path("Ports").size())
        .as("a container that does not run publishes nothing")
        .isZero();
  }

  @Test
  void create_withPublishAllPorts_publishesEveryExposedPortWithoutABinding_inOrder() {
    api.post(
        "/containers/create",
        "{'Image': 'alpine', 'ExposedPorts': {'9000/tcp': {}, '53/udp': {}},"
            + " 'HostConfig': {'PublishAllPorts': true,"
            + " 'PortBindings': {'9000/tcp': [{'HostIp': '127.0.0.1', 'HostPort': '9000'}]}}}");
    ContainerSettings.Host h = engine.created.host();

    assertThat(h.publishAllPorts()).isTrue();
    assertThat(h.published(List.of("9000/tcp", "53/udp", "80", "53/tcp", "443/tcp")))
        .as("its own binding first, then the image's ports and its own by number")
        .containsExactly(
            new ContainerSettings.PortBinding(9000, "tcp", "127.0.0.1", "9000"),
            new ContainerSettings.PortBinding(53, "tcp", "", ""),
            new ContainerSettings.PortBinding(53, "udp", "", ""),
            new ContainerSettings.PortBinding(80, "tcp", "", ""),
            new ContainerSettings.PortBinding(443, "tcp", "", ""));
    assertThat(CreateBody.hostConfig(h).path("PublishAllPorts").asBoolean()).isTrue();

    api.post("/containers/create", "{'Image': 'alpine', 'ExposedPorts': {'80/tcp': {}}}");
    assertThat(engine.created.host().publishAllPorts()).isFalse();
    assertThat(engine.created.host().published(List.of("80/tcp")))
        .as("without it, exposing publishes nothing")
        .isEmpty();
  }

  @Test
  void create_withTmpfsAsAMap_keepsEachMountPointWithItsOptions_asDockerdDoes() {
    api.post(
        "/containers/create",
        "{'Image': 'alpine', 'HostConfig': {'Tmpfs': {'/run': 'size=1m,mode=0700', '/tmp/cache': ''}}}");

    assertThat(engine.created.host().tmpfs())
        .containsExactly(
            java.util.Map.entry("/run", "size=1m,mode=0700"),
            java.util.Map.entry("/tmp/cache", ""));
    assertThat(engine.created.host().mounts()).isEmpty();
  }

  @Test
  void create_withConfigVolumes_keepsThePaths_asDockerRunVSendsThem() {
    api.post("/containers/create", "{'Image': 'alpine', 'Volumes': {'/data': {}, '/logs': {}}}");

    assertThat(engine.created.volumes()).containsExactly("/data", "/logs");
  }

  @Test
  void create_withATmpfsMount_keepsItsSizeModeAndReadOnly() {
    api.post(
        "/containers/create",
        "{'Image': 'alpine', 'HostConfig': {'Mounts': [{'Type': 'tmpfs', 'Target': '/cache',"
            + " 'ReadOnly': true, 'TmpfsOptions': {'SizeBytes': 10485760, 'Mode': 488}}]}}");

    assertThat(engine.created.host().mounts())
        .containsExactly(
            new ContainerSettings.Mount("tmpfs", "", "/cache", true, false, 10485760L, 0750));
  }

  @Test
  void create_withAPortBindingThatIsNoPort_is400_namingIt() {
    ApiClient.Answer a =
        api.post(
            "/containers/create",
            "{'Image': 'alpine', 'HostConfig': {'PortBindings': {'http/tcp': [{}]}}}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).contains("http/tcp is not a port");
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void create_withABodyThatIsNotJson_is400() {
    ApiClient.Answer a = api.post("/containers/create", "{'Image': ");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.message()).startsWith("the request body is not JSON");
  }

  @Test
  void create_theEnginesTypedFailures_becomeDockersStatuses() {
    engine.failWith(new EngineException.NotFound("no such image: nginx:9"));
    ApiClient.Answer missing = api.post("/containers/create", "{'Image': 'nginx:9'}");
    engine.failWith(new EngineException.Conflict("the name web is taken"));
    ApiClient.Answer taken = api.post("/containers/create?name=web", "{'Image': 'nginx'}");
    engine.failWith(new EngineException.InvalidArgument("bad mount"));
    ApiClient.Answer invalid = api.post("/containers/create", "{'Image': 'nginx'}");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.message()).isEqualTo("no such image: nginx:9");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.message()).isEqualTo("the name web is taken");
    assertThat(invalid.status()).isEqualTo(400);
  }

  // ------------------------------------------------------------------ lifecycle

  @Test
  void start_is204_orWhenItRunsAlready304() {
    assertThat(api.post("/containers/init/start").status()).isEqualTo(204);
    assertThat(api.post("/containers/web/start").status()).isEqualTo(304);
    assertThat(api.post("/containers/nope/start").status()).isEqualTo(404);
    assertThat(engine.calls).containsExactly("start init", "start web");
  }

  @Test
  void stop_takesItsTimeoutAndSignal_noneForTheContainersOwn() {
    assertThat(api.post("/containers/web/stop").status()).isEqualTo(204);
    assertThat(api.post("/containers/web/stop?t=3&signal=SIGINT").status()).isEqualTo(204);
    assertThat(api.post("/containers/web/stop?t=-1").status()).isEqualTo(204);
    ApiClient.Answer bad = api.post("/containers/web/stop?t=soon");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.text()).contains("t=soon is not a number of seconds");

    assertThat(engine.calls)
        .containsExactly(
            "stop web signal=null timeout=null",
            "stop web signal=SIGINT timeout=PT3S",
            "stop web signal=null timeout=PT-1S");
  }

  @Test
  void restart_stopsWithItsOwnSignal_thenStarts() {
    assertThat(api.post("/containers/web/restart?t=1").status()).isEqualTo(204);

    assertThat(engine.calls).containsExactly("stop web signal=null timeout=PT1S", "start web");
  }

  @Test
  void kill_sendsTheSignalAsked_orLeavesTheDefaultToTheEngine() {
    assertThat(api.post("/containers/web/kill?signal=HUP").status()).isEqualTo(204);
    assertThat(api.post("/containers/web/kill").status()).isEqualTo(204);
    engine.failWith(new EngineException.Conflict("container web-id is not running"));
    ApiClient.Answer notRunning = api.post("/containers/web/kill");

    assertThat(notRunning.status()).isEqualTo(409);
    assertThat(notRunning.message()).isEqualTo("container web-id is not running");
    assertThat(engine.calls).startsWith("kill web signal=HUP", "kill web signal=null");
  }

  @Test
  void prune_removesWhatDoesNotRun_keepingItsVolumes_andSaysWhatItReclaimed() {
    engine.with(
        container("paused", Container.Status.paused, Map.of()),
        container("again", Container.Status.exited, Map.of()),
        container("step", Container.Status.created, Map.of()));
    engine.restartingIds.add("again-id");
    engine.buildSteps.add("step-id");

    ApiClient.Answer a = api.post("/v1.41/containers/prune");

    assertThat(a.status()).as(a.text()).isEqualTo(200);
    assertThat(a.json().get("ContainersDeleted"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly("db-id", "init-id");
    // The fake's writable layers: 1000 bytes a letter of the name.
    assertThat(a.json().get("SpaceReclaimed").asLong()).isEqualTo(2000 + 4000);
    assertThat(engine.calls)
        .containsExactly(
            "remove db force=false volumes=false", "remove init force=false volumes=false");
  }

  @Test
  void prune_takesLabelAndUntilFilters_andRefusesOthers() {
    ApiClient.Answer labelled =
        api.post("/v1.41/containers/prune?filters=" + ApiClient.filters("{'label':['app=shop']}"));
    assertThat(labelled.json().get("ContainersDeleted"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly("db-id");
    ApiClient.Answer notLabelled =
        api.post("/v1.41/containers/prune?filters=" + ApiClient.filters("{'label!':['app=shop']}"));
    assertThat(notLabelled.json().get("ContainersDeleted"))
        .extracting(com.fasterxml.jackson.databind.JsonNode::asText)
        .containsExactly("init-id");
    // Created at Fixtures.CREATED: kept by an until before it, taken by one after it.
    ApiClient.Answer before =
        api.post(
            "/v1.41/containers/prune?filters="
                + ApiClient.filters("{'until':['2026-01-01T00:00:00Z']}"));
    assertThat(before.json().get("ContainersDeleted")).isEmpty();
    assertThat(before.json().get("SpaceReclaimed").asLong()).isZero();
    ApiClient.Answer after =
        api.post("/v1.41/containers/prune?filters=" + ApiClient.filters("{'until':['1h']}"));
    assertThat(after.json().get("ContainersDeleted")).hasSize(2);

    ApiClient.Answer twice =
        api.post("/v1.41/containers/prune?filters=" + ApiClient.filters("{'until':['1h','2h']}"));
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.message()).startsWith("more than one until filter specified");
    ApiClient.Answer unknown =
        api.post("/v1.41/containers/prune?filters=" + ApiClient.filters("{'status':['exited']}"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.message()).startsWith("invalid filter 'status' for container prune");
  }

  @Test
  void remove_takesForceAndVolumes_asDockerReadsABoolean() {
    assertThat(api.delete("/containers/db").status()).isEqualTo(204);
    assertThat(api.delete("/containers/web?force=1&v=true").status()).isEqualTo(204);
    // docker-py sends Python's booleans as they print.
    assertThat(api.delete("/containers/web?force=True&v=False").status()).isEqualTo(204);
    assertThat(api.delete("/containers/web?force=0&v=no").status()).isEqualTo(204);

    assertThat(engine.calls)
        .containsExactly(
            "remove db force=false volumes=false",
            "remove web force=true volumes=true",
            "remove web force=true volumes=false",
            "remove web force=false volumes=false");
  }

  @Test
  void pauseAndUnpause_are204() {
    assertThat(api.post("/containers/web/pause").status()).isEqualTo(204);
    assertThat(api.post("/containers/web/unpause").status()).isEqualTo(204);

    assertThat(engine.calls).containsExactly("pause web", "unpause web");
  }

  @Test
  void rename_is204_needsANewName_andATakenOneIs409() {
    assertThat(api.post("/containers/web/rename?name=shop-web").status()).isEqualTo(204);
    ApiClient.Answer nameless = api.post("/containers/web/rename");
    engine.failWith(new EngineException.Conflict("the name db is taken"));
    ApiClient.Answer taken = api.post("/containers/web/rename?name=db");

    assertThat(nameless.status()).isEqualTo(400);
    assertThat(nameless.message()).isEqualTo("the rename needs a new name (?name=...)");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(engine.calls).containsExactly("rename web to shop-web", "rename web to db");
  }

  @Test
  void wait_answersTheExitCode_forTheConditionAsked() {
    engine.exitCode = 7;

    ApiClient.Answer plain = api.post("/containers/db/wait");
    ApiClient.Answer next = api.post("/containers/db/wait?condition=next-exit");

    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().toString()).isEqualTo("{\"StatusCode\":7,\"Error\":null}");
    assertThat(next.json().path("StatusCode").asInt()).isEqualTo(7);
    assertThat(engine.calls).containsExactly("await db NOT_RUNNING", "await db NEXT_EXIT");
  }

  @Test
  void wait_forAnUnknownCondition_is400_andForNoContainer404() {
    ApiClient.Answer bad = api.post("/containers/db/wait?condition=forever");

    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).contains("not-running, next-exit or removed");
    assertThat(api.post("/containers/nope/wait").status()).isEqualTo(404);
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void top_listsTheProcesses_asPsDoes_butOnlyOfARunningContainer() {
    JsonNode top = api.get("/containers/web/top").json();
    ApiClient.Answer exited = api.get("/containers/db/top");

    assertThat(top.path("Titles").toString())
        .isEqualTo("[\"UID\",\"PID\",\"PPID\",\"C\",\"STIME\",\"TTY\",\"TIME\",\"CMD\"]");
    assertThat(top.path("Processes").get(0).get(1).asText())
        .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    assertThat(exited.status()).isEqualTo(409);
    assertThat(exited.message()).isEqualTo("container db-id is not running");
  }

  @Test
  void resize_passesRowsAndColumns_andNeedsThem() {
    assertThat(api.post("/containers/web/resize?h=40&w=120").status()).isEqualTo(200);
    ApiClient.Answer noHeight = api.post("/containers/web/resize?w=120");

    assertThat(noHeight.status()).isEqualTo(400);
    assertThat(noHeight.message()).isEqualTo("h must be a number, not null");
    assertThat(engine.calls).containsExactly("resize web-id 40x120");
  }

  @Test
  void archive_get_streamsThePathAsATar() throws IOException {
    Path etc = Files.createDirectories(dir.resolve("rootfs/etc"));
    Files.writeString(etc.resolve("hostname"), "web\n");
    engine.paths.put("web:/etc", etc);

    ApiClient.Answer a = api.get("/containers/web/archive?path=/etc");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).isEqualTo("application/x-tar");
    List<String> entries = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(a.bytes()))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.add(e.getName() + (e.isFile() ? " " + new String(tar.readAllBytes()) : ""));
      }
    }
    assertThat(entries).containsExactly("etc/", "etc/hostname web\n");
  }

  @Test
  void archive_head_statsThePath_inDockersHeader_asTheDockerCliReadsIt() throws IOException {
    Path etc = Files.createDirectories(dir.resolve("rootfs/etc"));
    Path hostname = Files.writeString(etc.resolve("hostname"), "web\n");
    Files.setPosixFilePermissions(hostname, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(etc.resolve("name"), Path.of("hostname"));
    engine.paths.put("web:/etc/", etc);
    engine.paths.put("web:/etc/hostname", hostname);
    engine.paths.put("web:/etc/name", link);

    ApiClient.Answer file = api.head("/containers/web/archive?path=/etc/hostname");
    JsonNode fileStat = stat(file);
    JsonNode dirStat = stat(api.head("/containers/web/archive?path=/etc/"));
    JsonNode linkStat = stat(api.head("/containers/web/archive?path=/etc/name"));

    assertThat(file.status()).isEqualTo(200);
    assertThat(fileStat.path("name").asText()).isEqualTo("hostname");
    assertThat(fileStat.path("size").asLong()).isEqualTo(4);
    assertThat(fileStat.path("mode").asLong()).as("Go's os.FileMode of rw-r-----").isEqualTo(0640);
    assertThat(fileStat.path("linkTarget").asText("missing")).isEmpty();
    assertThat(Instant.parse(fileStat.path("mtime").asText()))
        .isEqualTo(Files.getLastModifiedTime(hostname).toInstant());
    assertThat(dirStat.path("name").asText()).isEqualTo("etc");
    assertThat(dirStat.path("mode").asLong() >>> 31).as("os.ModeDir").isEqualTo(1);
    assertThat(linkStat.path("mode").asLong() & (1L << 27)).as("os.ModeSymlink").isNotZero();
    assertThat(linkStat.path("linkTarget").asText()).isEqualTo("/etc/hostname");
    assertThat(stat(api.get("/containers/web/archive?path=/etc/hostname")))
        .as("the copy out says it too")
        .isEqualTo(fileStat);
    assertThat(api.head("/containers/web/archive?path=/nothing").status()).isEqualTo(404);
  }

  private static JsonNode stat(ApiClient.Answer a) throws IOException {
    assertThat(a.pathStat()).as("X-Docker-Container-Path-Stat of a " + a.status()).isNotNull();
    return Exchange.JSON.readTree(java.util.Base64.getDecoder().decode(a.pathStat()));
  }

  @Test
  void archive_put_streamsTheTarIntoTheDirectoryAsked_andGetOfNothingIs404() {
    ApiClient.Answer put =
        api.send(
            new HttpRequest(
                "PUT",
                "/containers/web/archive?path=/srv",
                Map.of("Content-Type", "application/x-tar"),
                null,
                new ByteArrayInputStream(new byte[3000])));
    ApiClient.Answer get = api.get("/containers/web/archive?path=/nothing");

    assertThat(put.status()).isEqualTo(200);
    assertThat(engine.calls).containsExactly("copyTo web /srv 3000 bytes");
    assertThat(get.status()).isEqualTo(404);
    assertThat(get.message()).isEqualTo("no /nothing in web");
  }

  // ------------------------------------------------------------------ errors

  @Test
  void failuresThatAreNotTheEnginesTypedOnes_are501Or500() {
    engine.failWith(new UnsupportedOperationException("checkpoints are not supported"));
    ApiClient.Answer unsupported = api.post("/containers/web/pause");
    engine.failWith(new IllegalStateException("conmon vanished"));
    ApiClient.Answer broken = api.post("/containers/web/pause");
    engine.failWith(new EngineException("runc failed: exit 1"));
    ApiClient.Answer failed = api.post("/containers/web/unpause");

    assertThat(unsupported.status()).isEqualTo(501);
    assertThat(unsupported.message()).isEqualTo("checkpoints are not supported");
    assertThat(broken.status()).isEqualTo(500);
    assertThat(broken.message()).isEqualTo("conmon vanished");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.message()).isEqualTo("runc failed: exit 1");
  }
}

package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose-go v2.10.1 {@code TestFullExample} on {@code loader/full-example.yml} (notes §6, §7.1),
 * field by field. The fixture is loaded from a copy of {@code loader/} with the two label files
 * upstream has and the shared copy lacks (§0), with {@code env = {HOME, BAR, QUX}} as upstream.
 *
 * <p>Upstream loads it without the consistency check, which the file fails (§6.5); jstack always
 * checks, so the copy is patched as little as that needs: {@code network_mode} (it excludes {@code
 * networks}) and {@code container_name} (it excludes 6 replicas) are removed, and the services
 * {@code db} and {@code redis} and the network {@code other-other-network} that {@code foo} refers
 * to are declared. jstack also always normalises, which names resources and adds the default
 * network to {@code bar}.
 */
class FullExampleConformanceTest {
  private static final String NAME = "full_example_project_name";

  @TempDir Path tmp;
  private Path wd;
  private Path file;
  private final String home = ComposeGo.home();

  @BeforeEach
  void copyFixture() throws IOException {
    wd = ComposeGo.loaderCopyWithLabels(tmp);
    file = wd.resolve("full-example.yml");
  }

  private Map<String, String> env() {
    return Map.of("HOME", home, "BAR", "this is a secret", "QUX", "qux_from_environment");
  }

  private ProjectOptions options() {
    return ProjectOptions.of(List.of(file), env(), wd);
  }

  private Project load() throws IOException {
    String text = Files.readString(file);
    String patched =
        text.replaceFirst("\n    network_mode: \"container:[0-9a-f]+\"\n", "\n")
            .replace("\n    container_name: my-web-container\n", "\n")
            .replace(
                "\nservices:\n", "\nservices:\n  db:\n    image: db\n  redis:\n    image: redis\n")
            .replace("\nnetworks:\n", "\nnetworks:\n  other-other-network:\n");
    assertThat(patched).isNotEqualTo(text);
    write(file, patched);
    return ComposeLoader.load(options()).project();
  }

  private String wd(String relative) {
    return relative.isEmpty() ? wd.toString() : wd.resolve(relative).toString();
  }

  private String home(String relative) {
    return Path.of(home).resolve(relative).toString();
  }

  @Test
  void unpatched_failsTheConsistencyCheckUpstreamSkips() {
    assertLoadError(options()).contains("service \"foo\"");
  }

  @Test
  void project_nameServicesAndExtensions() throws IOException {
    Project p = load();
    assertThat(p.name()).isEqualTo(NAME);
    assertThat(p.services()).containsOnlyKeys("bar", "foo", "db", "redis");
    assertThat(p.extensions())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("x-bar", "baz", "x-foo", "bar", "x-nested", Map.of("bar", "baz", "foo", "bar")));
  }

  @Test
  void bar_inlineDockerfileAndDefaultContext() throws IOException {
    Service bar = load().services().get("bar");
    assertThat(bar.build().context()).isEqualTo(wd(""));
    assertThat(bar.build().dockerfileInline())
        .isEqualTo("FROM alpine\nRUN echo \"hello\" > /world.txt\n");
    assertThat(bar.build().dockerfile()).isNull();
    assertThat(bar.environment()).isEmpty();
    assertThat(bar.networks()).containsOnlyKeys("default");
  }

  @Test
  void foo_build() throws IOException {
    BuildConfig b = load().services().get("foo").build();
    assertThat(b.context()).isEqualTo(wd("dir"));
    assertThat(b.dockerfile()).isEqualTo("Dockerfile");
    assertThat(b.args()).containsExactlyEntriesOf(Map.of("foo", "bar"));
    assertThat(b.ssh()).containsExactly("default");
    assertThat(b.labels()).containsExactlyEntriesOf(Map.of("FOO", "BAR"));
    assertThat(b.cacheFrom()).containsExactly("foo", "bar");
    assertThat(b.additionalContexts()).containsExactlyEntriesOf(Map.of("foo", wd("bar")));
    assertThat(b.network()).isEqualTo("foo");
    assertThat(b.target()).isEqualTo("foo");
    assertThat(b.secrets())
        .containsExactly(
            new FileReference("secret1", "/run/secrets/secret1", null, null, null),
            new FileReference("secret2", "my_secret", "103", "103", new FileMode(0440)));
    assertThat(b.secrets().get(1).mode().bits()).isEqualTo(288);
    // COMPOSE_PROJECT_NAME is in the interpolation environment.
    assertThat(b.tags())
        .containsExactly("foo:v1.0.0", "docker.io/username/foo:my-other-tag", NAME + ":1.0.0");
    assertThat(b.platforms()).containsExactly("linux/amd64", "linux/arm64");
  }

  @Test
  void foo_simpleFields() throws IOException {
    Service foo = load().services().get("foo");
    assertThat(foo.annotations()).containsExactlyEntriesOf(Map.of("com.example.foo", "bar"));
    assertThat(foo.capAdd()).containsExactly("ALL");
    assertThat(foo.capDrop()).containsExactly("NET_ADMIN", "SYS_ADMIN");
    assertThat(foo.cgroupParent()).isEqualTo("m-executor-abcd");
    assertThat(foo.command()).containsExactly("bundle", "exec", "thin", "-p", "3000");
    assertThat(foo.entrypoint()).containsExactly("/code/entrypoint.sh", "-p", "3000");
    assertThat(foo.deviceCgroupRules()).containsExactly("c 1:3 mr", "a 7:* rmw");
    assertThat(foo.devices()).containsExactly(new Device("/dev/ttyUSB0", "/dev/ttyUSB0", "rwm"));
    assertThat(foo.dns()).containsExactly("8.8.8.8", "9.9.9.9");
    assertThat(foo.dnsSearch()).containsExactly("dc1.example.com", "dc2.example.com");
    assertThat(foo.domainname()).isEqualTo("foo.com");
    assertThat(foo.expose()).containsExactly("3000", "8000");
    assertThat(foo.externalLinks())
        .containsExactly("redis_1", "project_db_1:mysql", "project_db_1:postgresql");
    assertThat(foo.hostname()).isEqualTo("foo");
    assertThat(foo.image()).isEqualTo("redis");
    assertThat(foo.ipc()).isEqualTo("host");
    assertThat(foo.uts()).isEqualTo("host");
    assertThat(foo.pid()).isEqualTo("host");
    assertThat(foo.links()).containsExactly("db", "db:database", "redis");
    assertThat(foo.logging())
        .isEqualTo(new Logging("syslog", Map.of("syslog-address", "tcp://192.168.0.42:123")));
    assertThat(foo.macAddress()).isEqualTo("02:42:ac:11:65:43");
    assertThat(foo.privileged()).isTrue();
    assertThat(foo.readOnly()).isTrue();
    assertThat(foo.restart()).isEqualTo("always");
    assertThat(foo.securityOpt())
        .containsExactly("label=level:s0:c100,c200", "label=type:svirt_apache_t");
    assertThat(foo.stdinOpen()).isTrue();
    assertThat(foo.tty()).isTrue();
    assertThat(foo.stopSignal()).isEqualTo("SIGUSR1");
    assertThat(foo.storageOpt()).containsExactlyEntriesOf(Map.of("size", "20G"));
    assertThat(foo.sysctls())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("net.core.somaxconn", "1024", "net.ipv4.tcp_syncookies", "0"));
    assertThat(foo.tmpfs()).containsExactly("/run", "/tmp");
    assertThat(foo.user()).isEqualTo("someone");
    assertThat(foo.workingDir()).isEqualTo("/code");
    assertThat(foo.extensions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-bar", "baz", "x-foo", "bar"));
  }

  @Test
  void foo_configsSecretsAndDependencies() throws IOException {
    Service foo = load().services().get("foo");
    // No default target for configs; secrets get /run/secrets/<source>.
    assertThat(foo.configs())
        .containsExactly(
            new FileReference("config1", null, null, null, null),
            new FileReference("config2", "/my_config", "103", "103", new FileMode(0440)));
    assertThat(foo.secrets())
        .containsExactly(
            new FileReference("secret1", "/run/secrets/secret1", null, null, null),
            new FileReference("secret2", "my_secret", "103", "103", new FileMode(0440)));
    DependsOn started = new DependsOn("service_started", false, true);
    assertThat(foo.dependsOn())
        .containsExactlyInAnyOrderEntriesOf(Map.of("db", started, "redis", started));
  }

  @Test
  void foo_deployDurationsAndBytes() throws IOException {
    Service foo = load().services().get("foo");
    Deploy d = foo.deploy();
    assertThat(d.mode()).isEqualTo("replicated");
    assertThat(d.replicas()).isEqualTo(6);
    assertThat(d.labels()).containsExactlyEntriesOf(Map.of("FOO", "BAR"));
    Deploy.UpdateConfig update =
        new Deploy.UpdateConfig(
            3L,
            Duration.ofSeconds(10),
            "continue",
            Duration.ofMinutes(1),
            0.3,
            "start-first",
            Map.of());
    assertThat(d.updateConfig()).isEqualTo(update);
    assertThat(d.rollbackConfig()).isEqualTo(update);
    assertThat(d.resources().limits().cpus()).isEqualTo(0.001);
    assertThat(d.resources().limits().memory()).isEqualTo(new ByteSize(50L * 1024 * 1024));
    assertThat(d.resources().reservations().cpus()).isEqualTo(0.0001);
    assertThat(d.resources().reservations().memory()).isEqualTo(new ByteSize(20L * 1024 * 1024));
    assertThat(d.resources().reservations().genericResources())
        .containsExactly(
            new Deploy.GenericResource(new Deploy.DiscreteResourceSpec("gpu", 2L)),
            new Deploy.GenericResource(new Deploy.DiscreteResourceSpec("ssd", 1L)));
    assertThat(d.restartPolicy())
        .isEqualTo(
            new Deploy.RestartPolicy(
                "on-failure", Duration.ofSeconds(5), 3L, Duration.ofMinutes(2), Map.of()));
    assertThat(d.placement())
        .isEqualTo(
            new Deploy.Placement(
                List.of("node=foo"), List.of(new Deploy.Preference("node.labels.az")), 5L));
    assertThat(d.endpointMode()).isEqualTo("dnsrr");
    assertThat(foo.stopGracePeriod()).isEqualTo(Duration.ofSeconds(20));
    Healthcheck h = foo.healthcheck();
    assertThat(h.test()).containsExactly("CMD-SHELL", "echo \"hello world\"");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h.retries()).isEqualTo(5L);
    assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(15));
    assertThat(h.startInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void foo_durationsAndBytesAreWrittenAsCompose() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> foo = (Map<String, Object>) Trees.of(load().services().get("foo"));
    assertThat(foo.get("deploy"))
        .isEqualTo(
            Trees.parse(
                """
                mode: replicated
                replicas: 6
                labels:
                  FOO: BAR
                update_config: &update
                  parallelism: 3
                  delay: 10s
                  failure_action: continue
                  monitor: 1m0s
                  max_failure_ratio: 0.3
                  order: start-first
                rollback_config: *update
                resources:
                  limits:
                    cpus: 0.001
                    memory: "52428800"
                  reservations:
                    cpus: 0.0001
                    memory: "20971520"
                    generic_resources:
                      - discrete_resource_spec:
                          kind: gpu
                          value: 2
                      - discrete_resource_spec:
                          kind: ssd
                          value: 1
                restart_policy:
                  condition: on-failure
                  delay: 5s
                  max_attempts: 3
                  window: 2m0s
                placement:
                  constraints:
                    - node=foo
                  preferences:
                    - spread: node.labels.az
                  max_replicas_per_node: 5
                endpoint_mode: dnsrr
                """));
    assertThat(foo.get("stop_grace_period")).isEqualTo("20s");
  }

  @Test
  void foo_environmentFromEnvFilesServiceAndProject() throws IOException {
    Service foo = load().services().get("foo");
    assertThat(foo.environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "BAR", "bar_from_env_file_2",
                "BAZ", "baz_from_service_def",
                "ENV.WITH.DOT", "ok",
                "ENV_WITH_UNDERSCORE", "ok",
                "FOO", "foo_from_env_file",
                "QUX", "qux_from_environment"));
    assertThat(foo.envFile())
        .containsExactly(
            new EnvFile(wd("example1.env"), true, null),
            new EnvFile(wd("example2.env"), false, null));
  }

  @Test
  void foo_labelsFromLabelFilesThenService() throws IOException {
    Service foo = load().services().get("foo");
    assertThat(foo.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "BAR", "bar_from_label_file_2",
                "BAZ", "baz_from_label_file",
                "FOO", "foo_from_label_file",
                "LABEL.WITH.DOT", "ok",
                "LABEL_WITH_UNDERSCORE", "ok",
                "QUX", "quz_from_label_file_2",
                "com.example.description", "Accounting webapp",
                "com.example.empty-label", "",
                "com.example.number", "42"));
    assertThat(foo.labelFile()).containsExactly(wd("example1.label"), wd("example2.label"));
  }

  @Test
  void foo_extraHostsAndUlimits() throws IOException {
    Service foo = load().services().get("foo");
    assertThat(foo.extraHosts())
        .containsExactly("otherhost=50.31.209.229", "somehost=162.242.195.82");
    assertThat(foo.ulimits())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "nproc",
                new Ulimit(65535L, null, null),
                "nofile",
                new Ulimit(null, 20000L, 40000L)));
  }

  @Test
  void foo_networks() throws IOException {
    Service foo = load().services().get("foo");
    assertThat(foo.networks())
        .containsOnlyKeys("some-network", "other-network", "other-other-network");
    assertThat(foo.networks().get("other-other-network")).isNull();
    assertThat(foo.networks().get("some-network").aliases()).containsExactly("alias1", "alias3");
    ServiceNetwork other = foo.networks().get("other-network");
    assertThat(other.ipv4Address()).isEqualTo("172.16.238.10");
    assertThat(other.ipv6Address()).isEqualTo("2001:3984:3989::10");
    assertThat(other.macAddress()).isEqualTo("02:42:72:98:65:08");
  }

  @Test
  void foo_portsExpandRangesAndDefaultModeAndProtocol() throws IOException {
    List<PortConfig> expected = new ArrayList<>();
    for (int t = 3000; t <= 3005; t++) {
      expected.add(new PortConfig(null, "ingress", null, t, null, "tcp", null));
    }
    expected.add(new PortConfig(null, "ingress", null, 8000, "8000", "tcp", null));
    expected.add(new PortConfig(null, "ingress", null, 8080, "9090", "tcp", null));
    expected.add(new PortConfig(null, "ingress", null, 8081, "9091", "tcp", null));
    expected.add(new PortConfig(null, "ingress", null, 22, "49100", "tcp", null));
    expected.add(new PortConfig(null, "ingress", "127.0.0.1", 8001, "8001", "tcp", null));
    for (int t = 5000; t <= 5010; t++) {
      expected.add(new PortConfig(null, "ingress", "127.0.0.1", t, "" + t, "tcp", null));
    }
    assertThat(load().services().get("foo").ports()).containsExactlyElementsOf(expected);
  }

  @Test
  void foo_volumesShortAndLongSyntax() throws IOException {
    List<VolumeMount> volumes = load().services().get("foo").volumes();
    assertThat(Trees.of(volumes))
        .isEqualTo(
            Trees.parse(
                """
                - type: volume
                  target: /var/lib/anonymous
                  volume: {}
                - type: bind
                  source: /opt/data
                  target: /var/lib/data
                  bind: {create_host_path: true}
                - type: bind
                  source: %s
                  target: /code
                  bind: {create_host_path: true}
                - type: bind
                  source: %s
                  target: /var/www/html
                  bind: {create_host_path: true}
                - type: bind
                  source: %s
                  target: /etc/configs
                  read_only: true
                  bind: {create_host_path: true}
                - type: volume
                  source: datavolume
                  target: /var/lib/volume
                  volume: {}
                - type: bind
                  source: %s
                  target: /opt/cached
                  consistency: cached
                - type: tmpfs
                  target: /opt/tmpfs
                  tmpfs:
                    size: "10000"
                """
                    .formatted(wd(""), wd("static"), home("configs"), wd("opt"))));
    assertThat(volumes.get(7).tmpfs().size()).isEqualTo(new ByteSize(10000));
    // The long syntax without a bind: mapping gets no bind options (§7.1).
    assertThat(volumes.get(6).bind()).isNull();
  }

  @Test
  void networks() throws IOException {
    Map<String, Network> n = load().networks();
    assertThat(n)
        .containsOnlyKeys(
            "some-network",
            "other-network",
            "external-network",
            "other-external-network",
            "other-other-network",
            "default");
    assertThat(n.get("some-network").name()).isEqualTo(NAME + "_some-network");
    Network other = n.get("other-network");
    assertThat(other.name()).isEqualTo(NAME + "_other-network");
    assertThat(other.driver()).isEqualTo("overlay");
    assertThat(other.driverOpts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("foo", "bar", "baz", "1"));
    assertThat(other.labels()).containsExactlyEntriesOf(Map.of("foo", "bar"));
    assertThat(other.ipam().driver()).isEqualTo("overlay");
    assertThat(other.ipam().config())
        .containsExactly(
            new Network.IpamPool(
                "172.28.0.0/16",
                "172.28.5.0/24",
                "172.28.5.254",
                Map.of("host1", "172.28.1.5", "host2", "172.28.1.6", "host3", "172.28.1.7")),
            new Network.IpamPool("2001:3984:3989::/64", null, "2001:3984:3989::1", Map.of()));
    assertThat(n.get("external-network").external()).isTrue();
    assertThat(n.get("external-network").name()).isEqualTo("external-network");
    Network ext = n.get("other-external-network");
    assertThat(ext.external()).isTrue();
    assertThat(ext.name()).isEqualTo("my-cool-network");
    assertThat(ext.extensions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-bar", "baz", "x-foo", "bar"));
    assertThat(n.get("default").name()).isEqualTo(NAME + "_default");
  }

  @Test
  void volumes() throws IOException {
    Map<String, Volume> v = load().volumes();
    assertThat(v)
        .containsOnlyKeys(
            "some-volume",
            "other-volume",
            "another-volume",
            "external-volume",
            "other-external-volume",
            "external-volume3",
            "datavolume");
    assertThat(v.get("some-volume").name()).isEqualTo(NAME + "_some-volume");
    assertThat(v.get("other-volume").driver()).isEqualTo("flocker");
    assertThat(v.get("other-volume").driverOpts())
        .containsExactlyInAnyOrderEntriesOf(Map.of("foo", "bar", "baz", "1"));
    assertThat(v.get("other-volume").labels()).containsExactlyEntriesOf(Map.of("foo", "bar"));
    assertThat(v.get("another-volume").name()).isEqualTo("user_specified_name");
    assertThat(v.get("another-volume").driver()).isEqualTo("vsphere");
    assertThat(v.get("external-volume").external()).isTrue();
    assertThat(v.get("external-volume").name()).isEqualTo("external-volume");
    assertThat(v.get("other-external-volume").name()).isEqualTo("my-cool-volume");
    assertThat(v.get("other-external-volume").external()).isTrue();
    assertThat(v.get("external-volume3").name()).isEqualTo("this-is-volume3");
    assertThat(v.get("external-volume3").external()).isTrue();
    assertThat(v.get("external-volume3").extensions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-bar", "baz", "x-foo", "bar"));
  }

  @Test
  void secretsAndConfigs() throws IOException {
    Project p = load();
    Map<String, FileObject> s = p.secrets();
    assertThat(s).containsOnlyKeys("secret1", "secret2", "secret3", "secret4", "secret5");
    assertThat(s.get("secret1").file()).isEqualTo(wd("secret_data"));
    assertThat(s.get("secret1").labels()).containsExactlyEntriesOf(Map.of("foo", "bar"));
    assertThat(s.get("secret2").name()).isEqualTo("my_secret");
    assertThat(s.get("secret2").external()).isTrue();
    assertThat(s.get("secret3").external()).isTrue();
    assertThat(s.get("secret4").name()).isEqualTo("bar");
    assertThat(s.get("secret4").environment()).isEqualTo("BAR");
    assertThat(s.get("secret4").extensions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-bar", "baz", "x-foo", "bar"));
    assertThat(s.get("secret5").file()).isEqualTo("/abs/secret_data");

    Map<String, FileObject> c = p.configs();
    assertThat(c).containsOnlyKeys("config1", "config2", "config3", "config4");
    assertThat(c.get("config1").file()).isEqualTo(wd("config_data"));
    assertThat(c.get("config1").labels()).containsExactlyEntriesOf(Map.of("foo", "bar"));
    assertThat(c.get("config2").name()).isEqualTo("my_config");
    assertThat(c.get("config2").external()).isTrue();
    assertThat(c.get("config3").external()).isTrue();
    assertThat(c.get("config4").name()).isEqualTo("foo");
    assertThat(c.get("config4").file()).isEqualTo(home("config_data"));
    assertThat(c.get("config4").extensions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("x-bar", "baz", "x-foo", "bar"));
  }

  /** TestMarshalProject's second half: the written project loads back to the same model. */
  @Test
  void writtenYaml_loadsBackEqual() throws IOException {
    Project first = load();
    Path out = write(tmp.resolve("out/compose.yaml"), ProjectWriter.yaml(first));
    Project second =
        ComposeLoader.load(ProjectOptions.of(List.of(out), env(), tmp).withProjectDirectory(wd))
            .project();
    assertThat(second).isEqualTo(first);
  }
}

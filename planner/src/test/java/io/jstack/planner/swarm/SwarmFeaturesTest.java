package io.jstack.planner.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.compose.Project;
import io.jstack.planner.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Compose-to-Swarm feature table: the README shows it as it is, and every row that is not
 * mapped says its warning or refusal for a service that sets its key, and nothing for one that does
 * not.
 */
class SwarmFeaturesTest {
  @TempDir Path dir;

  /**
   * For each row that warns or refuses: what service {@code app} adds to set its key (indented as
   * the service's own lines), then any top-level sections it needs after {@code ---}.
   */
  private static final Map<String, String> SET =
      Map.ofEntries(
          Map.entry("`annotations`", "annotations: {com.example.team: a}"),
          Map.entry(
              "`blkio_config`, `cpu_count`, `cpu_percent`, `cpu_period`, `cpu_quota`,"
                  + " `cpu_rt_period`, `cpu_rt_runtime`, `cpu_shares`, `cpuset`,"
                  + " `mem_swappiness`, `memswap_limit`, `oom_kill_disable`",
              "cpu_shares: 512\ncpuset: \"0\""),
          Map.entry("`build`", "build: ."),
          Map.entry("`cgroup`, `cgroup_parent`", "cgroup: host"),
          Map.entry("`container_name`", "container_name: the-app"),
          Map.entry("`cpus`", "cpus: 0.5"),
          Map.entry("`credential_spec`", "credential_spec: {file: spec.json}"),
          Map.entry("`depends_on`", "depends_on: [plain]"),
          Map.entry(
              "`deploy.resources.reservations.devices`",
              "deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}]}}}"),
          Map.entry("`develop`", "develop: {watch: [{path: ./src, action: sync, target: /src}]}"),
          Map.entry("`devices`, `device_cgroup_rules`", "devices: [\"/dev/fuse:/dev/fuse\"]"),
          Map.entry("`domainname`", "domainname: example.org"),
          Map.entry("`expose`", "expose: [\"8080\"]"),
          Map.entry("`external_links`, `links`", "links: [plain]"),
          Map.entry("`gpus`", "gpus: all"),
          Map.entry("`ipc`, `pid`, `uts`", "ipc: host\npid: host"),
          Map.entry("`mac_address`", "mac_address: \"02:42:ac:11:65:43\""),
          Map.entry("`mem_limit`", "mem_limit: 64m"),
          Map.entry("`mem_reservation`", "mem_reservation: 32m"),
          Map.entry("`models`", "models: [llm]\n---\nmodels:\n  llm: {model: ai/smollm2}"),
          Map.entry("`network_mode`", "network_mode: host"),
          Map.entry(
              "`networks.<name>`: `ipv4_address`, `ipv6_address`, `link_local_ips`,"
                  + " `mac_address`, `interface_name`, `priority`, `gw_priority`",
              "networks: {back: {ipv4_address: 10.5.0.5}}\n---\nnetworks:\n  back: {}"),
          Map.entry("`oom_score_adj`", "oom_score_adj: 100"),
          Map.entry("`pids_limit`", "pids_limit: 100"),
          Map.entry("`platform`", "platform: linux/amd64"),
          Map.entry("`ports[].host_ip`", "ports: [\"127.0.0.1:8080:80\"]"),
          Map.entry("`post_start`, `pre_start`, `pre_stop`", "post_start: [{command: [true]}]"),
          Map.entry("`privileged`", "privileged: true"),
          Map.entry("`provider`", "provider: {type: model, options: {model: [ai/smollm2]}}"),
          Map.entry("`pull_policy`, `pull_refresh_after`", "pull_policy: always"),
          Map.entry("`restart: \"no\"`", "restart: \"no\""),
          Map.entry("`runtime`", "runtime: runc"),
          Map.entry("`security_opt`", "security_opt: [\"no-new-privileges:true\"]"),
          Map.entry("`shm_size`", "shm_size: 64m"),
          Map.entry("`storage_opt`", "storage_opt: {size: 1G}"),
          Map.entry("`tmpfs`", "tmpfs: [/run]"),
          Map.entry("`use_api_socket`", "use_api_socket: true"),
          Map.entry("`userns_mode`", "userns_mode: host"),
          Map.entry(
              "`volumes` (type: volume) `volume.subpath`",
              "volumes: [{type: volume, source: data, target: /data, volume: {subpath: one}}]"
                  + "\n---\nvolumes:\n  data: {}"),
          Map.entry("`volumes` (type: bind)", "volumes: [\"/srv/www:/www:ro\"]"),
          Map.entry(
              "`volumes` (type: npipe, cluster, image)",
              "volumes: [{type: image, source: \"busybox:1\", target: /img}]"),
          Map.entry("`volumes_from`", "volumes_from: [plain]"),
          Map.entry(
              "top-level `configs`, `secrets`: `driver`, `template_driver`",
              "secrets: [token]\n---\nsecrets:\n  token: {file: ./token.txt, template_driver:"
                  + " golang}"),
          Map.entry(
              "top-level `networks`: `driver` (other than overlay)",
              "networks: [back]\n---\nnetworks:\n  back: {driver: bridge}"));

  /** A service that sets many mapped keys and none that Swarm cannot keep. */
  private static final String PLAIN =
      """
          image: busybox:1
          entrypoint: ["/bin/sh", "-c"]
          command: ["httpd -f"]
          hostname: plain1
          environment: {A: "1"}
          labels: {tier: front}
          working_dir: /www
          user: "1000"
          init: true
          read_only: true
          restart: unless-stopped
          cap_add: [NET_ADMIN]
          stop_grace_period: 3s
          extra_hosts: ["db.local=10.0.0.5"]
          dns: [10.0.0.53]
          healthcheck: {test: ["CMD", "true"], interval: 2s}
          ulimits: {nofile: {soft: 100, hard: 200}}
          sysctls: {net.core.somaxconn: 1024}
          logging: {driver: json-file}
          volumes:
            - cache:/cache
            - {type: tmpfs, target: /tmp}
          ports: [{target: 8080, published: "80", mode: host}]
          networks: [front]
          deploy:
            replicas: 2
            resources: {limits: {cpus: "0.5", memory: 64M, pids: 100}}
            restart_policy: {condition: on-failure}
            placement: {constraints: ["node.role == worker"]}
            update_config: {parallelism: 1, order: start-first}
      """;

  /**
   * Project {@code shop} with service {@code plain} ({@link #PLAIN}) and service {@code app}: an
   * image and {@code app}'s lines, then its top-level sections after {@code ---}, which join those
   * {@code plain} needs.
   */
  private Project project(String app) throws Exception {
    String[] parts = app.split("\n---\n", 2);
    Map<String, String> top = new LinkedHashMap<>();
    top.put("networks", "  front: {}\n");
    top.put("volumes", "  cache: {}\n");
    if (parts.length == 2) {
      String section = "";
      for (String line : parts[1].split("\n")) {
        if (line.startsWith(" ")) {
          top.merge(section, line + "\n", String::concat);
        } else {
          section = line.substring(0, line.indexOf(':'));
        }
      }
    }
    StringBuilder yaml =
        new StringBuilder("name: shop\nservices:\n  plain:\n")
            .append(PLAIN)
            .append("  app:\n    image: busybox:1\n")
            .append(parts[0].indent(4));
    top.forEach((section, entries) -> yaml.append(section).append(":\n").append(entries));
    return TestProjects.load(dir, yaml.toString());
  }

  @Test
  void theReadme_showsTheTableAsTheCodeHasIt() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!(Files.exists(root.resolve("README.md")) && Files.exists(root.resolve("pom.xml")))) {
      root = root.getParent();
      assertThat(root).as("a directory above the tests with README.md and pom.xml").isNotNull();
    }
    // A boolean, so that a failure does not print the whole README.
    assertThat(Files.readString(root.resolve("README.md")).contains(SwarmFeatures.markdownTable()))
        .as("README.md shows SwarmFeatures.markdownTable() verbatim; paste it there again")
        .isTrue();
  }

  @Test
  void theTable_hasARowPerKeyAndEveryTreatment() {
    List<SwarmFeatures.Feature> table = SwarmFeatures.table();
    assertThat(table).extracting(SwarmFeatures.Feature::key).doesNotHaveDuplicates();
    assertThat(table)
        .extracting(SwarmFeatures.Feature::treatment)
        .contains(SwarmFeatures.Treatment.values());
    assertThat(SwarmFeatures.markdownTable().lines()).hasSize(table.size() + 2);
    List<String> checked =
        table.stream()
            .filter(SwarmFeatures.Feature::checks)
            .map(SwarmFeatures.Feature::key)
            .sorted()
            .toList();
    assertThat(checked)
        .as("a fixture for every row that warns or refuses")
        .containsExactlyElementsOf(SET.keySet().stream().sorted().toList());
  }

  @Test
  void eachRowThatIsNotMapped_speaksOfTheServiceThatSetsItsKeyOnly() throws Exception {
    Map<String, List<String>> said = new TreeMap<>();
    for (SwarmFeatures.Feature f : SwarmFeatures.table()) {
      if (!f.checks()) {
        continue;
      }
      Project p = project(SET.get(f.key()));
      List<String> messages = f.messages(p, java.util.Set.of());
      said.put(f.key(), messages);
      assertThat(messages).as(f.key()).isNotEmpty();
      assertThat(messages).as(f.key()).allMatch(m -> m.contains("service app"));
      assertThat(messages).as(f.key()).noneMatch(m -> m.contains("plain"));
      if (f.treatment() == SwarmFeatures.Treatment.REFUSED) {
        assertThat(SwarmFeatures.refusals(p)).as(f.key()).containsAll(messages);
        assertThat(SwarmFeatures.warnings(p)).as(f.key()).doesNotContainAnyElementsOf(messages);
        assertThatThrownBy(() -> SwarmFeatures.refuse(p))
            .as(f.key())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(messages.get(0));
      } else {
        assertThat(SwarmFeatures.warnings(p)).as(f.key()).containsAll(messages);
        assertThat(SwarmFeatures.refusals(p)).as(f.key()).isEmpty();
      }
    }
    assertThat(said).hasSize(SET.size());
  }

  @Test
  void aServiceSwarmKeepsWhole_hasNoWarningAndNoRefusal() throws Exception {
    Project p = project("command: [\"true\"]");
    assertThat(SwarmFeatures.warnings(p)).isEmpty();
    assertThat(SwarmFeatures.refusals(p)).isEmpty();
    SwarmFeatures.refuse(p);
  }

  @Test
  void dependsOn_isOneWarningNamingEveryServiceThatHasIt() throws Exception {
    Project p =
        TestProjects.load(
            dir,
            """
            name: shop
            services:
              db: {image: postgres:16}
              api: {image: api:1, depends_on: [db]}
              web: {image: web:1, depends_on: {api: {condition: service_healthy}}}
            """);
    assertThat(SwarmFeatures.warnings(p))
        .containsExactly(
            "depends_on is not kept by Swarm (services api, web): they start in any order; jstack"
                + " created them in dependency order; make each one wait for what it needs");

    Project one = project("depends_on: [plain]");
    assertThat(SwarmFeatures.warnings(one))
        .containsExactly(
            "depends_on is not kept by Swarm (service app): it starts in any order; jstack created"
                + " the services in dependency order; make it wait for what it needs");
  }

  @Test
  void bindMounts_areAWarningPerServiceNamingThePaths() throws Exception {
    Project p =
        TestProjects.load(
            dir,
            """
            name: shop
            services:
              web:
                image: web:1
                volumes: ["/srv/www:/www:ro", "/etc/web:/etc/web", "/srv/www:/again", "logs:/logs"]
              api:
                image: api:1
                volumes: [{type: bind, source: /srv/api, target: /api}]
            volumes:
              logs: {}
            """);
    assertThat(SwarmFeatures.warnings(p))
        .containsExactly(
            "service api binds /srv/api: on a swarm that path must exist on every node the service"
                + " may run on",
            "service web binds /srv/www, /etc/web: on a swarm those paths must exist on every node"
                + " the service may run on");
  }

  @Test
  void warnings_comeByRowThenByService() throws Exception {
    Project p =
        TestProjects.load(
            dir,
            """
            name: shop
            services:
              b: {image: b:1, privileged: true, build: ., depends_on: [a]}
              a: {image: a:1, privileged: true, expose: ["80"], restart: "no"}
            """);
    assertThat(SwarmFeatures.warnings(p))
        .containsExactly(
            "build: is not run on a swarm without up --build --push: service b runs image b:1 as it"
                + " is on the nodes or in its registry",
            "depends_on is not kept by Swarm (service b): it starts in any order; jstack created"
                + " the services in dependency order; make it wait for what it needs",
            "expose is ignored on a swarm (service a): services on a shared network reach each"
                + " other on every port",
            "privileged is ignored on a swarm (services a, b): Swarm runs no privileged tasks; add"
                + " what the service needs with cap_add",
            "restart: \"no\" is not a Swarm restart policy (service a): Swarm restarts the tasks"
                + " whatever their exit; set deploy.restart_policy.condition: none to keep them"
                + " stopped");
  }

  @Test
  void refusals_sayAServiceALineEach_withWhatToWriteInstead() throws Exception {
    Project p =
        TestProjects.load(
            dir,
            """
            name: shop
            services:
              web: {image: web:1, cpus: 0.5, mem_limit: 64m, cpu_shares: 512, cpuset: "0"}
              api: {image: api:1, cpus: 1, networks: [back]}
            networks:
              back: {driver: bridge}
            """);
    assertThatThrownBy(() -> SwarmFeatures.refuse(p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            String.join(
                "\n",
                "service web: cpu_shares, cpuset have no Swarm form; Swarm sets only the limits and"
                    + " reservations of deploy.resources; use those, or remove it",
                "service api: cpus has no Swarm form; set deploy.resources.limits.cpus instead",
                "service web: cpus has no Swarm form; set deploy.resources.limits.cpus instead",
                "service web: mem_limit has no Swarm form; set deploy.resources.limits.memory"
                    + " instead",
                "service api: networks.back.driver has no Swarm form; a swarm's networks are"
                    + " overlay networks: drop the driver, or create the network yourself and mark"
                    + " it external: true"));
  }

  @Test
  void aMountSwarmSpecsCannotConvert_isRefusedInTheSameWordsByBoth() throws Exception {
    Project p = project("volumes: [{type: image, source: \"busybox:1\", target: /img}]");
    String line =
        "service app: the image mount at /img is not passed to Swarm by jstack yet; use a volume,"
            + " a bind or a tmpfs mount (docker stack deploy converts npipe, cluster and image mounts)";
    assertThat(SwarmFeatures.refusals(p)).containsExactly(line);
    assertThatThrownBy(() -> SwarmSpecs.service(p, p.services().get("app"), Map.of(), Map.of()))
        .hasMessage(line);
  }
}

package io.jstack.planner.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.compose.Project;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compose services as Swarm specs, as {@code docker stack deploy} converts them (docker/cli's
 * {@code cli/compose/convert/service.go} is the reference for each field).
 */
class SwarmSpecsTest {
  @TempDir Path dir;

  private Project load(String yaml) throws Exception {
    return io.jstack.planner.TestProjects.load(dir, yaml);
  }

  private static final Map<String, SwarmSpecs.Stored> CONFIGS =
      Map.of("site", new SwarmSpecs.Stored("shop_site-1a2b3c4d5e", "cfg123"));
  private static final Map<String, SwarmSpecs.Stored> SECRETS =
      Map.of("token", new SwarmSpecs.Stored("shop_token-9f8e7d6c5b", "sec456"));

  @Test
  void aService_asDockerStackConvertsIt() throws Exception {
    Project p =
        load(
            """
            name: shop
            services:
              web:
                image: busybox:1
                entrypoint: ["/bin/sh", "-c"]
                command: ["httpd -f"]
                hostname: web1
                environment: {B: "2", A: "1"}
                labels: {tier: front}
                working_dir: /www
                user: "1000"
                init: true
                read_only: true
                stop_grace_period: 3s
                stop_signal: SIGQUIT
                extra_hosts: ["db.local=10.0.0.5"]
                dns: [10.0.0.53]
                healthcheck:
                  test: ["CMD", "true"]
                  interval: 2s
                  retries: 4
                ulimits: {nofile: {soft: 100, hard: 200}, nproc: 50}
                volumes:
                  - data:/data
                  - /srv/www:/www:ro
                  - type: tmpfs
                    target: /tmp
                    tmpfs: {size: 1048576}
                ports:
                  - target: 8080
                    published: "80"
                    mode: host
                configs:
                  - source: site
                    target: /etc/site.conf
                    mode: 0440
                secrets: [token]
                networks:
                  back: {aliases: [shopweb]}
                deploy:
                  mode: replicated
                  replicas: 2
                  endpoint_mode: dnsrr
                  labels: {team: a}
                  placement:
                    constraints: ["node.role == worker"]
                    preferences: [{spread: node.labels.rig.node}]
                  resources:
                    limits: {cpus: "0.5", memory: 64M, pids: 100}
                  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3}
                  update_config: {parallelism: 2, order: start-first, failure_action: rollback, monitor: 10s}
            networks:
              back: {}
            volumes:
              data: {}
            configs:
              site: {file: ./site.conf}
            secrets:
              token: {file: ./token.txt}
            """);
    JsonNode spec = SwarmSpecs.service(p, p.services().get("web"), CONFIGS, SECRETS);
    ObjectMapper json = new ObjectMapper();
    assertThat(spec.path("Name").asText()).isEqualTo("shop_web");
    assertThat(
            json.convertValue(
                spec.path("Labels"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {}))
        .isEqualTo(
            Map.of(
                "team",
                "a",
                "com.docker.stack.namespace",
                "shop",
                "com.docker.stack.image",
                "busybox:1"));
    JsonNode c = spec.path("TaskTemplate").path("ContainerSpec");
    assertThat(c.path("Command").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");
    assertThat(c.path("Args").toString()).isEqualTo("[\"httpd -f\"]");
    assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
    assertThat(c.path("Hosts").toString()).isEqualTo("[\"10.0.0.5 db.local\"]");
    assertThat(c.path("DNSConfig").path("Nameservers").toString()).isEqualTo("[\"10.0.0.53\"]");
    assertThat(c.path("Labels").toString())
        .isEqualTo("{\"com.docker.stack.namespace\":\"shop\",\"tier\":\"front\"}");
    assertThat(c.path("Dir").asText()).isEqualTo("/www");
    assertThat(c.path("User").asText()).isEqualTo("1000");
    assertThat(c.path("Init").asBoolean()).isTrue();
    assertThat(c.path("ReadOnly").asBoolean()).isTrue();
    assertThat(c.path("StopGracePeriod").asLong()).isEqualTo(3_000_000_000L);
    assertThat(c.path("StopSignal").asText()).isEqualTo("SIGQUIT");
    assertThat(c.path("Healthcheck").toString())
        .isEqualTo("{\"Test\":[\"CMD\",\"true\"],\"Interval\":2000000000,\"Retries\":4}");
    assertThat(c.path("Ulimits").toString())
        .isEqualTo(
            "[{\"Name\":\"nofile\",\"Soft\":100,\"Hard\":200},{\"Name\":\"nproc\",\"Soft\":50,\"Hard\":50}]");
    assertThat(c.path("Mounts").get(0).toString())
        .isEqualTo(
            "{\"Type\":\"volume\",\"Source\":\"shop_data\",\"VolumeOptions\":{\"Labels\":"
                + "{\"com.docker.stack.namespace\":\"shop\"}},\"Target\":\"/data\"}");
    assertThat(c.path("Mounts").get(1).toString())
        .isEqualTo(
            "{\"Type\":\"bind\",\"Source\":\"/srv/www\",\"Target\":\"/www\",\"ReadOnly\":true}");
    assertThat(c.path("Mounts").get(2).toString())
        .isEqualTo(
            "{\"Type\":\"tmpfs\",\"TmpfsOptions\":{\"SizeBytes\":1048576},\"Target\":\"/tmp\"}");
    assertThat(c.path("Configs").toString())
        .isEqualTo(
            "[{\"File\":{\"Name\":\"/etc/site.conf\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":288},"
                + "\"ConfigID\":\"cfg123\",\"ConfigName\":\"shop_site-1a2b3c4d5e\"}]");
    assertThat(c.path("Secrets").toString())
        .isEqualTo(
            "[{\"File\":{\"Name\":\"token\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":292},"
                + "\"SecretID\":\"sec456\",\"SecretName\":\"shop_token-9f8e7d6c5b\"}]");

    JsonNode task = spec.path("TaskTemplate");
    assertThat(task.path("Resources").toString())
        .isEqualTo("{\"Limits\":{\"NanoCPUs\":500000000,\"MemoryBytes\":67108864,\"Pids\":100}}");
    assertThat(task.path("RestartPolicy").toString())
        .isEqualTo("{\"Condition\":\"on-failure\",\"Delay\":5000000000,\"MaxAttempts\":3}");
    assertThat(task.path("Placement").toString())
        .isEqualTo(
            "{\"Constraints\":[\"node.role == worker\"],\"Preferences\":"
                + "[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.rig.node\"}}]}");
    assertThat(task.path("Networks").toString())
        .isEqualTo("[{\"Target\":\"shop_back\",\"Aliases\":[\"shopweb\",\"web\"]}]");
    assertThat(spec.path("Mode").toString()).isEqualTo("{\"Replicated\":{\"Replicas\":2}}");
    assertThat(spec.path("UpdateConfig").toString())
        .isEqualTo(
            "{\"Parallelism\":2,\"FailureAction\":\"rollback\",\"Monitor\":10000000000,"
                + "\"Order\":\"start-first\"}");
    assertThat(spec.path("EndpointSpec").toString())
        .isEqualTo(
            "{\"Mode\":\"dnsrr\",\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":8080,"
                + "\"PublishedPort\":80,\"PublishMode\":\"host\"}]}");
  }

  @Test
  void theSameServiceConverts_toTheSameSpec_andDefaultsAreSwarms() throws Exception {
    Project p =
        load(
            """
            name: shop
            services:
              api:
                image: api:1
                restart: unless-stopped
                environment: {Z: "1", A: "2"}
                ports: ["8080", "90:9090"]
            """);
    JsonNode once = SwarmSpecs.service(p, p.services().get("api"), Map.of(), Map.of());
    JsonNode again = SwarmSpecs.service(p, p.services().get("api"), Map.of(), Map.of());
    assertThat(once).isEqualTo(again);
    assertThat(once.path("TaskTemplate").path("Networks").toString())
        .isEqualTo("[{\"Target\":\"shop_default\",\"Aliases\":[\"api\"]}]");
    assertThat(once.path("TaskTemplate").path("RestartPolicy").toString())
        .isEqualTo("{\"Condition\":\"any\"}");
    assertThat(once.path("Mode").toString()).isEqualTo("{\"Replicated\":{}}");
    // Ports in Swarm's order; published where given, ingress by default.
    assertThat(once.path("EndpointSpec").toString())
        .isEqualTo(
            "{\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":8080,\"PublishMode\":\"ingress\"},"
                + "{\"Protocol\":\"tcp\",\"TargetPort\":9090,\"PublishedPort\":90,"
                + "\"PublishMode\":\"ingress\"}]}");
  }

  @Test
  void whatSwarmCannotTake_isRefusedNamingTheService() throws Exception {
    Project noImage = load("name: shop\nservices:\n  app:\n    build: .\n");
    assertThatThrownBy(
            () -> SwarmSpecs.service(noImage, noImage.services().get("app"), Map.of(), Map.of()))
        .hasMessage(
            "service app: Swarm runs images only; give it an image (build it with up --build --push)");
    Project globalReplicas =
        load(
            "name: shop\nservices:\n  app:\n    image: a\n    deploy: {mode: global, replicas: 2}\n");
    assertThatThrownBy(
            () ->
                SwarmSpecs.service(
                    globalReplicas, globalReplicas.services().get("app"), Map.of(), Map.of()))
        .hasMessage(
            "service app: replicas go with replicated and replicated-job modes only, not global");
    Project daemonset =
        load("name: shop\nservices:\n  app:\n    image: a\n    deploy: {mode: daemonset}\n");
    assertThatThrownBy(
            () ->
                SwarmSpecs.service(daemonset, daemonset.services().get("app"), Map.of(), Map.of()))
        .hasMessage(
            "service app: deploy.mode daemonset is not a Swarm mode; use replicated, global,"
                + " replicated-job or global-job");
  }

  @Test
  void keysDockerStackDoesNotKnow_butSwarmHas_becomeTheirFields() throws Exception {
    Project p =
        load(
            """
            name: shop
            services:
              web:
                image: busybox:1
                dns_opt: [use-vc, "ndots:2"]
                group_add: [mail, "1001"]
                volumes: [anon:/anon, "/scratch", {type: volume, source: ext, target: /ext}]
            volumes:
              anon: {driver: local, driver_opts: {type: tmpfs, device: tmpfs}, labels: {k: v}}
              ext: {external: true}
            """);

    JsonNode c =
        SwarmSpecs.service(p, p.services().get("web"), Map.of(), Map.of())
            .path("TaskTemplate")
            .path("ContainerSpec");

    assertThat(c.path("DNSConfig").path("Options").toString())
        .isEqualTo("[\"use-vc\",\"ndots:2\"]");
    assertThat(c.path("Groups").toString()).isEqualTo("[\"mail\",\"1001\"]");
    assertThat(c.path("Mounts").get(0).path("VolumeOptions").toString())
        .isEqualTo(
            "{\"Labels\":{\"com.docker.stack.namespace\":\"shop\",\"k\":\"v\"},"
                + "\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"device\":\"tmpfs\",\"type\":\"tmpfs\"}}}");
    // An anonymous volume has no options, an external one no labels (as docker/cli's convert).
    assertThat(c.path("Mounts").get(1).has("VolumeOptions")).isFalse();
    assertThat(c.path("Mounts").get(2).path("VolumeOptions").toString()).isEqualTo("{}");
  }
}

package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.ContainerSpec.Device;
import io.jstack.engine.ContainerSpec.FileContent;
import io.jstack.engine.ContainerSpec.HealthSpec;
import io.jstack.engine.ContainerSpec.LogConfig;
import io.jstack.engine.ContainerSpec.Mount;
import io.jstack.engine.ContainerSpec.NetworkAttachment;
import io.jstack.engine.ContainerSpec.PortBinding;
import io.jstack.engine.ContainerSpec.Resources;
import io.jstack.engine.ContainerSpec.RestartPolicy;
import io.jstack.engine.ContainerSpec.Ulimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a service's settings become the spec of its containers, and of its one-off containers. */
class ContainerSpecsTest {
  static final String WEB =
      """
      name: demo
      services:
        db:
          image: postgres:16
        web:
          image: nginx:1.27
          labels:
            tier: front
          environment:
            A: "1"
            B:
          command: ["serve", "--port", "80"]
          entrypoint: ["/entry.sh"]
          working_dir: /app
          user: "1000:1000"
          hostname: webhost
          domainname: example.org
          ports:
            - "127.0.0.1:8080:80/tcp"
          expose: ["81"]
          volumes:
            - data:/data:ro
            - ./conf:/etc/conf
            - type: tmpfs
              target: /cache
              tmpfs:
                size: 1m
          volumes_from:
            - db:ro
          networks:
            front:
              aliases: [www]
              priority: 10
            back: {}
          links: ["db:database"]
          healthcheck:
            test: ["CMD", "true"]
            interval: 5s
            retries: 3
          restart: on-failure:4
          stop_signal: SIGINT
          stop_grace_period: 3s
          init: true
          privileged: true
          read_only: true
          tty: true
          stdin_open: true
          cap_add: [NET_ADMIN]
          cap_drop: [MKNOD]
          security_opt: ["no-new-privileges:true"]
          extra_hosts: ["db.local=10.1.2.3"]
          dns: [1.1.1.1]
          dns_search: [example.org]
          dns_opt: ["ndots:2"]
          tmpfs: ["/run:size=1m", /scratch]
          sysctls:
            net.core.somaxconn: "1024"
          ulimits:
            nofile:
              soft: 1024
              hard: 2048
          mem_limit: 64m
          cpus: 0.5
          pids_limit: 100
          cpu_rt_period: 1000000
          cpu_rt_runtime: 950000
          cpu_count: 2
          cpu_percent: 50
          blkio_config:
            weight: 300
            weight_device: [{path: /dev/sda, weight: 400}]
            device_read_bps: [{path: /dev/sda, rate: 1mb}]
          ipc: "service:db"
          pid: host
          uts: host
          userns_mode: host
          cgroup_parent: jstack
          group_add: [audio]
          devices: ["/dev/null:/dev/mynull:r"]
          device_cgroup_rules: ["c 10:229 rwm"]
          logging:
            driver: json-file
            options:
              max-size: 1m
          platform: linux/amd64
          runtime: runc
          storage_opt:
            size: 1G
          secrets:
            - token
          configs:
            - source: app
              target: /etc/app.conf
          depends_on: [db]
      networks:
        front: {}
        back: {}
      volumes:
        data: {}
      secrets:
        token:
          environment: TOKEN
      configs:
        app:
          content: "hello"
      """;

  static final ContainerSpecs.Origin ORIGIN =
      new ContainerSpecs.Origin(
          "/srv/demo", List.of("/srv/demo/compose.yaml"), Map.of("TOKEN", "t0k"));

  @TempDir Path dir;
  Project project;
  Service web;

  @BeforeEach
  void load() throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, WEB);
    project =
        ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
            .project();
    web = project.services().get("web");
  }

  @Test
  void spec_mapsEveryServiceSetting() {
    ContainerSpec spec = ContainerSpecs.spec(project, web, "demo-web-1", 1, "sha256:img", ORIGIN);

    Map<String, NetworkAttachment> networks = new LinkedHashMap<>();
    networks.put(
        "demo_front",
        new NetworkAttachment(
            List.of("web", "demo-web-1", "www"),
            null,
            null,
            null,
            10,
            List.of("demo-db-1:database")));
    networks.put(
        "demo_back",
        new NetworkAttachment(
            List.of("web", "demo-web-1"), null, null, null, null, List.of("demo-db-1:database")));
    ContainerSpec expected =
        ContainerSpec.builder("demo-web-1", "nginx:1.27")
            .labels(ContainerSpecs.labels(project, web, 1, "sha256:img", ORIGIN))
            .env(List.of("A=1", "B"))
            .command(List.of("serve", "--port", "80"))
            .entrypoint(List.of("/entry.sh"))
            .workingDir("/app")
            .user("1000:1000")
            .hostname("webhost")
            .domainname("example.org")
            .ports(List.of(new PortBinding("127.0.0.1", "8080", 80, "tcp")))
            .exposedPorts(List.of("81"))
            .mounts(
                List.of(
                    new Mount(
                        "volume", "demo_data", "/data", true, null, false, false, null, null, null),
                    new Mount(
                        "bind",
                        dir.resolve("conf").toString(),
                        "/etc/conf",
                        false,
                        null,
                        true,
                        false,
                        null,
                        null,
                        null),
                    new Mount(
                        "tmpfs", null, "/cache", false, null, false, false, null, 1048576L, null)))
            .volumesFrom(List.of("demo-db-1:ro"))
            .networks(networks)
            .healthcheck(
                new HealthSpec(List.of("CMD", "true"), Duration.ofSeconds(5), null, 3, null, null))
            .restartPolicy(new RestartPolicy("on-failure", 4))
            .stopSignal("SIGINT")
            .stopTimeout(Duration.ofSeconds(3))
            .init(true)
            .privileged(true)
            .readOnly(true)
            .tty(true)
            .stdinOpen(true)
            .capAdd(List.of("NET_ADMIN"))
            .capDrop(List.of("MKNOD"))
            .securityOpt(List.of("no-new-privileges:true"))
            .extraHosts(List.of("db.local=10.1.2.3"))
            .dns(List.of("1.1.1.1"))
            .dnsSearch(List.of("example.org"))
            .dnsOptions(List.of("ndots:2"))
            .tmpfs(Map.of("/run", "size=1m", "/scratch", ""))
            .sysctls(Map.of("net.core.somaxconn", "1024"))
            .ulimits(List.of(new Ulimit("nofile", 1024, 2048)))
            .resources(
                new Resources(
                    64L << 20,
                    null,
                    null,
                    null,
                    500_000_000L,
                    null,
                    null,
                    null,
                    null,
                    100L,
                    null,
                    null,
                    null,
                    1_000_000L,
                    950_000L,
                    2L,
                    50L,
                    new ContainerSpec.Blkio(
                        300,
                        List.of(new ContainerSpec.BlkioRate("/dev/sda", 400)),
                        List.of(new ContainerSpec.BlkioRate("/dev/sda", 1L << 20)),
                        List.of(),
                        List.of(),
                        List.of())))
            .ipcMode("container:demo-db-1")
            .pidMode("host")
            .utsMode("host")
            .usernsMode("host")
            .cgroupParent("jstack")
            .groupAdd(List.of("audio"))
            .devices(List.of(new Device("/dev/null", "/dev/mynull", "r")))
            .deviceCgroupRules(List.of("c 10:229 rwm"))
            .logging(new LogConfig("json-file", Map.of("max-size", "1m")))
            .platform("linux/amd64")
            .runtime("runc")
            .storageOpt(Map.of("size", "1G"))
            .files(
                List.of(
                    new FileContent("/run/secrets/token", bytes("t0k"), 0444, null, null),
                    new FileContent("/etc/app.conf", bytes("hello"), 0444, null, null)))
            .build();
    assertThat(spec).isEqualTo(expected);
    assertThat(spec.networks().keySet()).containsExactly("demo_front", "demo_back");
    assertThat(spec.labels())
        .containsEntry("tier", "front")
        .containsEntry(ComposeLabels.ONEOFF, "False")
        .containsEntry(ComposeLabels.CONTAINER_NUMBER, "1")
        .containsEntry(ComposeLabels.IMAGE, "sha256:img");
  }

  @Test
  void oneOff_attached_changesOnlyWhatRunSays() {
    ContainerSpec service =
        ContainerSpecs.spec(project, web, "demo-web-run-1", 1, "sha256:img", ORIGIN);

    ContainerSpec run =
        ContainerSpecs.oneOff(
            project,
            web,
            "sha256:img",
            ORIGIN,
            new ContainerSpecs.OneOff(
                "demo-web-run-1",
                List.of("sh"),
                null,
                List.of("X=1"),
                "nobody",
                "/tmp",
                false,
                List.of(new PortBinding(null, "9000", 90, "tcp")),
                Map.of("l", "v"),
                true,
                false));

    Map<String, String> labels = new LinkedHashMap<>(service.labels());
    labels.put(ComposeLabels.ONEOFF, "True");
    labels.remove(ComposeLabels.CONTAINER_NUMBER);
    labels.put("l", "v");
    assertThat(run)
        .isEqualTo(
            service.toBuilder()
                .labels(labels)
                .env(List.of("A=1", "B", "X=1"))
                .ports(List.of(new PortBinding(null, "9000", 90, "tcp")))
                .restartPolicy(null)
                .stdinOpen(true)
                .stdinOnce(true)
                .tty(false)
                .command(List.of("sh"))
                .user("nobody")
                .workingDir("/tmp")
                .build());
  }

  @Test
  void oneOff_detached_keepsTheServicesInputTtyAndCommand_andAddsServicePortsWhenAsked() {
    ContainerSpec service =
        ContainerSpecs.spec(project, web, "demo-web-run-2", 1, "sha256:img", ORIGIN);

    ContainerSpec run =
        ContainerSpecs.oneOff(
            project,
            web,
            "sha256:img",
            ORIGIN,
            new ContainerSpecs.OneOff(
                "demo-web-run-2",
                null,
                List.of("/bin/sh", "-c"),
                List.of(),
                null,
                null,
                true,
                List.of(new PortBinding(null, "9000", 90, "tcp")),
                Map.of(),
                false,
                true));

    Map<String, String> labels = new LinkedHashMap<>(service.labels());
    labels.put(ComposeLabels.ONEOFF, "True");
    labels.remove(ComposeLabels.CONTAINER_NUMBER);
    assertThat(run)
        .isEqualTo(
            service.toBuilder()
                .labels(labels)
                .ports(
                    List.of(
                        new PortBinding("127.0.0.1", "8080", 80, "tcp"),
                        new PortBinding(null, "9000", 90, "tcp")))
                .restartPolicy(null)
                .entrypoint(List.of("/bin/sh", "-c"))
                .build());
    assertThat(run.tty()).isTrue();
    assertThat(run.stdinOpen()).isTrue();
    assertThat(run.stdinOnce()).isFalse();
    assertThat(run.command()).containsExactly("serve", "--port", "80");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

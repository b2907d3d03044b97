package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.docker.DockerEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine SPI over the real dockerd, each effect checked with the docker CLI. */
class DockerEngineIT {
  static final String IMAGE = "jstack-examples/busybox:latest";
  final String project = "engine-it-" + UUID.randomUUID().toString().substring(0, 8);
  DockerEngine engine;

  @BeforeAll
  static void image() {
    Docker.requireExampleImage();
  }

  @BeforeEach
  void connect() {
    engine = DockerEngine.connect(EngineAddress.fromEnvironment(System.getenv()));
  }

  @AfterEach
  void cleanUp() {
    engine.close();
    Docker.removeProject(project);
  }

  Map<String, String> labels() {
    return Map.of("com.docker.compose.project", project);
  }

  /** A spec with the settings these tests vary; everything else the image's defaults. */
  ContainerSpec spec(
      String name,
      List<String> command,
      List<ContainerSpec.PortBinding> ports,
      List<ContainerSpec.Mount> mounts,
      String stopSignal) {
    return ContainerSpec.builder(name, IMAGE)
        .labels(labels())
        .command(command)
        .ports(ports)
        .mounts(mounts)
        .stopSignal(stopSignal)
        .stopTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void networksAndVolumes_areCreatedListedAndRemoved() {
    engine.createNetwork(
        new NetworkSpec(
            project + "_net", "bridge", Map.of(), true, false, false, List.of(), labels()));
    engine.createVolume(new VolumeSpec(project + "_data", "local", Map.of(), labels()));
    assertThat(Docker.lines("network", "inspect", "-f", "{{.Internal}}", project + "_net"))
        .containsExactly("true");
    assertThat(engine.networks(labels()))
        .extracting(n -> n.name())
        .containsExactly(project + "_net");
    assertThat(engine.volumes(labels()))
        .extracting(v -> v.name())
        .containsExactly(project + "_data");
    // Docker keeps an existing volume of the same name rather than failing.
    engine.createVolume(new VolumeSpec(project + "_data", "local", Map.of(), labels()));
    assertThat(engine.volumes(labels())).hasSize(1);
    engine.removeNetwork(project + "_net");
    engine.removeVolume(project + "_data");
    assertThat(engine.network(project + "_net")).isEmpty();
    assertThat(engine.volume(project + "_data")).isEmpty();
    assertThatThrownBy(() -> engine.removeVolume(project + "_data"))
        .isInstanceOf(EngineException.NotFound.class);
  }

  @Test
  void container_lifecycle_logsAndExitCode() {
    engine.createNetwork(
        new NetworkSpec(
            project + "_a", "bridge", Map.of(), false, false, false, List.of(), labels()));
    engine.createNetwork(
        new NetworkSpec(
            project + "_b", "bridge", Map.of(), false, false, false, List.of(), labels()));
    ContainerSpec base = ContainerSpec.of(project + "-job-1", IMAGE, labels());
    java.util.LinkedHashMap<String, ContainerSpec.NetworkAttachment> nets =
        new java.util.LinkedHashMap<>();
    nets.put(project + "_a", ContainerSpec.NetworkAttachment.aliased(List.of("job", "worker")));
    nets.put(project + "_b", ContainerSpec.NetworkAttachment.aliased(List.of("job")));
    ContainerSpec spec =
        ContainerSpec.builder(base.name(), IMAGE)
            .labels(labels())
            .env(List.of("GREETING=hi there"))
            .command(List.of("sh", "-c", "echo out $GREETING; echo err >&2; exit 3"))
            .workingDir("/tmp")
            .hostname("jobhost")
            .networks(nets)
            .stopTimeout(Duration.ofSeconds(1))
            .capDrop(List.of("NET_RAW"))
            .extraHosts(List.of("db.local=10.1.2.3"))
            .ulimits(List.of(new ContainerSpec.Ulimit("nofile", 1024, 2048)))
            .build();
    String id = engine.createContainer(spec);
    assertThat(
            Docker.lines(
                "inspect",
                "-f",
                "{{.Config.Hostname}} {{.Config.WorkingDir}} {{.HostConfig.CapDrop}}",
                id))
        .containsExactly("jobhost /tmp [NET_RAW]");
    assertThat(
            Docker.lines(
                    "inspect",
                    "-f",
                    "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
                    id)
                .get(0)
                .trim()
                .split(" "))
        .containsExactlyInAnyOrder(project + "_a", project + "_b");
    assertThat(Docker.lines("inspect", "-f", "{{.HostConfig.ExtraHosts}}", id))
        .containsExactly("[db.local:10.1.2.3]");

    engine.startContainer(id);
    assertThat(engine.waitContainer(id)).isEqualTo(3);
    ContainerInfo info = engine.container(project + "-job-1").orElseThrow();
    assertThat(info.state()).isEqualTo(ContainerInfo.State.EXITED);
    assertThat(info.exitCode()).isEqualTo(3);

    List<LogStream.Line> lines = new ArrayList<>();
    try (LogStream logs = engine.logs(id, LogStream.Options.all())) {
      for (LogStream.Line l = logs.next(); l != null; l = logs.next()) {
        lines.add(l);
      }
    }
    assertThat(lines)
        .containsExactlyInAnyOrder(
            new LogStream.Line(LogStream.Source.STDOUT, null, "out hi there"),
            new LogStream.Line(LogStream.Source.STDERR, null, "err"));

    engine.renameContainer(id, project + "-renamed-1");
    assertThat(Docker.lines("inspect", "-f", "{{.Name}}", id))
        .containsExactly("/" + project + "-renamed-1");
    assertThatThrownBy(
            () -> engine.createContainer(ContainerSpec.of(project + "-renamed-1", IMAGE, labels())))
        .isInstanceOf(EngineException.Conflict.class);
    engine.removeContainer(id, true, false);
    assertThat(engine.container(id)).isEmpty();
  }

  @Test
  void publishedPorts_andStop() {
    ContainerSpec spec =
        spec(
            project + "-web-1",
            List.of("httpd", "-f", "-p", "8080", "-h", "/www"),
            List.of(new ContainerSpec.PortBinding("127.0.0.1", "", 8080, "tcp")),
            List.of(
                new ContainerSpec.Mount(
                    "tmpfs", null, "/scratch", false, null, false, false, null, 1L << 20, null)),
            "SIGTERM");
    String id = engine.createContainer(spec);
    engine.startContainer(id);
    ContainerInfo listed =
        engine.containers(labels()).stream()
            .filter(c -> c.id().equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(listed.ports())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.hostIp()).isEqualTo("127.0.0.1");
              assertThat(p.containerPort()).isEqualTo(8080);
              assertThat(p.hostPort()).isPositive();
            });
    assertThat(listed.status()).startsWith("Up");
    engine.stopContainer(id, null, Duration.ofSeconds(2));
    assertThat(engine.container(id).orElseThrow().state()).isEqualTo(ContainerInfo.State.EXITED);
  }

  @Test
  void hijackedExec_passesStdinThroughAndHalfCloses() throws Exception {
    String id =
        engine.createContainer(
            spec(project + "-cat-1", List.of("sleep", "300"), List.of(), List.of(), "SIGKILL"));
    engine.startContainer(id);
    try (io.jstack.engine.http.SocketTransport t =
        new io.jstack.engine.http.SocketTransport(EngineAddress.fromEnvironment(System.getenv()))) {
      String v = "/v" + engine.apiVersion();
      String execId;
      try (io.jstack.engine.http.HttpResponse r =
          t.execute(
              io.jstack.engine.http.HttpRequest.postJson(
                  v + "/containers/" + id + "/exec",
                  "{\"Cmd\":[\"tr\",\"a-z\",\"A-Z\"],\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true}"
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
        assertThat(r.status()).isEqualTo(201);
        execId =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r.text())
                .path("Id")
                .asText();
      }
      try (io.jstack.engine.http.HttpResponse started =
              t.execute(
                  io.jstack.engine.http.HttpRequest.postJson(
                          v + "/exec/" + execId + "/start",
                          "{\"Detach\":false,\"Tty\":false}"
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                      .upgrading());
          io.jstack.engine.http.HttpConnection c = started.connection()) {
        c.output().write("shout\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        c.shutdownOutput();
        byte[] all = c.input().readAllBytes();
        // One multiplexed stdout frame: 8-byte header, then the payload.
        assertThat(all[0]).isEqualTo((byte) 1);
        assertThat(new String(all, 8, all.length - 8, java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("SHOUT\n");
      }
    }
  }

  @Test
  void images_tag_saveAndLoad_events_info() throws Exception {
    assertThat(engine.info().version()).isNotBlank();
    assertThat(engine.images(Map.of())).anySatisfy(i -> assertThat(i.tags()).contains(IMAGE));
    String tag = "jstack-it/" + project + ":tagged";
    engine.tagImage(IMAGE, tag);
    try {
      assertThat(engine.image(tag))
          .get()
          .extracting(i -> i.id())
          .isEqualTo(engine.image(IMAGE).orElseThrow().id());
      java.nio.file.Path archive = java.nio.file.Files.createTempFile("jstack-save", ".tar");
      try {
        assertThat(Docker.run(null, "docker", "save", "-o", archive.toString(), tag).code())
            .isZero();
        engine.removeImage(tag);
        assertThat(engine.image(tag)).isEmpty();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(archive)) {
          assertThat(engine.loadImages(in)).contains(tag);
        }
        assertThat(Docker.lines("image", "inspect", "-f", "{{.Id}}", tag)).hasSize(1);
      } finally {
        java.nio.file.Files.deleteIfExists(archive);
      }
    } finally {
      Docker.run(null, "docker", "rmi", tag);
    }

    try (io.jstack.engine.EventStream events = engine.events(labels())) {
      String id = engine.createContainer(ContainerSpec.of(project + "-ev-1", IMAGE, labels()));
      io.jstack.engine.EventStream.Event e = events.next();
      assertThat(e.type()).isEqualTo("container");
      assertThat(e.action()).isEqualTo("create");
      assertThat(e.id()).isEqualTo(id);
      assertThat(e.attributes()).containsEntry("name", project + "-ev-1");
    }
  }

  @Test
  void missingThings_areNotFound() {
    assertThat(engine.container("no-such-" + project)).isEmpty();
    assertThat(engine.image("jstack-examples/no-such-image:nope")).isEmpty();
    assertThatThrownBy(
            () ->
                engine.createContainer(
                    ContainerSpec.of(
                        project + "-x-1", "jstack-examples/no-such-image:nope", labels())))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining("no-such-image");
  }
}

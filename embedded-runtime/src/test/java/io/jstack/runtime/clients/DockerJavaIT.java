package io.jstack.runtime.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.jstack.engine.testing.NothingLeft;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docker-java, the client under Testcontainers, against the embedded engine's socket and against
 * dockerd with the same assertions: the everyday calls (ping, version, info, image inspect, create
 * with exposed ports, start, inspect with port mappings, exec with separate stdout and stderr and
 * an exit code, logs, archive copies in and out, networks with aliases, stop, remove), each checked
 * on what it did, not only on its answering. What a test creates is removed after it, on dockerd
 * too; on the embedded engine {@link NothingLeft} then checks that the host is as it was.
 */
class DockerJavaIT {
  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private @Nullable ClientTarget target;
  private @Nullable DockerClient docker;
  private final List<String> containers = new ArrayList<>();
  private final List<String> networks = new ArrayList<>();

  private DockerClient client(ClientTarget.Kind kind) throws Exception {
    target = ClientTarget.start(kind, dir);
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(target.dockerHost())
            .build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(60))
            .build();
    docker = DockerClientImpl.getInstance(config, http);
    return docker;
  }

  /** Removes what the test created, then the embedded engine; every step runs. */
  @AfterEach
  void removeWhatTheTestCreated() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    if (docker != null) {
      for (String id : containers) {
        run(
            failures,
            () -> docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
      }
      for (String id : networks) {
        run(failures, () -> docker.removeNetworkCmd(id).exec());
      }
      run(failures, docker::close);
    }
    if (target != null) {
      run(failures, target::close);
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("the test's clean-up failed", failures.get(0));
      failures.subList(1, failures.size()).forEach(e::addSuppressed);
      throw e;
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void pingVersionInfoAndImageInspect_describeTheEngine(ClientTarget.Kind kind) throws Exception {
    DockerClient docker = client(kind);
    docker.pingCmd().exec();

    Version version = docker.versionCmd().exec();
    assertThat(version.getApiVersion()).matches("1\\.\\d+");
    assertThat(version.getOperatingSystem()).isEqualTo("linux");
    assertThat(version.getVersion()).isNotBlank();

    Info info = docker.infoCmd().exec();
    assertThat(info.getNCPU()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(info.getMemTotal()).isPositive();
    assertThat(info.getOsType()).isEqualTo("linux");
    int before = info.getContainers();
    String id =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                .withCmd("true")
                .withLabels(Map.of("io.jstack.test", tag)));
    assertThat(docker.infoCmd().exec().getContainers()).isEqualTo(before + 1);

    InspectImageResponse image = docker.inspectImageCmd(ClientTarget.BUSYBOX).exec();
    Map<String, String> imageLabels = image.getConfig().getLabels();
    assertThat(imageLabels).as("the examples' image has labels").isNotEmpty();
    assertThat(docker.inspectContainerCmd(id).exec().getHostConfig().getNetworkMode())
        .as("no network asked for")
        .isEqualTo("default");
    assertThat(image.getVirtualSize()).isEqualTo(image.getSize());
    Info after = docker.infoCmd().exec();
    assertThat(after.getContainersStopped()).isGreaterThanOrEqualTo(1);
    assertThat(
            after.getContainersRunning()
                + after.getContainersPaused()
                + after.getContainersStopped())
        .isEqualTo(after.getContainers());
    assertThat(docker.inspectContainerCmd(id).exec().getConfig().getLabels())
        .as("its own labels and its image's")
        .containsAllEntriesOf(imageLabels)
        .containsEntry("io.jstack.test", tag);
    Map.Entry<String, String> fromImage = imageLabels.entrySet().iterator().next();
    assertThat(
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(
                    Map.of("io.jstack.test", tag, fromImage.getKey(), fromImage.getValue()))
                .exec())
        .extracting(com.github.dockerjava.api.model.Container::getId)
        .containsExactly(id);

    assertThat(image.getId()).matches("sha256:[0-9a-f]{64}");
    assertThat(image.getRepoTags()).contains(ClientTarget.BUSYBOX);
    assertThat(image.getOs()).isEqualTo("linux");
    assertThat(image.getRootFS().getLayers()).isNotEmpty();
    assertThat(image.getConfig()).isNotNull();
    assertThat(image.getConfig().getCmd()).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void aContainerWithAnExposedPort_isReachedOnItsMappedPort_andLogsWhatItPrinted(
      ClientTarget.Kind kind) throws Exception {
    DockerClient docker = client(kind);
    ExposedPort http = ExposedPort.tcp(8080);
    Ports bindings = new Ports();
    bindings.bind(http, Ports.Binding.bindIp("127.0.0.1"));
    String id =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                .withName("djava-port-" + tag)
                .withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings))
                .withCmd(
                    "sh",
                    "-c",
                    "echo listening; echo to-stderr >&2;"
                        + " while true; do echo hello-from-nc | nc -l -p 8080; done"));
    InspectContainerResponse created = docker.inspectContainerCmd(id).exec();
    assertThat(created.getState().getStatus()).isEqualTo("created");
    assertThat(created.getConfig().getExposedPorts()).containsExactly(http);

    docker.startContainerCmd(id).exec();
    InspectContainerResponse running = docker.inspectContainerCmd(id).exec();
    assertThat(running.getState().getRunning()).isTrue();
    Long pid = running.getState().getPidLong();
    assertThat(pid).isPositive();
    assertThat(java.nio.file.Files.readString(Path.of("/proc", pid.toString(), "cmdline")))
        .as("State.Pid is the container's process on the host")
        .contains("nc -l -p 8080");
    assertThat(running.getName()).isEqualTo("/djava-port-" + tag);
    Map<ExposedPort, Ports.Binding[]> mapped =
        running.getNetworkSettings().getPorts().getBindings();
    assertThat(mapped).containsKey(http);
    Ports.Binding binding = mapped.get(http)[0];
    assertThat(binding.getHostIp()).isEqualTo("127.0.0.1");
    int port = Integer.parseInt(binding.getHostPortSpec());
    assertThat(port).isPositive();

    Awaitility.await("nc answering on 127.0.0.1:" + port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(readLine(port)).isEqualTo("hello-from-nc"));

    Awaitility.await("the container's first lines in its logs")
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Output logs = logs(docker, id);
              assertThat(logs.stdout()).startsWith("listening\n");
              assertThat(logs.stderr()).isEqualTo("to-stderr\n");
            });

    docker.stopContainerCmd(id).withTimeout(1).exec();
    InspectContainerResponse stopped = docker.inspectContainerCmd(id).exec();
    assertThat(stopped.getState().getRunning()).isFalse();
    assertThat(stopped.getState().getStatus()).isEqualTo("exited");
    assertThat(stopped.getState().getPidLong()).isZero();

    docker.removeContainerCmd(id).exec();
    containers.remove(id);
    assertThat(docker.listContainersCmd().withShowAll(true).exec())
        .noneMatch(c -> c.getId().equals(id));
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void publishAllPorts_publishesTheExposedPortOnAFreeHostPort(ClientTarget.Kind kind)
      throws Exception {
    DockerClient docker = client(kind);
    ExposedPort http = ExposedPort.tcp(8080);
    String id =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                .withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withPublishAllPorts(true))
                .withCmd("sh", "-c", "while true; do echo hello-from-nc | nc -l -p 8080; done"));
    docker.startContainerCmd(id).exec();
    InspectContainerResponse running = docker.inspectContainerCmd(id).exec();
    assertThat(running.getHostConfig().getPublishAllPorts()).isTrue();
    Ports.Binding[] bindings = running.getNetworkSettings().getPorts().getBindings().get(http);
    assertThat(bindings).isNotNull();
    // dockerd adds one for [::] with the same port.
    Ports.Binding any =
        java.util.Arrays.stream(bindings)
            .filter(b -> b.getHostIp().equals("0.0.0.0"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no binding on 0.0.0.0"));
    int port = Integer.parseInt(any.getHostPortSpec());
    Awaitility.await("nc answering on 127.0.0.1:" + port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(readLine(port)).isEqualTo("hello-from-nc"));
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void followedLogs_endWithTheContainer_andHoldAllItPrinted(ClientTarget.Kind kind)
      throws Exception {
    DockerClient docker = client(kind);
    String id =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                .withCmd(
                    "sh", "-c", "for i in 1 2 3; do echo line $i; sleep 0.3; done; echo bye >&2"));
    docker.startContainerCmd(id).exec();
    Output out = new Output();
    assertThat(
            docker
                .logContainerCmd(id)
                .withStdOut(true)
                .withStdErr(true)
                .withFollowStream(true)
                .exec(out)
                .awaitCompletion(30, TimeUnit.SECONDS))
        .as("the stream ends when the container does")
        .isTrue();
    assertThat(out.stdout()).isEqualTo("line 1\nline 2\nline 3\n");
    assertThat(out.stderr()).isEqualTo("bye\n");
    Output tail = new Output();
    docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withTail(2)
        .exec(tail)
        .awaitCompletion(30, TimeUnit.SECONDS);
    assertThat(tail.stdout()).as("the last two lines, of both streams").isEqualTo("line 3\n");
    assertThat(tail.stderr()).isEqualTo("bye\n");
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void exec_keepsStdoutAndStderrApart_andReportsItsExitCode(ClientTarget.Kind kind)
      throws Exception {
    DockerClient docker = client(kind);
    String id = create(docker.createContainerCmd(ClientTarget.BUSYBOX).withCmd("sleep", "600"));
    docker.startContainerCmd(id).exec();

    String exec =
        docker
            .execCreateCmd(id)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withEnv(List.of("GREETING=hi"))
            .withWorkingDir("/tmp")
            .withCmd("sh", "-c", "echo $GREETING; pwd; echo oops >&2; exit 7")
            .exec()
            .getId();
    Output out = new Output();
    docker.execStartCmd(exec).exec(out).awaitCompletion(30, TimeUnit.SECONDS);
    assertThat(out.stdout()).isEqualTo("hi\n/tmp\n");
    assertThat(out.stderr()).isEqualTo("oops\n");
    InspectExecResponse inspected = docker.inspectExecCmd(exec).exec();
    assertThat(inspected.isRunning()).isFalse();
    assertThat(inspected.getExitCodeLong()).isEqualTo(7L);
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void anArchiveCopiedIn_comesBackOutWithItsContentAndMode(ClientTarget.Kind kind)
      throws Exception {
    DockerClient docker = client(kind);
    String id = create(docker.createContainerCmd(ClientTarget.BUSYBOX).withCmd("sleep", "600"));
    docker.startContainerCmd(id).exec();

    byte[] content = ("#!/bin/sh\necho copied " + tag + "\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry e = new TarArchiveEntry("copied.sh");
      e.setMode(0100751);
      e.setSize(content.length);
      out.putArchiveEntry(e);
      out.write(content);
      out.closeArchiveEntry();
    }
    docker
        .copyArchiveToContainerCmd(id)
        .withRemotePath("/tmp")
        .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
        .exec();

    // The container sees the file as written: it runs it.
    Output ran = execOut(docker, id, "/tmp/copied.sh");
    assertThat(ran.stdout()).isEqualTo("copied " + tag + "\n");

    try (InputStream back = docker.copyArchiveFromContainerCmd(id, "/tmp/copied.sh").exec();
        TarArchiveInputStream in = new TarArchiveInputStream(back)) {
      TarArchiveEntry e = in.getNextEntry();
      assertThat(e).isNotNull();
      assertThat(e.getName()).isEqualTo("copied.sh");
      assertThat(e.getMode() & 07777).isEqualTo(0751);
      assertThat(in.readAllBytes()).isEqualTo(content);
      assertThat(in.getNextEntry()).isNull();
    }

    // A link copied out is the link (dockerd's busybox and ours have /bin/sh -> busybox).
    try (InputStream back = docker.copyArchiveFromContainerCmd(id, "/bin/sh").exec();
        TarArchiveInputStream in = new TarArchiveInputStream(back)) {
      TarArchiveEntry e = in.getNextEntry();
      assertThat(e).isNotNull();
      assertThat(e.getName()).isEqualTo("sh");
      assertThat(e.isSymbolicLink()).as(e.getName() + " is a link").isTrue();
      assertThat(e.getLinkName()).endsWith("busybox");
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void aNetworkAlias_resolvesFromAnotherContainerOnTheNetwork(ClientTarget.Kind kind)
      throws Exception {
    DockerClient docker = client(kind);
    String network = "djava-net-" + tag;
    String netId = docker.createNetworkCmd().withName(network).exec().getId();
    networks.add(netId);
    assertThat(docker.inspectNetworkCmd().withNetworkId(network).exec().getId()).isEqualTo(netId);

    String alias = "db-" + tag;
    String server =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                .withCmd("sleep", "600")
                // By id, as Testcontainers names its networks.
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(netId))
                .withAliases(alias));
    docker.startContainerCmd(server).exec();
    var endpoint = docker.inspectContainerCmd(server).exec().getNetworkSettings().getNetworks();
    assertThat(endpoint).containsKey(network);
    assertThat(endpoint.get(network).getAliases()).contains(alias);
    String address = endpoint.get(network).getIpAddress();
    assertThat(address).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");

    // A running container on the default network joins with an alias of its own.
    String cache = "cache-" + tag;
    String joined = create(docker.createContainerCmd(ClientTarget.BUSYBOX).withCmd("sleep", "600"));
    docker.startContainerCmd(joined).exec();
    docker
        .connectToNetworkCmd()
        .withNetworkId(netId)
        .withContainerId(joined)
        .withContainerNetwork(
            new com.github.dockerjava.api.model.ContainerNetwork().withAliases(cache))
        .exec();
    String joinedAddress =
        docker
            .inspectContainerCmd(joined)
            .exec()
            .getNetworkSettings()
            .getNetworks()
            .get(network)
            .getIpAddress();
    assertThat(docker.inspectNetworkCmd().withNetworkId(netId).exec().getContainers().keySet())
        .contains(server, joined);

    String client =
        create(
            docker
                .createContainerCmd(ClientTarget.BUSYBOX)
                // Its own alias too, at once: its process asks before its start is recorded.
                .withCmd(
                    "sh",
                    "-c",
                    "nslookup client-" + tag + " && nslookup " + alias + " && nslookup " + cache)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network))
                .withAliases("client-" + tag));
    docker.startContainerCmd(client).exec();
    int code =
        docker
            .waitContainerCmd(client)
            .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
            .awaitStatusCode(30, TimeUnit.SECONDS);
    Output looked = logs(docker, client);
    assertThat(code).as(looked.stdout() + looked.stderr()).isZero();
    assertThat(looked.stdout()).contains(address).contains(joinedAddress);
  }

  private String create(CreateContainerCmd cmd) {
    String id = cmd.exec().getId();
    containers.add(id);
    return id;
  }

  private static Output logs(DockerClient docker, String id) throws InterruptedException {
    Output out = new Output();
    docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .exec(out)
        .awaitCompletion(30, TimeUnit.SECONDS);
    return out;
  }

  private static Output execOut(DockerClient docker, String id, String... cmd)
      throws InterruptedException {
    String exec =
        docker
            .execCreateCmd(id)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withCmd(cmd)
            .exec()
            .getId();
    Output out = new Output();
    docker.execStartCmd(exec).exec(out).awaitCompletion(30, TimeUnit.SECONDS);
    return out;
  }

  private static String readLine(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(2000);
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
    }
  }

  /** A call's clean-up step that may fail; it is recorded and the next step runs. */
  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private static void run(List<Throwable> failures, Step step) {
    try {
      step.run();
    } catch (Exception | Error e) {
      failures.add(e);
    }
  }

  /** What a container or exec wrote, stream by stream, as the frames arrived. */
  static final class Output extends ResultCallback.Adapter<Frame> {
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();

    @Override
    public void onNext(Frame frame) {
      String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
      synchronized (this) {
        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
      }
    }

    synchronized String stdout() {
      return stdout.toString();
    }

    synchronized String stderr() {
      return stderr.toString();
    }
  }
}

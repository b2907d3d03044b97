package io.jstack.runtime.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.jstack.engine.testing.NothingLeft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Testcontainers' {@code GenericContainer} on the embedded engine, as a user runs it: {@link
 * GenericContainerMain} in a JVM of its own with {@code DOCKER_HOST} naming the engine's socket,
 * Ryuk and the start-up checks off and the host given ({@code TESTCONTAINERS_*}, which keep it from
 * Docker Hub); the same program on dockerd must see the same. What its container leaves (when the
 * program dies before closing it) is removed after the test.
 */
class TestcontainersIT {
  private static final java.util.regex.Pattern SAID =
      java.util.regex.Pattern.compile("([a-z.]+)=(.*)");

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  private final String label = UUID.randomUUID().toString().substring(0, 8);
  private @Nullable ClientTarget target;

  @AfterEach
  void removeItsContainer() throws Exception {
    if (target == null) {
      return;
    }
    try (ClientTarget t = target;
        DockerClient docker =
            DockerClientImpl.getInstance(
                DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(t.dockerHost())
                    .build(),
                new ZerodepDockerHttpClient.Builder()
                    .dockerHost(java.net.URI.create(t.dockerHost()))
                    .build())) {
      for (Container c :
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of("io.jstack.test", label))
              .exec()) {
        docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTarget.Kind.class)
  void aGenericContainer_starts_isReachedOnItsMappedPort_andAnswersExecCopyLogsAndItsAlias(
      ClientTarget.Kind kind) throws Exception {
    target = ClientTarget.start(kind, dir);
    Path work = Files.createDirectory(dir.resolve("work"));
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GenericContainerMain.class.getName(),
                label,
                work.toString())
            .redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", target.dockerHost());
    pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
    pb.environment().put("TESTCONTAINERS_CHECKS_DISABLE", "true");
    pb.environment().put("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
    // Its own home: no ~/.testcontainers.properties of whoever runs the tests.
    pb.environment().put("HOME", work.toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String said = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(said).isZero();

    // Its key=value lines; Testcontainers' own logging goes to the same output.
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : said.lines().toList()) {
      java.util.regex.Matcher m = SAID.matcher(line);
      if (m.matches()) {
        seen.put(m.group(1), m.group(2));
      }
    }
    assertThat(seen)
        .as(said)
        .containsEntry("host", "localhost")
        .containsEntry("reached", "hello-from-nc")
        .containsEntry("exec.stdout", "copied " + label + "|751|")
        .containsEntry("exec.stderr", "e|")
        .containsEntry("exec.exit", "3")
        .containsEntry("copied", "copied " + label + "|")
        .containsEntry("running", "true");
    assertThat(seen.get("logs")).as(said).startsWith("started " + label + "|");
    assertThat(seen.get("address")).as(said).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(seen.get("nslookup"))
        .as("the alias resolves on the network: " + said)
        .contains(seen.get("address"));
    assertThat(Integer.parseInt(seen.get("port"))).isPositive();
  }
}

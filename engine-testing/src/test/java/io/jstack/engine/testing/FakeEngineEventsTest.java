package io.jstack.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerSpec;
import io.jstack.engine.EventStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events, images, tags and loads of the in-memory engine. */
class FakeEngineEventsTest {
  final FakeEngine engine = new FakeEngine().localImage("busybox:latest", "sha256:bb");

  @Test
  void events_reportWhatHappensToLabelledResources() {
    Map<String, String> mine = Map.of("com.docker.compose.project", "demo");
    try (EventStream events = engine.events(mine)) {
      String id = engine.createContainer(ContainerSpec.of("demo-app-1", "busybox:latest", mine));
      engine.createContainer(ContainerSpec.of("other-app-1", "busybox:latest", Map.of()));
      engine.startContainer(id);
      engine.exit(id, 4);
      engine.removeContainer(id, false, false);
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        EventStream.Event e = events.next();
        seen.add(
            e.type()
                + " "
                + e.action()
                + " "
                + e.attributes().get("name")
                + " "
                + e.attributes().getOrDefault("exitCode", ""));
      }
      assertThat(seen)
          .containsExactly(
              "container create demo-app-1 ",
              "container start demo-app-1 ",
              "container die demo-app-1 4",
              "container destroy demo-app-1 ");
    }
  }

  @Test
  void events_ofKillAndStop_andNetworks_areDockerds() {
    Map<String, String> mine = Map.of("com.docker.compose.project", "demo");
    try (EventStream events = engine.events(Map.of())) {
      engine.createNetwork(
          new io.jstack.engine.NetworkSpec(
              "demo_default", null, Map.of(), false, false, false, List.of(), mine));
      String id = engine.createContainer(ContainerSpec.of("demo-app-1", "busybox:latest", mine));
      engine.startContainer(id);
      engine.stopContainer(id, null, java.time.Duration.ofSeconds(10));
      engine.startContainer(id);
      engine.killContainer(id, "SIGKILL");
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        EventStream.Event e = events.next();
        seen.add(
            e.type()
                + " "
                + e.action()
                + " "
                + e.attributes()
                    .getOrDefault("signal", e.attributes().getOrDefault("exitCode", "")));
        if (i == 0) {
          // A network event carries its name and type, never its labels (dockerd's).
          assertThat(e.attributes()).isEqualTo(Map.of("name", "demo_default", "type", "bridge"));
        } else {
          assertThat(e.attributes()).containsEntry("image", "busybox:latest");
        }
      }
      assertThat(seen)
          .containsExactly(
              "network create ",
              "container create ",
              "container start ",
              "container kill 15",
              "container die 0",
              "container stop ",
              "container start ",
              "container kill 9",
              "container die 137");
    }
  }

  @Test
  void tagAndList() {
    engine.tagImage("busybox:latest", "registry.local/bb:1");
    assertThat(engine.image("registry.local/bb:1"))
        .get()
        .extracting(i -> i.id())
        .isEqualTo("sha256:bb");
    assertThat(engine.images(Map.of()))
        .singleElement()
        .satisfies(i -> assertThat(i.tags()).contains("registry.local/bb:1"));
  }

  @Test
  void load_readsTheManifestOfADockerSaveArchive() throws Exception {
    byte[] manifest =
        "[{\"Config\":\"abc123.json\",\"RepoTags\":[\"loaded/app:2\"],\"Layers\":[]}]"
            .getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    byte[] header = new byte[512];
    System.arraycopy("manifest.json".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 13);
    byte[] size = String.format("%011o", manifest.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    tar.write(header);
    tar.write(manifest);
    tar.write(new byte[512 - manifest.length % 512]);
    tar.write(new byte[1024]);
    assertThat(engine.loadImages(new ByteArrayInputStream(tar.toByteArray())))
        .containsExactly("loaded/app:2");
    assertThat(engine.image("loaded/app:2"))
        .get()
        .extracting(i -> i.id())
        .isEqualTo("sha256:abc123");
  }
}

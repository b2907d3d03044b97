package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.engine.ContainerRecord;
import io.jstack.runtime.engine.ContainerSettings;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.engine.PublishedPort;
import io.jstack.runtime.engine.RecordFile;
import io.jstack.runtime.image.Healthcheck;
import io.jstack.runtime.network.ResolvConf;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of format 1, as jstack wrote them before the typed record, are upgraded to the typed
 * format: the recorded one ({@code upgrade/record-v1.json} in engine-testing) field by field.
 */
class RecordUpgradeTest {
  @TempDir Path dir;

  private static JsonNode recorded() throws Exception {
    try (InputStream in =
        Objects.requireNonNull(
            RecordUpgradeTest.class.getResourceAsStream(
                "/io/jstack/engine/testing/upgrade/record-v1.json"))) {
      return Exchange.JSON.readTree(in);
    }
  }

  @Test
  void theRecordedVersion1Record_becomesTypedFields() throws Exception {
    ContainerRecord r = RecordUpgrade.fromVersion1(recorded());

    assertThat(r.id()).startsWith("becfebd2f00e");
    assertThat(r.name()).isEqualTo("v1rec-app-1");
    assertThat(r.image()).isEqualTo("jstack-examples/busybox:latest");
    assertThat(r.imageId()).startsWith("sha256:0b5bee4b");
    assertThat(r.created()).isEqualTo(Instant.parse("2026-12-06T07:15:15.234772449Z"));
    assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-12-06T07:15:15.470693127Z"));
    assertThat(r.restartCount()).isZero();
    assertThat(r.stoppedByUser()).isFalse();
    assertThat(r.commandLine()).hasSize(3).startsWith("sh", "-c");
    assertThat(r.commandLine().get(2)).startsWith("httpd -p 8080 -h /www; i=0;");
    assertThat(r.anonymousVolumes())
        .containsExactly("28fd63d90a38102ed37804820f174b0a5ec7a2ebec2f86e1d41ffa6583354934");
    assertThat(r.publishedPorts())
        .containsExactly(new PublishedPort("tcp", "0.0.0.0", 18777, 8080));
    assertThat(r.endpoints().values())
        .extracting(Endpoint::network, Endpoint::address, Endpoint::device)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("v1rec_back", "172.19.0.2", 0),
            org.assertj.core.groups.Tuple.tuple("v1rec_front", "172.18.0.2", 1));
    assertThat(r.endpoints().values())
        .last()
        .extracting(Endpoint::aliases)
        .isEqualTo(List.of("app", "v1rec-app-1", "app-alias", "becfebd2f00e"));

    ContainerSettings s = r.settings();
    assertThat(s.cmd()).isEqualTo(r.commandLine());
    assertThat(s.entrypoint()).isNull();
    assertThat(s.env()).containsExactly("GREETING=hello");
    assertThat(s.workingDir()).isEqualTo("/tmp");
    assertThat(s.stopSignal()).isEqualTo("SIGINT");
    assertThat(s.labels())
        .containsEntry("com.docker.compose.project", "v1rec")
        .containsEntry("example.role", "app");
    assertThat(s.exposedPorts()).containsExactly("8080/tcp");
    assertThat(s.healthcheck())
        .isEqualTo(
            new Healthcheck(
                List.of("CMD", "true"),
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO,
                0));
    ContainerSettings.Host h = s.host();
    assertThat(h.networkMode()).isEqualTo("v1rec_back");
    assertThat(h.restartPolicy()).isEqualTo("unless-stopped");
    assertThat(h.init()).isTrue();
    assertThat(h.capDrop()).containsExactly("NET_RAW");
    assertThat(h.extraHosts()).containsExactly("somehost:127.0.0.2");
    assertThat(h.mounts())
        .containsExactly(
            new ContainerSettings.Mount("volume", "", "/data", false, false),
            new ContainerSettings.Mount("volume", "v1rec_named", "/named", false, false));
    assertThat(h.portBindings())
        .containsExactly(new ContainerSettings.PortBinding(8080, "tcp", "", "18777"));
    assertThat(s.networks()).containsOnlyKeys("v1rec_back");
    assertThat(s.networks().get("v1rec_back").aliases()).containsExactly("app", "v1rec-app-1");
  }

  @Test
  void upgrade_rewritesOnlyVersion1Records_andTheResultReadsBack() throws Exception {
    DataRoot root = new DataRoot(dir);
    Path old = Files.createDirectories(dir.resolve("containers/old"));
    Path none = Files.createDirectories(dir.resolve("containers/none"));
    Files.write(old.resolve("record.json"), Exchange.JSON.writeValueAsBytes(recorded()));

    assertThat(RecordUpgrade.upgrade(root)).isEqualTo(1);
    ContainerRecord read = RecordFile.read(RecordFile.in(old)).orElseThrow();
    assertThat(read).isEqualTo(RecordUpgrade.fromVersion1(recorded()));
    assertThat(Exchange.JSON.readTree(old.resolve("record.json").toFile()).path("format").asInt())
        .isEqualTo(RecordFile.FORMAT);
    assertThat(RecordFile.read(RecordFile.in(none))).isEmpty();

    assertThat(RecordUpgrade.upgrade(root)).as("nothing left to upgrade").isZero();
  }

  @Test
  void aFormat2RecordWrittenBeforeTmpfsOptionsWereKept_readsWithNone() throws Exception {
    Path c = Files.createDirectories(dir.resolve("containers/before"));
    ContainerRecord r = RecordUpgrade.fromVersion1(recorded());
    RecordFile.write(c, r);
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Exchange.JSON.readTree(c.resolve("record.json").toFile());
    com.fasterxml.jackson.databind.node.ObjectNode host =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.path("container").path("settings").path("host");
    assertThat(host.has("tmpfs")).isTrue();
    host.remove("tmpfs");
    for (com.fasterxml.jackson.databind.JsonNode m : host.path("mounts")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) m)
          .remove(List.of("tmpfsSize", "tmpfsMode"));
    }
    Files.write(c.resolve("record.json"), Exchange.JSON.writeValueAsBytes(json));

    ContainerRecord read = RecordFile.read(RecordFile.in(c)).orElseThrow();

    assertThat(read.settings().host().tmpfs()).isEmpty();
    assertThat(read).isEqualTo(r);
  }

  @Test
  void anUnupgradedOrNewerRecord_isRefusedInOneLine_andGarbageIsUnreadable() throws Exception {
    Path c = Files.createDirectories(dir.resolve("c"));
    Files.write(c.resolve("record.json"), Exchange.JSON.writeValueAsBytes(recorded()));
    assertThatThrownBy(() -> RecordFile.read(RecordFile.in(c)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("has format 1; this jstack reads 2")
        .hasMessageContaining("restart the engine (jstack engine stop");
    Files.writeString(c.resolve("record.json"), "{\"format\":3,\"container\":{}}");
    assertThatThrownBy(() -> RecordFile.read(RecordFile.in(c)))
        .hasMessageContaining("has format 3")
        .hasMessageContaining("use the jstack that wrote it");
    Files.writeString(c.resolve("record.json"), "{\"format\":2,\"contai");
    assertThatThrownBy(() -> RecordFile.read(RecordFile.in(c)))
        .isInstanceOf(RecordFile.Unreadable.class);
  }

  @Test
  void aRecordWrittenBeforeDnsSettingsWereKept_readsWithNone() throws Exception {
    ContainerRecord r = RecordUpgrade.fromVersion1(recorded());
    Path c = Files.createDirectories(dir.resolve("containers/c"));
    RecordFile.write(c, r);
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Exchange.JSON.readTree(c.resolve("record.json").toFile());
    com.fasterxml.jackson.databind.node.ObjectNode host =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.path("container").path("settings").path("host");
    assertThat(host.has("dns")).isTrue();
    host.remove("dns");
    Files.write(c.resolve("record.json"), Exchange.JSON.writeValueAsBytes(json));

    ContainerRecord read = RecordFile.read(RecordFile.in(c)).orElseThrow();
    assertThat(read.settings().host().dns()).isEqualTo(ResolvConf.Asked.NONE);
    assertThat(read).isEqualTo(r);
  }
}

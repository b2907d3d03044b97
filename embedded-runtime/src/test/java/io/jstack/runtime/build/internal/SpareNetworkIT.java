package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.engine.Endpoint;
import io.jstack.runtime.engine.SpareNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The network namespaces a build makes ahead of its RUN steps on the default network ({@link
 * EmbeddedEngine#prepareStepNetwork}): the step's container runs in one with its address and route,
 * and it goes with the container; one no step took, or that no longer fits (its network removed),
 * is deleted and its address given back; those an engine that died left are deleted when the next
 * one starts supervising.
 */
class SpareNetworkIT extends StepEngineFixture {
  @Test
  void aRunStep_takesTheSpareMadeAhead_andItGoesWithItsContainer() throws Exception {
    StepContainers steps = new StepContainers(engine);
    steps.prepareNetwork();
    StringBuilder out = new StringBuilder();
    StepContainers.Ran ran =
        steps.run(
            BUSYBOX,
            List.of("sh", "-c", "ip -4 addr show eth0 && ip route"),
            List.of(),
            "/",
            null,
            "default",
            List.of(),
            rootfs -> {},
            out::append);
    Path namespace = namespace(ran.id());
    assertThat(namespace).exists();
    steps.remove(ran.id());
    steps.awaitRemovals();

    assertThat(ran.exitCode()).isZero();
    assertThat(out.toString())
        .containsPattern("inet 172\\.\\d+\\.\\d+\\.\\d+/")
        .contains("default via");
    assertThat(namespace).doesNotExist();
    assertThat(engine.list()).isEmpty();
  }

  @Test
  void theSpare_isMadeAgainAfterABuildTookIt_andGoesWithTheNetworkOrTheEngine() throws Exception {
    StepContainers steps = new StepContainers(engine);
    steps.prepareNetwork();
    StepContainers.Ran ran =
        steps.run(
            BUSYBOX, List.of("true"), List.of(), "/", null, "default", List.of(), r -> {}, s -> {});
    steps.remove(ran.id());
    steps.awaitRemovals();

    Path kept = namespace(madeSpare());
    assertThat(kept).exists();
    engine.removeNetwork("bridge");
    assertThat(kept).doesNotExist();
    assertThat(spareFiles()).isEmpty();

    engine.wantStepNetwork();
    Path wanted = namespace(madeSpare());
    engines.remove(engine);
    engine.stopSupervising();
    assertThat(wanted).doesNotExist();
    engine.wantStepNetwork();
    assertThat(spareFiles()).isEmpty();
  }

  /** The id of the one spare being made or made, once it is made (its namespace is there). */
  private String madeSpare() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> ids = spareFiles();
      if (ids.size() == 1 && Files.exists(namespace(ids.get(0)))) {
        return ids.get(0);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no spare network namespace was made: " + spareFiles());
  }

  private List<String> spareFiles() throws Exception {
    Path d = dir.resolve("data/run/spare-netns");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (var files = Files.list(d)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  @Test
  void theSpareNamespace_isTheContainers_whichHasItsAddress() {
    SpareNetwork spare = engine.prepareStepNetwork();
    String id =
        engine.createBuildStep(
            StepContainers.settings(
                BUSYBOX, List.of("true"), List.of(), "/", null, "default", List.of()),
            spare);

    assertThat(id).isEqualTo(spare.id());
    assertThat(engine.list().get(0).record().endpoints()).isEqualTo(spare.endpoints());
    engine.remove(id, true, true);
    assertThat(namespace(id)).doesNotExist();
  }

  @Test
  void aSpareNoStepTook_isDeleted_andItsAddressGivenBack() {
    SpareNetwork spare = engine.prepareStepNetwork();
    assertThat(namespace(spare.id())).exists();

    engine.discard(spare);

    assertThat(namespace(spare.id())).doesNotExist();
    SpareNetwork next = engine.prepareStepNetwork();
    assertThat(address(next)).isEqualTo(address(spare));
    engine.discard(next);
  }

  @Test
  void aSpareOnARemovedNetwork_isDeleted_andTheStepRunsOnTheNewOne() {
    SpareNetwork spare = engine.prepareStepNetwork();
    engine.removeNetwork("bridge");

    String id =
        engine.createBuildStep(
            StepContainers.settings(
                BUSYBOX, List.of("true"), List.of(), "/", null, "default", List.of()),
            spare);

    assertThat(id).isNotEqualTo(spare.id());
    assertThat(namespace(spare.id())).doesNotExist();
    String network = engine.networks().find("bridge").orElseThrow().id();
    assertThat(engine.list().get(0).record().endpoints()).containsOnlyKeys(network);
    engine.remove(id, true, true);
  }

  @Test
  void theSparesOfAnEngineThatDied_areDeletedByTheNext() {
    SpareNetwork spare = engine.prepareStepNetwork();
    engines.remove(engine);
    engine.stopSupervising();

    engine = started();

    assertThat(namespace(spare.id())).doesNotExist();
  }

  private static Path namespace(String id) {
    return Path.of("/run/netns", "jstack-" + id.substring(0, 12));
  }

  private static String address(SpareNetwork s) {
    return s.endpoints().values().stream().map(Endpoint::address).findFirst().orElseThrow();
  }
}

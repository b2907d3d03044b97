package io.jstack.engine.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.ContainerSpec;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineException;
import io.jstack.engine.ListFilters;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.TarWriter;
import io.jstack.engine.VolumeInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's scenarios about networks and volumes, and containers that use them. */
public abstract class NetworkAndVolumeScenarios extends ProcessScenarios {

  // ---------------------------------------------------------------- networks and volumes

  @Test
  @Covers({"createNetwork", "network", "networks(Map)", "removeNetwork"})
  void networks_createFindListAndRemove_andTheirErrors() {
    String front = scratch.name("front");
    String back = scratch.name("back");
    engine.createNetwork(network(front, false, Map.of("role", "front")));
    engine.createNetwork(network(back, true, Map.of("role", "back")));

    NetworkInfo f = engine.network(front).orElseThrow();
    assertThat(f.name()).isEqualTo(front);
    assertThat(f.driver()).isEqualTo("bridge");
    assertThat(f.internal()).isFalse();
    assertThat(f.labels()).containsAllEntriesOf(scratch.labels()).containsEntry("role", "front");
    assertThat(engine.network(f.id())).map(NetworkInfo::name).contains(front);
    assertThat(engine.network(back)).map(NetworkInfo::internal).contains(true);
    assertThat(networkNames(Map.of())).containsExactlyInAnyOrder(front, back);
    assertThat(networkNames(Map.of("role", "back"))).containsExactly(back);
    assertThat(networkNames(Map.of("role", "none"))).isEmpty();
    assertThat(engine.network(scratch.name("absent"))).isEmpty();

    assertThatThrownBy(() -> engine.createNetwork(network(front, false, Map.of())))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining(front);
    engine.removeNetwork(front);
    engine.removeNetwork(back);
    assertThat(engine.network(front)).isEmpty();
    assertThatThrownBy(() -> engine.removeNetwork(front))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining(front);
  }

  /** Docker's filters of this run's resources: its label, and {@code more}. */
  ListFilters runs(String... more) {
    ListFilters f = ListFilters.parse(List.of(more));
    for (Map.Entry<String, String> l : scratch.labels().entrySet()) {
      f = f.with("label", l.getKey() + "=" + l.getValue());
    }
    return f;
  }

  /**
   * Networks by Docker's list filters, and their prune, of this run's networks only (its label),
   * which keeps a network a running container is on.
   */
  @Test
  @Covers({"createNetwork", "createContainer", "networks(ListFilters)", "pruneNetworks"})
  void networks_byDockersFilters_andPrune_keepsTheOnesInUse() {
    String used = scratch.name("used");
    String idle = scratch.name("idle");
    engine.createNetwork(network(used, false, Map.of("role", "used")));
    engine.createNetwork(network(idle, false, Map.of("role", "idle")));
    String id = engine.createContainer(onNetwork(spec(scratch.name("on"), Program.SERVE), used));
    engine.startContainer(id);
    awaitReady(id, 1);

    // No dangling here: dockerd 20.10 lists a network a running container is on as dangling.
    assertThat(networkNames(runs())).containsExactlyInAnyOrder(used, idle);
    assertThat(networkNames(runs("label=role=idle", "type=custom"))).containsExactly(idle);
    assertThat(networkNames(runs("name=" + used, "driver=bridge"))).containsExactly(used);
    assertThat(networkNames(runs("type=builtin"))).isEmpty();
    assertThatThrownBy(() -> engine.networks(runs("colour=red")))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageContaining("colour");

    Engine.Pruned pruned = engine.pruneNetworks(runs());

    assertThat(pruned.deleted()).containsExactly(idle);
    assertThat(engine.network(idle)).isEmpty();
    assertThat(engine.network(used)).isPresent();
  }

  /**
   * Volumes by Docker's list filters ({@code dangling}: no container mounts it, running or not),
   * and a prune of every unused one ({@code all}) of this run's volumes only (its label), which
   * keeps the one a container mounts.
   */
  @Test
  @Covers({"createVolume", "createContainer", "volumes(ListFilters)", "pruneVolumes"})
  void volumes_byDockersFilters_andPruneOfAll_keepsTheOnesInUse() {
    String used = scratch.name("usedvol");
    String idle = scratch.name("idlevol");
    engine.createVolume(volume(used, Map.of("role", "used")));
    engine.createVolume(volume(idle, Map.of("role", "idle")));
    engine.createContainer(
        Specs.with(
            spec(scratch.name("mounter"), Program.SERVE),
            "mounts",
            List.of(volumeMount(used, "/data"))));

    assertThat(volumeNames(runs())).containsExactlyInAnyOrder(used, idle);
    assertThat(volumeNames(runs("dangling=true"))).containsExactly(idle);
    assertThat(volumeNames(runs("dangling=false"))).containsExactly(used);
    assertThat(volumeNames(runs("label=role=idle", "driver=local"))).containsExactly(idle);
    assertThat(volumeNames(runs("name=" + used))).containsExactly(used);
    assertThatThrownBy(() -> engine.volumes(runs("colour=red")))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageContaining("colour");

    // Named volumes are not anonymous: a prune without all leaves them.
    assertThat(engine.pruneVolumes(runs()).deleted()).isEmpty();
    Engine.Pruned pruned = engine.pruneVolumes(runs("all=true"));

    assertThat(pruned.deleted()).containsExactly(idle);
    assertThat(engine.volume(idle)).isEmpty();
    assertThat(engine.volume(used)).isPresent();
  }

  @Test
  @Covers({"createNetwork", "createContainer", "container", "removeNetwork", "stopContainer"})
  void aNetwork_withARunningContainer_cannotBeRemoved_andAStoppedOneThenCannotStart() {
    String net = scratch.name("net");
    engine.createNetwork(network(net, false, Map.of()));
    String name = scratch.name("member");
    String id = engine.createContainer(onNetwork(spec(name, Program.SERVE), net));
    engine.startContainer(id);
    awaitReady(id, 1);

    assertThat(engine.container(id).orElseThrow().networks()).containsExactly(net);
    // dockerd answers 403 Forbidden, which DockerEngine reports as an EngineException.
    assertThatThrownBy(() -> engine.removeNetwork(net))
        .isInstanceOf(EngineException.class)
        .isNotInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining("active endpoints");

    engine.stopContainer(id, null, STOP_TIMEOUT);
    engine.removeNetwork(net); // a stopped container holds no endpoint
    assertThatThrownBy(() -> engine.startContainer(id))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining("not found");
  }

  @Test
  @Covers({"createVolume", "volume", "volumes(Map)", "removeVolume"})
  void volumes_createFindListAndRemove_andCreatingAnExistingOneKeepsIt() {
    String data = scratch.name("data");
    String logs = scratch.name("logs");
    engine.createVolume(volume(data, Map.of("role", "data")));
    engine.createVolume(volume(logs, Map.of("role", "logs")));

    VolumeInfo v = engine.volume(data).orElseThrow();
    assertThat(v.name()).isEqualTo(data);
    assertThat(v.driver()).isEqualTo("local");
    assertThat(v.labels()).containsAllEntriesOf(scratch.labels()).containsEntry("role", "data");
    assertThat(volumeNames(Map.of())).containsExactlyInAnyOrder(data, logs);
    assertThat(volumeNames(Map.of("role", "logs"))).containsExactly(logs);
    assertThat(engine.volume(scratch.name("absent"))).isEmpty();

    engine.createVolume(volume(data, Map.of("role", "other")));
    assertThat(engine.volume(data).orElseThrow().labels()).containsEntry("role", "data");

    engine.removeVolume(data);
    engine.removeVolume(logs);
    assertThat(engine.volume(data)).isEmpty();
    assertThatThrownBy(() -> engine.removeVolume(data))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining(data);
  }

  @Test
  @Covers({"createContainer", "volume", "removeVolume", "removeContainer"})
  void aMountedVolume_isCreatedIfMissing_andCannotBeRemovedWhileAContainerMountsIt() {
    String data = scratch.name("mounted");
    scratch.volume(data);
    String name = scratch.name("mounter");
    List<ContainerSpec.Mount> mounts =
        List.of(volumeMount(data, "/data"), volumeMount(null, "/scratch"));
    String id = engine.createContainer(Specs.with(spec(name, Program.SERVE), "mounts", mounts));

    assertThat(engine.volume(data)).map(VolumeInfo::name).contains(data);
    assertThatThrownBy(() -> engine.removeVolume(data))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("in use");

    engine.removeContainer(id, true, false);
    engine.removeVolume(data);
    assertThat(engine.volume(data)).isEmpty();
  }

  /**
   * The archive endpoints see what the container sees: a path below a volume is the volume's (a
   * second container that mounts it finds the file), its top entry has the asked name, a volume
   * mounted read-only cannot be written, and {@code /etc/hostname} is the container's own.
   */
  @Test
  @Covers({"copyTo", "copyFrom"})
  void copy_intoAndOutOfAVolume_goesThroughTheMount() throws IOException {
    String data = scratch.name("copied");
    scratch.volume(data);
    String writer = scratch.name("writer");
    ContainerSpec spec =
        Specs.with(
            Specs.with(spec(writer, Program.SERVE), "mounts", List.of(volumeMount(data, "/data"))),
            "hostname",
            "copyhost");
    String id = engine.createContainer(spec);
    engine.startContainer(id);
    awaitReady(id, 1);

    engine.copyTo(id, "/data", new ByteArrayInputStream(tar("note.txt", "in the volume\n")));

    try (InputStream copied = engine.copyFrom(id, "/data")) {
      assertThat(untar(copied)).containsExactly(Map.entry("data/note.txt", "in the volume\n"));
    }
    try (InputStream copied = engine.copyFrom(id, "/etc/hostname")) {
      assertThat(untar(copied)).containsExactly(Map.entry("hostname", "copyhost\n"));
    }
    ContainerSpec.Mount readOnly =
        Specs.record(
            ContainerSpec.Mount.class,
            Map.of("type", "volume", "source", data, "target", "/shared", "readOnly", true));
    String reader =
        engine.createContainer(
            Specs.with(spec(scratch.name("reader"), Program.SERVE), "mounts", List.of(readOnly)));
    try (InputStream copied = engine.copyFrom(reader, "/shared/note.txt")) {
      assertThat(untar(copied)).containsExactly(Map.entry("note.txt", "in the volume\n"));
    }
    assertThatThrownBy(
            () ->
                engine.copyTo(
                    reader, "/shared", new ByteArrayInputStream(tar("more.txt", "refused\n"))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("read-only");
  }

  /**
   * A path through a link in the container's root to a volume's directory is the volume's, as the
   * container sees it (dockerd resolves it in the container's mount namespace).
   */
  @Test
  @Covers({"copyTo", "copyFrom"})
  void copy_throughALinkToAVolume_landsInTheVolume() throws IOException {
    String data = scratch.name("linked");
    scratch.volume(data);
    String id =
        engine.createContainer(
            Specs.with(
                spec(scratch.name("linker"), Program.SERVE),
                "mounts",
                List.of(volumeMount(data, "/data"))));
    engine.startContainer(id);
    awaitReady(id, 1);
    ByteArrayOutputStream link = new ByteArrayOutputStream();
    TarWriter.header(link, "to-data", 0777, 0, '2', "/data");
    TarWriter.end(link);
    engine.copyTo(id, "/", new ByteArrayInputStream(link.toByteArray()));

    engine.copyTo(id, "/to-data", new ByteArrayInputStream(tar("via.txt", "through the link\n")));

    String reader =
        engine.createContainer(
            Specs.with(
                spec(scratch.name("linkreader"), Program.SERVE),
                "mounts",
                List.of(volumeMount(data, "/shared"))));
    try (InputStream copied = engine.copyFrom(reader, "/shared/via.txt")) {
      assertThat(untar(copied)).containsExactly(Map.entry("via.txt", "through the link\n"));
    }
    try (InputStream copied = engine.copyFrom(id, "/to-data/via.txt")) {
      assertThat(untar(copied)).containsExactly(Map.entry("via.txt", "through the link\n"));
    }
  }
}

package io.jstack.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.Containers;
import io.jstack.runtime.container.RuntimeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's state from its record and the files runc and conmon leave (no runtime runs). */
class ContainerStoreTest {
  @TempDir Path dir;

  @Test
  void hasProcess_fromRuncsPidfile_alsoBeforeItsStartIsRecorded_untilConmonRecordsTheExit()
      throws Exception {
    DataRoot root = new DataRoot(dir);
    Containers containers =
        new Containers(root, new RuntimeTools(Path.of("/bin/false"), Path.of("/bin/false"), null));
    ContainerStore store = new ContainerStore(root, containers);
    ContainerRecord r =
        new ContainerRecord(
            "c1",
            "web",
            "busybox",
            "sha256:c0nf19",
            Instant.parse("2026-01-02T03:04:05Z"),
            ContainerSettingsTest.settings(Map.of(), null),
            List.of("true"),
            Map.of(),
            List.of(),
            List.of(),
            null,
            0,
            false);
    Files.createDirectories(containers.dir("c1"));
    // runc's pid file and conmon's exit file are run-time files, kept apart from the bundle.
    Path runtime = Files.createDirectories(root.run().resolve("containers").resolve("c1"));

    assertThat(store.hasProcess(r)).as("created, never started").isFalse();

    Files.writeString(runtime.resolve("pidfile"), "4242");
    assertThat(store.withState(r).status())
        .as("its start is not recorded yet")
        .isEqualTo(Container.Status.created);
    assertThat(store.hasProcess(r)).as("but runc started its process: the DNS answers").isTrue();

    Files.createDirectories(runtime.resolve("exits"));
    Files.writeString(runtime.resolve("exits/c1"), "0");
    assertThat(store.hasProcess(r)).as("conmon recorded its exit").isFalse();
  }

  @Test
  void removeUnfinishedCreates_removesDirectoriesWithoutARecord_andKeepsTheOthers()
      throws Exception {
    DataRoot root = new DataRoot(dir);
    Containers containers =
        new Containers(root, new RuntimeTools(Path.of("/bin/false"), Path.of("/bin/false"), null));
    // A create killed midway: its bundle begun, no record.
    Path unfinished = Files.createDirectories(containers.dir("killed").resolve("rootfs"));
    Files.createDirectories(unfinished.resolveSibling("upper/var"));
    // A whole one, and one whose record cannot be read: both stay.
    Path recorded = Files.createDirectories(containers.dir("c1"));
    Files.createDirectories(containers.dir("cut"));
    Files.writeString(RecordFile.in(containers.dir("cut")), "{\"format\": 2, \"contai");
    ContainerStore store = new ContainerStore(root, containers);
    RecordFile.write(recorded, record("c1"));

    store.removeUnfinishedCreates();

    assertThat(containers.dir("killed")).doesNotExist();
    assertThat(RecordFile.in(recorded)).exists();
    assertThat(RecordFile.in(containers.dir("cut"))).exists();
  }

  private static ContainerRecord record(String id) {
    return new ContainerRecord(
        id,
        "web",
        "busybox",
        "sha256:c0nf19",
        Instant.parse("2026-01-02T03:04:05Z"),
        ContainerSettingsTest.settings(Map.of(), null),
        List.of("true"),
        Map.of(),
        List.of(),
        List.of(),
        null,
        0,
        false);
  }
}

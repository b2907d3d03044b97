package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.EngineException;
import io.jstack.runtime.DataRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFullTest {
  @TempDir Path dir;

  private static RuntimeException enospc() {
    return new EngineException(
        "could not store blob",
        new FileSystemException("/data/images/tmp/1-2", null, "No space left on device"));
  }

  @Test
  void guard_failureForWantOfSpace_saysTheDataRootTheSizesAndWhatToDo() {
    DataRoot root = new DataRoot(dir);
    long free = DiskFull.free(dir);
    long needed = free + (120L << 20);

    assertThatThrownBy(
            () ->
                DiskFull.guard(
                    root,
                    "pulling 127.0.0.1:5000/it/big:1",
                    () -> needed,
                    () -> {
                      throw enospc();
                    }))
        .isInstanceOfSatisfying(
            DiskFull.class,
            e -> {
              assertThat(e.dataRoot()).isEqualTo(dir);
              assertThat(e.needed()).isEqualTo(needed);
            })
        // Others may write to the temporary directory's disk meanwhile: about 120 MiB.
        .hasMessageMatching(
            "pulling 127\\.0\\.0\\.1:5000/it/big:1: no space left on the data root "
                + Pattern.quote(dir.toString())
                + " \\(needs about 1[12]\\d MiB more, \\d+ MiB free\\);"
                + " free space there or set JSTACK_DATA_ROOT");
  }

  @Test
  void guard_withoutAnEstimate_saysMoreThanWhatIsFree() {
    assertThatThrownBy(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "building app:1",
                    () -> -1,
                    () -> {
                      throw enospc();
                    }))
        .isInstanceOf(DiskFull.class)
        .hasMessageContaining("building app:1: no space left on the data root " + dir + " (")
        .hasMessageContaining("needs more than the ");
  }

  @Test
  void guard_nestedOperationsFailure_passesAsItIs() {
    DiskFull inner =
        catchDiskFull(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "pulling base:1",
                    () -> 1L << 40,
                    () -> {
                      throw enospc();
                    }));

    DiskFull outer =
        catchDiskFull(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "building app:1",
                    () -> -1,
                    () -> {
                      throw inner;
                    }));

    assertThat(outer).isSameAs(inner);
  }

  @Test
  void guard_otherFailures_passUnchanged() {
    RuntimeException other = new EngineException("blob sha256:1 has 3 bytes");
    assertThatThrownBy(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "loading",
                    () -> 1,
                    () -> {
                      throw other;
                    }))
        .isSameAs(other);
  }

  @Test
  void caused_findsNoSpaceInCausesAndSuppressedFailuresOnly() {
    IOException pipe = new IOException("Pipe closed");
    pipe.addSuppressed(new IOException("No space left on device"));

    assertThat(DiskFull.caused(new UncheckedIOException(pipe))).isTrue();
    assertThat(DiskFull.caused(enospc())).isTrue();
    assertThat(DiskFull.caused(new FileSystemException("/x", null, "Permission denied"))).isFalse();
    assertThat(DiskFull.caused(new IOException((String) null))).isFalse();
  }

  @Test
  void caused_findsAUsedUpDiskQuotaToo() {
    IOException quota =
        new FileSystemException("/data/volumes/v/_data/a", null, "Disk quota exceeded");

    assertThat(DiskFull.caused(new EngineException("could not store blob", quota))).isTrue();
    assertThat(DiskFull.reason(quota)).contains(DiskFull.NoRoom.QUOTA);
    assertThat(DiskFull.reason(enospc())).contains(DiskFull.NoRoom.SPACE);
    assertThat(DiskFull.reason(new IOException("Read-only file system"))).isEmpty();
  }

  @Test
  void guard_failureForAUsedUpQuota_namesTheQuotaInsteadOfSizes() {
    assertThatThrownBy(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "creating container web",
                    () -> -1,
                    () -> {
                      throw new java.io.UncheckedIOException(
                          new IOException("Disk quota exceeded"));
                    }))
        .isInstanceOfSatisfying(DiskFull.class, e -> assertThat(e.quota()).isTrue())
        .hasMessage(
            "creating container web: no space left on the data root "
                + dir
                + " (its disk quota is exceeded); free space there, raise the quota or set"
                + " JSTACK_DATA_ROOT");
  }

  @Test
  void guard_nestedQuotaFailure_keepsItsReason() {
    DiskFull inner =
        catchDiskFull(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "pulling base:1",
                    () -> -1,
                    () -> {
                      throw new EngineException("x", new IOException("Disk quota exceeded"));
                    }));

    // A failure that wraps the nested one, not the DiskFull itself, keeps its reason.
    DiskFull outer =
        catchDiskFull(
            () ->
                DiskFull.guard(
                    new DataRoot(dir),
                    "building app:1",
                    () -> -1,
                    () -> {
                      throw new EngineException("step 1 failed", inner);
                    }));

    assertThat(outer).isNotSameAs(inner);
    assertThat(outer.quota()).isTrue();
    assertThat(outer).hasMessageStartingWith("building app:1: ").hasMessageContaining("quota");
  }

  @Test
  void require_moreThanIsFree_failsBeforeWriting() {
    DataRoot root = new DataRoot(dir);

    assertThatThrownBy(() -> DiskFull.require(root, "loading an image archive", 1L << 60, 1L << 61))
        .isInstanceOfSatisfying(
            DiskFull.class,
            e -> {
              assertThat(e.needed()).isEqualTo(1L << 61);
              assertThat(e.quota()).isFalse();
            })
        .hasMessageContaining("loading an image archive: no space left on the data root " + dir);
    DiskFull.require(root, "loading an image archive", 1, 2);
  }

  private static DiskFull catchDiskFull(Runnable r) {
    try {
      r.run();
    } catch (DiskFull e) {
      return e;
    }
    throw new AssertionError("no DiskFull");
  }
}

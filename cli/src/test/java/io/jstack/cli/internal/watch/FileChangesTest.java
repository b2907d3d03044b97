package io.jstack.cli.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChangesTest {
  @TempDir Path dir;

  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() throws Exception {
    thread.shutdownNow();
    assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void writesInOneGo_areOneBatch_andANewDirectoryIsWatchedWithWhatItHolds() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    try (FileChanges changes = new FileChanges(List.of(src))) {
      Future<Set<Path>> first = thread.submit(changes::next);
      Files.writeString(src.resolve("a"), "1");
      Files.writeString(src.resolve("b"), "2");
      assertThat(first.get(10, TimeUnit.SECONDS)).contains(src.resolve("a"), src.resolve("b"));

      Future<Set<Path>> second = thread.submit(changes::next);
      Path sub = Files.createDirectories(src.resolve("sub/deeper"));
      Files.writeString(sub.resolve("c"), "3");
      assertThat(second.get(10, TimeUnit.SECONDS)).contains(src.resolve("sub"));

      // Watched from then on: a later write below it is seen.
      Future<Set<Path>> third = thread.submit(changes::next);
      Thread.sleep(100);
      Files.writeString(sub.resolve("d"), "4");
      assertThat(third.get(10, TimeUnit.SECONDS)).contains(sub.resolve("d"));

      Future<Set<Path>> fourth = thread.submit(changes::next);
      Files.delete(src.resolve("a"));
      assertThat(fourth.get(10, TimeUnit.SECONDS)).containsExactly(src.resolve("a"));
    }
  }

  @Test
  void aWatchedFile_isReported_butNotItsNeighbours() throws Exception {
    Path file = dir.resolve("app.conf");
    Files.writeString(file, "x");
    try (FileChanges changes = new FileChanges(List.of(file))) {
      Future<Set<Path>> next = thread.submit(changes::next);
      Files.writeString(dir.resolve("other"), "y");
      Thread.sleep(200);
      Files.writeString(file, "z");
      assertThat(next.get(10, TimeUnit.SECONDS)).containsExactly(file);
    }
  }
}

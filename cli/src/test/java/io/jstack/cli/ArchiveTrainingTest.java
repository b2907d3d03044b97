package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTrainingTest {
  @Test
  void psRunsOnBothEngineKindsAgainstTheStandInAndLeavesNothing(@TempDir Path dir)
      throws Exception {
    // Both runs must succeed: a client whose requests or answers the stand-in no longer matches
    // would train the archive on an error path and leave the HTTP and JSON classes out of it.
    assertThat(ArchiveTraining.train(dir)).isZero();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }
}

package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import io.jstack.runtime.DataRoot;
import io.jstack.runtime.container.RuntimeTools;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.internal.LayerUnpacker;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the integration tests of build-step containers share: an in-process engine supervising the
 * data root {@code dir/data}, with the examples' busybox loaded from dockerd. After each test every
 * engine started here stops supervising, the last one's containers and networks are removed, and
 * the data root goes; then {@link NothingLeft} checks that the host is as the test found it.
 */
abstract class StepEngineFixture {
  static final String BUSYBOX = "jstack-examples/busybox:latest";

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  /** The engines started here that still supervise (a test that stops one takes it out). */
  final List<EmbeddedEngine> engines = new ArrayList<>();

  /** The engine the test works on. */
  EmbeddedEngine engine;

  @BeforeEach
  void engineWithBusybox() throws Exception {
    Path archive = dir.resolve("busybox.tar");
    Process save =
        new ProcessBuilder("docker", "save", "-o", archive.toString(), BUSYBOX).inheritIO().start();
    assertThat(save.waitFor()).isZero();
    engine = started();
    try (InputStream in = Files.newInputStream(archive)) {
      ImageArchives.load(engine.images(), in, null);
    }
  }

  /** A new engine on {@code dir/data}, supervising. */
  EmbeddedEngine started() {
    EmbeddedEngine e = new EmbeddedEngine(new DataRoot(dir.resolve("data")), RuntimeTools.detect());
    engines.add(e);
    e.supervise(Duration.ofMillis(200), List.of());
    return e;
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (EmbeddedEngine e : engines) {
        e.stopSupervising();
      }
      for (var c : engine.list()) {
        engine.remove(c.record().id(), true, true);
      }
      engine.networks().list().forEach(engine.networks()::remove);
    } finally {
      LayerUnpacker.removeTree(dir.resolve("data"));
    }
  }
}

package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.compose.Project;
import io.jstack.engine.EngineException;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.StepContext;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container that runs again between its stop and its removal (a restart policy's start) is killed
 * and removed in one call, as Compose's down removes by force; a plain removal kills nothing.
 */
class RemoveContainerStepTest {
  static final String BUSYBOX = "sha256:" + "e5".repeat(32);

  @TempDir Path dir;

  final FakeEngine engine = new FakeEngine().localImage("busybox", BUSYBOX);

  void up() throws InterruptedException {
    Project p =
        Runs.load(
            dir,
            """
            name: demo
            services:
              web: {image: busybox, restart: always}
            """);
    Executor.Result r =
        Executor.run(
            Runs.up(engine, p, UpOptions.defaults()),
            engine,
            new Executor.Options(0, Duration.ofMillis(2), null),
            new Runs.Events());
    assertThat(r.failures()).isEmpty();
    assertThat(engine.container("demo-web-1").orElseThrow().isRunning()).isTrue();
  }

  @Test
  void aContainerRunningAgain_isKilledThenRemoved() throws Exception {
    up();
    assertThatThrownBy(() -> engine.removeContainer("demo-web-1", false, false))
        .as("the fake engine refuses a running container's removal, as dockerd")
        .isInstanceOf(EngineException.Conflict.class);

    var said =
        new RemoveContainer("demo-web-1", false).run(engine, StepContext.of(Duration.ofMillis(2)));

    assertThat(said).hasValue("killed first: it ran again after its stop");
    assertThat(engine.container("demo-web-1")).isEmpty();
    assertThat(engine.calls("removeContainer")).hasSize(2); // the refused one above, then this
    assertThat(engine.calls("killContainer")).isEmpty();
  }

  @Test
  void aStoppedContainer_isRemovedWithoutAKill() throws Exception {
    up();
    engine.stopContainer(engine.container("demo-web-1").orElseThrow().id(), null, Duration.ZERO);

    var said =
        new RemoveContainer("demo-web-1", false).run(engine, StepContext.of(Duration.ofMillis(2)));

    assertThat(said).isEmpty();
    assertThat(engine.container("demo-web-1")).isEmpty();
    assertThat(engine.calls("removeContainer")).hasSize(1);
  }

  @Test
  void aContainerDockerdIsRemovingAlready_isGone_anotherConflictFails() throws Exception {
    up();
    engine.failNext(
        "removeContainer",
        null,
        new EngineException.Conflict("removal of container demo-web-1 is already in progress"));

    var said =
        new RemoveContainer("demo-web-1", false).run(engine, StepContext.of(Duration.ofMillis(2)));

    assertThat(said).hasValue("already gone");
    engine.failNext("removeContainer", null, new EngineException.Conflict("something else"));
    assertThatThrownBy(
            () ->
                new RemoveContainer("demo-web-1", false)
                    .run(engine, StepContext.of(Duration.ofMillis(2))))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessage("something else");
  }
}

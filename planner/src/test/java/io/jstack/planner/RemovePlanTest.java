package io.jstack.planner;

import static io.jstack.engine.ContainerInfo.State.CREATED;
import static io.jstack.engine.ContainerInfo.State.EXITED;
import static io.jstack.engine.ContainerInfo.State.PAUSED;
import static io.jstack.engine.ContainerInfo.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.ContainerInfo;
import io.jstack.planner.step.RemoveContainer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code rm} removes: the containers that do not run, of the services named. */
class RemovePlanTest {
  @TempDir Path dir;

  World world() {
    World w =
        World.of(
                dir,
                """
                name: demo
                services:
                  web: {image: busybox}
                  db: {image: busybox}
                """)
            .image("busybox", "sha256:bb");
    w.container("web", 1, RUNNING, "1".repeat(64));
    w.container("web", 2, EXITED, "2".repeat(64));
    w.container("db", 1, CREATED, "3".repeat(64));
    w.container("db", 2, PAUSED, "4".repeat(64));
    return w;
  }

  @Test
  void stopped_areTheCreatedAndExitedOnes_ofTheServicesNamed_inNameOrder() {
    Planner planner = world().planner();
    assertThat(planner.stopped(List.of()).stream().map(ContainerInfo::name))
        .containsExactly("demo-db-1", "demo-web-2");
    assertThat(planner.stopped(List.of("web")).stream().map(ContainerInfo::name))
        .containsExactly("demo-web-2");
  }

  @Test
  void remove_removesEachAtOnce_withItsAnonymousVolumesWhenAsked() {
    Planner planner = world().planner();
    Plan plan = planner.remove(planner.stopped(List.of()), true);
    assertThat(plan.operations())
        .extracting(Operation::step)
        .containsExactlyInAnyOrder(
            new RemoveContainer("demo-db-1", true), new RemoveContainer("demo-web-2", true));
    assertThat(plan.operations()).allSatisfy(o -> assertThat(o.after()).isEmpty());
  }
}

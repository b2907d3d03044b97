package io.jstack.engine.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.Engine.ExecSpec;
import io.jstack.engine.EngineException;
import io.jstack.engine.EngineInfo;
import io.jstack.engine.LogStream;
import io.jstack.engine.Stdio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The contract's scenarios about the engine itself and containers' life cycles and errors. */
public abstract class ContainerScenarios extends ContractFixture {

  // ---------------------------------------------------------------- the engine itself

  @Test
  @Covers({"info", "describe", "remoteHost"})
  void describesItself() {
    EngineInfo info = engine.info();
    assertThat(info.name()).isNotBlank();
    assertThat(info.version()).isNotBlank();
    assertThat(info.apiVersion()).matches("\\d+\\.\\d+");
    assertThat(info.cpus()).isPositive();
    assertThat(engine.describe()).isNotBlank();
    // Every engine of the contract is on this host's socket (or in this process).
    assertThat(engine.remoteHost()).isEmpty();
  }

  // ---------------------------------------------------------------- containers

  @Test
  @Covers({
    "createContainer",
    "container",
    "startContainer",
    "stopContainer",
    "killContainer",
    "removeContainer"
  })
  void lifecycle_createStartStopStartKillRemove() {
    String name = scratch.name("life");
    String id = engine.createContainer(spec(name, Program.SERVE));

    assertThat(id).matches("[0-9a-f]{64}");
    ContainerInfo created = engine.container(id).orElseThrow();
    assertThat(created.id()).isEqualTo(id);
    assertThat(created.name()).isEqualTo(name);
    assertThat(created.image()).isEqualTo(busyboxImage());
    assertThat(created.imageId()).isEqualTo(engine.image(busyboxImage()).orElseThrow().id());
    assertThat(created.labels()).containsAllEntriesOf(scratch.labels());
    assertThat(created.state()).isEqualTo(State.CREATED);
    assertThat(engine.container(name)).map(ContainerInfo::id).contains(id);

    engine.startContainer(id);
    assertThat(state(id)).isEqualTo(State.RUNNING);
    awaitReady(id, 1);
    engine.startContainer(id); // a running one: nothing happens
    assertThat(state(id)).isEqualTo(State.RUNNING);

    engine.stopContainer(id, null, STOP_TIMEOUT);
    ContainerInfo stopped = engine.container(id).orElseThrow();
    assertThat(stopped.state()).isEqualTo(State.EXITED);
    assertThat(stopped.exitCode()).as("it exits 0 on SIGTERM").isZero();
    engine.stopContainer(id, null, STOP_TIMEOUT); // a stopped one: nothing happens
    assertThat(state(id)).isEqualTo(State.EXITED);

    engine.startContainer(name);
    assertThat(state(id)).isEqualTo(State.RUNNING);
    awaitReady(id, 2);
    engine.killContainer(id, "SIGKILL");
    Awaitility.await().atMost(BLOCKING).until(() -> state(id) == State.EXITED);
    assertThat(engine.container(id).orElseThrow().exitCode()).isEqualTo(137);

    engine.removeContainer(id, false, false);
    assertThat(engine.container(id)).isEmpty();
    assertThat(engine.container(name)).isEmpty();
  }

  @Test
  @Covers({"containers", "createContainer"})
  void containers_filterOnEveryLabel_andAnEmptyValueMatchesAnyValue() {
    String web = created(Program.SERVE, "web", Map.of("role", "web", "tier", "front"));
    String db = created(Program.SERVE, "db", Map.of("role", "db"));
    String other = created(Program.SERVE, "web", Map.of("role", "web"));

    assertThat(names(Map.of())).containsExactlyInAnyOrder(web, db, other);
    assertThat(names(Map.of("role", "web"))).containsExactlyInAnyOrder(web, other);
    assertThat(names(Map.of("tier", ""))).containsExactly(web);
    assertThat(names(Map.of("role", "web", "tier", "front"))).containsExactly(web);
    assertThat(names(Map.of("role", "cache"))).isEmpty();
    assertThat(names(Map.of("absent", ""))).isEmpty();
  }

  @Test
  @Covers({"createContainer", "containers"})
  void create_refusesTakenAndInvalidNamesAndMissingImages() {
    String name = created(Program.SERVE, "taken", Map.of());

    assertThatThrownBy(() -> engine.createContainer(spec(name, Program.SERVE)))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining(name);
    assertThatThrownBy(() -> engine.createContainer(spec("-" + scratch.run(), Program.SERVE)))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageContaining("Invalid container name");
    String absentImage = "jstack-contract/absent-" + scratch.run() + ":1";
    assertThatThrownBy(
            () ->
                engine.createContainer(
                    Specs.with(spec(scratch.name("noimage"), Program.SERVE), "image", absentImage)))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining(absentImage);
    assertThat(names(Map.of())).containsExactly(name);
  }

  @Test
  @Covers({"createContainer", "container", "startContainer"})
  void aContainerOnAMissingNetwork_isCreated_butDoesNotStart() {
    String absentNetwork = scratch.name("nonet");
    String id =
        engine.createContainer(
            onNetwork(spec(scratch.name("nonet"), Program.SERVE), absentNetwork));

    assertThat(engine.container(id).orElseThrow().networks()).containsExactly(absentNetwork);
    assertThatThrownBy(() -> engine.startContainer(id))
        .isInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining("not found");
  }

  @Test
  @Covers({
    "container",
    "startContainer",
    "stopContainer",
    "killContainer",
    "removeContainer",
    "waitContainer",
    "logs",
    "top",
    "pauseContainer",
    "unpauseContainer",
    "exec(String,ExecSpec,Stdio)",
    "exec(String,ExecSpec,byte[])",
    "startAttached",
    "copyFrom",
    "copyTo"
  })
  void anUnknownContainer_isNotFound_byEveryMethod() throws IOException {
    String absent = scratch.name("absent");
    byte[] tar = tar("f.txt", "x");
    Stdio stdio = new Stdio(null, new ByteArrayOutputStream(), new ByteArrayOutputStream(), null);
    ExecSpec echo = ExecProgram.ECHO.spec();

    assertThat(engine.container(absent)).isEmpty();
    List<Runnable> calls =
        List.of(
            () -> engine.startContainer(absent),
            () -> engine.stopContainer(absent, null, STOP_TIMEOUT),
            () -> engine.killContainer(absent, null),
            () -> engine.removeContainer(absent, true, false),
            () -> engine.waitContainer(absent),
            () -> engine.logs(absent, LogStream.Options.all()).close(),
            () -> engine.top(absent),
            () -> engine.pauseContainer(absent),
            () -> engine.unpauseContainer(absent),
            () -> engine.exec(absent, echo, stdio),
            () -> engine.exec(absent, echo, (byte[]) null),
            () -> engine.startAttached(absent, stdio),
            () -> engine.copyFrom(absent, "/etc/passwd"),
            () -> engine.copyTo(absent, "/tmp", new ByteArrayInputStream(tar)));
    for (Runnable call : calls) {
      assertThatThrownBy(call::run).isInstanceOf(EngineException.NotFound.class);
    }
  }

  @Test
  @Covers({
    "killContainer",
    "pauseContainer",
    "top",
    "exec(String,ExecSpec,byte[])",
    "startContainer",
    "removeContainer",
    "unpauseContainer"
  })
  void whatNeedsARunningContainer_isAConflict_andSoIsRemovingARunningOne() {
    String id = engine.createContainer(spec(scratch.name("state"), Program.SERVE));

    assertThatThrownBy(() -> engine.killContainer(id, null))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("is not running");
    assertThatThrownBy(() -> engine.pauseContainer(id))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("is not running");
    assertThatThrownBy(() -> engine.top(id))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("is not running");
    assertThatThrownBy(() -> engine.exec(id, ExecProgram.ECHO.spec(), (byte[]) null))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("is not running");

    engine.startContainer(id);
    awaitReady(id, 1);
    assertThatThrownBy(() -> engine.removeContainer(id, false, false))
        .isInstanceOf(EngineException.Conflict.class);
    // dockerd answers 500 up to 20.10 (so DockerEngine says EngineException), 409 since 23.0.
    assertThatThrownBy(() -> engine.unpauseContainer(id))
        .isInstanceOf(EngineException.class)
        .isNotInstanceOf(EngineException.NotFound.class)
        .hasMessageContaining("is not paused");
    assertThat(state(id)).isEqualTo(State.RUNNING);
  }

  @Test
  @Covers({"waitContainer", "killContainer", "startContainer"})
  void waitContainer_returnsTheExitCode_onceItExits_andAtOnceAfter() throws Exception {
    String created = engine.createContainer(spec(scratch.name("idle"), Program.SERVE));
    assertThat(blocking(() -> engine.waitContainer(created)))
        .as("waiting for a container that never ran returns at once")
        .isZero();

    String id = started(Program.SERVE, "waited");
    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(() -> engine.waitContainer(id));
    engine.killContainer(id, "SIGKILL");

    assertThat(waiting.get(BLOCKING.toSeconds(), TimeUnit.SECONDS)).isEqualTo(137);
    assertThat(blocking(() -> engine.waitContainer(id))).isEqualTo(137);
    assertThat(engine.container(id).orElseThrow().state()).isEqualTo(State.EXITED);
  }

  @Test
  @Covers({"container"})
  void aContainer_isFoundByIdNameAndNameWithItsLeadingSlash() {
    String name = created(Program.SERVE, "slash", Map.of());
    String id = engine.container(name).orElseThrow().id();

    assertThat(engine.container("/" + name)).map(ContainerInfo::id).contains(id);
    assertThat(engine.container(id)).map(ContainerInfo::name).contains(name);
    assertThat(engine.container("/" + scratch.name("absent"))).isEmpty();
  }

  @Test
  @Covers({"renameContainer"})
  void rename_movesTheName_andRefusesATakenOrTheSameName() {
    String first = created(Program.SERVE, "first", Map.of());
    String second = created(Program.SERVE, "second", Map.of());
    String id = engine.container(first).orElseThrow().id();

    assertThatThrownBy(() -> engine.renameContainer(first, second))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining(second);
    assertThatThrownBy(() -> engine.renameContainer(first, first))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageContaining("same name");
    String renamed = scratch.name("renamed");
    engine.renameContainer(id, renamed);

    assertThat(engine.container(renamed)).map(ContainerInfo::id).contains(id);
    assertThat(engine.container(first)).isEmpty();
    assertThatThrownBy(() -> engine.renameContainer(first, scratch.name("again")))
        .isInstanceOf(EngineException.NotFound.class);
  }

  @Test
  @Covers({"pauseContainer", "unpauseContainer"})
  void pause_freezesARunningContainer_andUnpauseThawsIt() {
    String id = started(Program.SERVE, "paused");

    engine.pauseContainer(id);
    assertThat(state(id)).isEqualTo(State.PAUSED);
    assertThat(engine.container(id).orElseThrow().isRunning()).isTrue();
    engine.unpauseContainer(id);
    assertThat(state(id)).isEqualTo(State.RUNNING);
  }

  @Test
  @Covers({"pauseContainer", "removeContainer", "stopContainer", "killContainer"})
  void aPausedContainer_cannotBeRemoved_butIsStoppedAndKilled() {
    String stopped = started(Program.SERVE, "pausedstop");
    String killed = started(Program.SERVE, "pausedkill");
    engine.pauseContainer(stopped);
    engine.pauseContainer(killed);

    assertThatThrownBy(() -> engine.removeContainer(stopped, false, false))
        .isInstanceOf(EngineException.Conflict.class)
        .hasMessageContaining("paused");
    engine.stopContainer(stopped, null, STOP_TIMEOUT); // thawed, it takes SIGTERM and exits 0
    engine.killContainer(killed, "SIGKILL");

    assertThat(engine.container(stopped).orElseThrow().state()).isEqualTo(State.EXITED);
    assertThat(engine.container(stopped).orElseThrow().exitCode()).isZero();
    Awaitility.await().atMost(BLOCKING).until(() -> state(killed) == State.EXITED);
    assertThat(engine.container(killed).orElseThrow().exitCode()).isEqualTo(137);
  }

  @Test
  @Covers({"removeContainer", "pauseContainer"})
  void aForcedRemoval_killsARunningOrPausedContainer_inTheSameCall() {
    String running = started(Program.SERVE, "forcedrun");
    String paused = started(Program.SERVE, "forcedpause");
    engine.pauseContainer(paused);

    engine.removeContainer(running, false, true);
    engine.removeContainer(paused, false, true);

    assertThat(engine.container(running)).isEmpty();
    assertThat(engine.container(paused)).isEmpty();
    assertThatThrownBy(() -> engine.removeContainer(running, false, true))
        .isInstanceOf(EngineException.NotFound.class);
  }
}

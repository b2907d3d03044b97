package io.jstack.engine.testing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jstack.engine.ContainerInfo;
import io.jstack.engine.ContainerInfo.Health;
import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.ContainerSpec.HealthSpec;
import io.jstack.engine.ContainerSpec.Mount;
import io.jstack.engine.ContainerSpec.NetworkAttachment;
import io.jstack.engine.Engine.PullProgress;
import io.jstack.engine.EngineException;
import io.jstack.engine.NetworkInfo;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.testing.FakeEngine.Behaviour;
import io.jstack.engine.testing.FakeEngine.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FakeEngineTest {

  private static final String NGINX_ID = "sha256:" + "a1".repeat(32);
  private static final String REDIS_ID = "sha256:" + "b2".repeat(32);
  private static final String REDIS_V2_ID = "sha256:" + "c3".repeat(32);
  private static final HealthSpec CURL_CHECK =
      new HealthSpec(List.of("CMD-SHELL", "curl -f localhost"), null, null, null, null, null);
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final FakeEngine engine = new FakeEngine(clock).localImage("nginx", NGINX_ID);

  // ------------------------------------------------------------------ helpers

  private static ContainerSpec spec(String name) {
    return ContainerSpec.of(name, "nginx", Map.of());
  }

  private static ContainerSpec spec(String name, String image, Map<String, String> labels) {
    return ContainerSpec.of(name, image, labels);
  }

  /** A spec of {@code base} with other networking, mounts and healthcheck. */
  private static ContainerSpec spec(
      ContainerSpec base,
      String networkMode,
      Map<String, NetworkAttachment> networks,
      List<Mount> mounts,
      HealthSpec healthcheck) {
    return base.toBuilder()
        .networkMode(networkMode)
        .networks(networks)
        .mounts(mounts)
        .healthcheck(healthcheck)
        .build();
  }

  private static ContainerSpec withCommand(String name, List<String> command) {
    ContainerSpec b = spec(name);
    return new ContainerSpec(
        b.name(),
        b.image(),
        b.labels(),
        b.env(),
        command,
        b.entrypoint(),
        b.workingDir(),
        b.user(),
        b.hostname(),
        b.domainname(),
        b.ports(),
        b.exposedPorts(),
        b.mounts(),
        b.volumesFrom(),
        b.networkMode(),
        b.networks(),
        b.healthcheck(),
        b.restartPolicy(),
        b.stopSignal(),
        b.stopTimeout(),
        b.init(),
        b.privileged(),
        b.readOnly(),
        b.tty(),
        b.stdinOpen(),
        b.stdinOnce(),
        b.capAdd(),
        b.capDrop(),
        b.securityOpt(),
        b.extraHosts(),
        b.dns(),
        b.dnsSearch(),
        b.dnsOptions(),
        b.tmpfs(),
        b.sysctls(),
        b.ulimits(),
        b.resources(),
        b.ipcMode(),
        b.pidMode(),
        b.utsMode(),
        b.usernsMode(),
        b.cgroupParent(),
        b.groupAdd(),
        b.devices(),
        b.deviceCgroupRules(),
        b.logging(),
        b.platform(),
        b.runtime(),
        b.storageOpt(),
        b.files());
  }

  private List<String> logs(String id) {
    List<String> lines = new ArrayList<>();
    try (io.jstack.engine.LogStream s = engine.logs(id, io.jstack.engine.LogStream.Options.all())) {
      for (io.jstack.engine.LogStream.Line l = s.next(); l != null; l = s.next()) {
        lines.add(l.text());
      }
    }
    return lines;
  }

  private static ContainerSpec withHealthcheck(String name, HealthSpec check) {
    return spec(spec(name), null, Map.of(), List.of(), check);
  }

  private static ContainerSpec onNetworks(String name, String... networks) {
    Map<String, NetworkAttachment> attachments = new java.util.LinkedHashMap<>();
    for (String n : networks) {
      attachments.put(n, NetworkAttachment.aliased(List.of(name)));
    }
    return spec(spec(name), null, attachments, List.of(), null);
  }

  private static ContainerSpec mounting(String name, String... volumeSources) {
    List<Mount> mounts = new ArrayList<>();
    for (String source : volumeSources) {
      mounts.add(
          new Mount(
              "volume",
              source,
              "/data" + mounts.size(),
              false,
              null,
              false,
              false,
              null,
              null,
              null));
    }
    return spec(spec(name), null, Map.of(), mounts, null);
  }

  private static NetworkSpec network(String name, Map<String, String> labels) {
    return new NetworkSpec(name, null, Map.of(), false, false, false, List.of(), labels);
  }

  private static VolumeSpec volume(String name, Map<String, String> labels) {
    return new VolumeSpec(name, null, Map.of(), labels);
  }

  /** Awaitility, polling often: the fake's asynchronous events take milliseconds. */
  private static org.awaitility.core.ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2));
  }

  private ContainerInfo info(String idOrName) {
    return engine.container(idOrName).orElseThrow();
  }

  private String started(ContainerSpec spec) {
    String id = engine.createContainer(spec);
    engine.startContainer(id);
    return id;
  }

  /** Runs {@code task} on a new thread named {@code name}; the thread and its result. */
  private static <T> Waiter<T> onThread(String name, Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(task.call());
              } catch (Exception | Error e) {
                result.completeExceptionally(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return new Waiter<>(thread, result);
  }

  private record Waiter<T>(Thread thread, CompletableFuture<T> result) {
    /** Waits until the thread is parked in a wait, i.e. blocked on the engine. */
    Waiter<T> parked() {
      eventually().until(() -> thread.getState() == Thread.State.WAITING);
      assertThat(result).isNotDone();
      return this;
    }
  }

  // ------------------------------------------------------------------ containers

  @Nested
  class Containers {

    @Test
    void create_reportsWhatTheSpecSaid_inCreatedStateWithoutHealth() {
      var labels = Map.of("com.docker.compose.project", "demo", "tier", "web");
      String id =
          engine.createContainer(
              spec(spec("demo-web-1", "nginx", labels), null, Map.of(), List.of(), null));

      assertThat(id).matches("[0-9a-f]{64}");
      ContainerInfo web = info(id);
      assertThat(web.id()).isEqualTo(id);
      assertThat(web.name()).isEqualTo("demo-web-1");
      assertThat(web.image()).isEqualTo("nginx");
      assertThat(web.imageId()).isEqualTo(NGINX_ID);
      assertThat(web.labels()).isEqualTo(labels);
      assertThat(web.state()).isEqualTo(State.CREATED);
      assertThat(web.health()).isEqualTo(Health.NONE);
      assertThat(web.created()).isEqualTo(ManualClock.DEFAULT_START);
      assertThat(web.networks()).containsExactly("bridge");
    }

    @Test
    void ids_areUniqueAndTheSameForEveryFreshEngine() {
      FakeEngine other = new FakeEngine(new ManualClock()).localImage("nginx", NGINX_ID);
      List<String> ours = new ArrayList<>();
      List<String> theirs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ours.add(engine.createContainer(spec("c" + i)));
        theirs.add(other.createContainer(spec("c" + i)));
      }
      assertThat(ours).doesNotHaveDuplicates().isEqualTo(theirs);
    }

    @Test
    void create_withoutAName_generatesOne() {
      String id = engine.createContainer(spec(null));
      assertThat(info(id).name()).isNotBlank().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    }

    @Test
    void create_withATakenName_isAConflictNamingIt() {
      String first = engine.createContainer(spec("web"));
      assertThatThrownBy(() -> engine.createContainer(spec("web")))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("\"web\" is already in use")
          .hasMessageContaining(first);
      assertThat(engine.containers(Map.of())).hasSize(1);
    }

    @Test
    void create_withAnInvalidName_fails() {
      assertThatThrownBy(() -> engine.createContainer(spec("-web")))
          .isInstanceOf(EngineException.class)
          .isNotInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("Invalid container name (-web)");
      assertThatThrownBy(() -> engine.createContainer(spec("x"))) // as in Docker: two at least
          .hasMessageContaining("Invalid container name (x)");
    }

    @Test
    void create_withAnImageThatIsNotLocal_isNotFoundNamingTheImage() {
      engine.registry("redis:7", REDIS_ID); // in the registry, but not pulled
      assertThatThrownBy(() -> engine.createContainer(spec("cache", "redis:7", Map.of())))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("No such image: redis:7");
      assertThat(engine.isEmpty()).isTrue();
    }

    @Test
    void create_findsTheImageByAnyFormOfItsReference() {
      String id = engine.createContainer(spec("web", "docker.io/library/nginx:latest", Map.of()));
      assertThat(info(id).imageId()).isEqualTo(NGINX_ID);
      assertThat(info(id).image()).isEqualTo("docker.io/library/nginx:latest");
    }

    @Test
    void create_onAMissingNetwork_startIsNotFound_andNetworksAreTheSpecsKeysInOrder() {
      // As dockerd: the container is created, and starting it finds the network missing.
      String missing = engine.createContainer(onNetworks("lost", "demo_front"));
      assertThatThrownBy(() -> engine.startContainer(missing))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("network demo_front not found");

      engine.createNetwork(network("demo_front", Map.of()));
      engine.createNetwork(network("demo_back", Map.of()));
      String id = engine.createContainer(onNetworks("web", "demo_front", "demo_back"));
      assertThat(info(id).networks()).containsExactly("demo_front", "demo_back");
    }

    @Test
    void create_withANetworkMode_reportsIt() {
      String host = engine.createContainer(spec(spec("alpha"), "host", Map.of(), List.of(), null));
      String shared =
          engine.createContainer(spec(spec("beta"), "container:alpha", Map.of(), List.of(), null));
      assertThat(info(host).networks()).containsExactly("host");
      assertThat(info(shared).networks()).containsExactly("container:alpha");
      // As dockerd: the container is created, and starting it finds the other one missing.
      String orphan =
          engine.createContainer(spec(spec("gamma"), "container:nope", Map.of(), List.of(), null));
      assertThatThrownBy(() -> engine.startContainer(orphan))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessageContaining("nope");
    }

    @Test
    void lifecycle_createdRunningExited_andStartingARunningOneDoesNothing() {
      String id = engine.createContainer(spec("web"));
      assertThat(info(id).state()).isEqualTo(State.CREATED);

      engine.startContainer(id);
      assertThat(info(id).state()).isEqualTo(State.RUNNING);
      assertThat(info(id).isRunning()).isTrue();
      engine.startContainer(id);
      assertThat(info(id).state()).isEqualTo(State.RUNNING);

      engine.stopContainer(id, null, TEN_SECONDS);
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(info(id).exitCode()).isZero();

      engine.startContainer("web");
      assertThat(info(id).state()).isEqualTo(State.RUNNING);
    }

    @Test
    void stop_ofAContainerThatIsNotRunning_doesNothing() {
      String id = engine.createContainer(spec("web"));
      engine.stopContainer(id, null, TEN_SECONDS);
      assertThat(info(id).state()).isEqualTo(State.CREATED);
    }

    @Test
    void stop_killsWhatIgnoresItsStopSignal_orWithSigkillOrNoGracePeriod() {
      engine.behaveContainer("stubborn", Behaviour.DEFAULT.ignoringStopSignal());
      String stubborn = started(spec("stubborn"));
      String killed = started(spec("killed"));
      String hurried = started(spec("hurried"));

      engine.stopContainer(stubborn, null, TEN_SECONDS);
      engine.stopContainer(killed, "SIGKILL", TEN_SECONDS);
      engine.stopContainer(hurried, "SIGTERM", Duration.ZERO);

      assertThat(List.of(stubborn, killed, hurried))
          .allSatisfy(
              id -> {
                assertThat(info(id).state()).isEqualTo(State.EXITED);
                assertThat(info(id).exitCode()).isEqualTo(137);
              });
    }

    @Test
    void kill_exitsWith137_andKillingOneThatIsNotRunningIsAConflict() {
      String id = started(spec("web"));
      engine.killContainer(id, null);
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(info(id).exitCode()).isEqualTo(137);

      assertThatThrownBy(() -> engine.killContainer(id, "SIGKILL"))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("web is not running");
    }

    @Test
    void remove_ofARunningContainer_isAConflict_stopItFirst() {
      String id = started(spec("web"));
      assertThatThrownBy(() -> engine.removeContainer(id, false, false))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("\"web\"")
          .hasMessageContaining("stop it first");

      engine.stopContainer(id, null, TEN_SECONDS);
      engine.removeContainer(id, false, false);
      assertThat(engine.container(id)).isEmpty();
      assertThat(engine.isEmpty()).isTrue();
    }

    @Test
    void unknownContainers_areNotFound() {
      assertThat(engine.container("nope")).isEmpty();
      assertThat(engine.container(null)).isEmpty();
      assertThatThrownBy(() -> engine.startContainer("nope"))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("No such container: nope");
      assertThatThrownBy(() -> engine.stopContainer("nope", null, null))
          .isInstanceOf(EngineException.NotFound.class);
      assertThatThrownBy(() -> engine.killContainer("nope", null))
          .isInstanceOf(EngineException.NotFound.class);
      assertThatThrownBy(() -> engine.removeContainer("nope", true, false))
          .isInstanceOf(EngineException.NotFound.class);
      assertThatThrownBy(() -> engine.renameContainer("nope", "other"))
          .isInstanceOf(EngineException.NotFound.class);
      assertThatThrownBy(() -> engine.waitContainer("nope"))
          .isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void lookup_byIdNameSlashedNameOrUniqueIdPrefix() {
      String id = engine.createContainer(spec("web"));
      assertThat(engine.container(id)).map(ContainerInfo::name).contains("web");
      assertThat(engine.container("web")).map(ContainerInfo::id).contains(id);
      assertThat(engine.container("/web")).map(ContainerInfo::id).contains(id);
      assertThat(engine.container(id.substring(0, 12))).map(ContainerInfo::id).contains(id);
    }

    @Test
    void rename_toATakenName_isAConflictNamingIt_otherwiseTheNameMoves() {
      String web = engine.createContainer(spec("web"));
      engine.createContainer(spec("db"));

      assertThatThrownBy(() -> engine.renameContainer(web, "db"))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("\"db\" is already in use");
      assertThatThrownBy(() -> engine.renameContainer(web, "web"))
          .isInstanceOf(EngineException.InvalidArgument.class)
          .hasMessageContaining("same name");

      engine.renameContainer(web, "web_old");
      assertThat(info(web).name()).isEqualTo("web_old");
      assertThat(engine.container("web")).isEmpty();
      engine.createContainer(spec("web")); // the old name is free again
      assertThat(engine.containers(Map.of())).hasSize(3);
    }

    @Test
    void containers_filterOnEveryLabel_andAnEmptyValueMatchesAnyValue() {
      engine.createContainer(spec("web-p", "nginx", Map.of("project", "p", "service", "web")));
      engine.createContainer(spec("db-p", "nginx", Map.of("project", "p", "service", "db")));
      engine.createContainer(spec("web-q", "nginx", Map.of("project", "q", "service", "web")));
      engine.createContainer(spec("bare", "nginx", Map.of()));

      assertThat(names(engine.containers(Map.of())))
          .containsExactly("web-p", "db-p", "web-q", "bare");
      assertThat(names(engine.containers(Map.of("project", "p")))).containsExactly("web-p", "db-p");
      assertThat(names(engine.containers(Map.of("project", "p", "service", "web"))))
          .containsExactly("web-p");
      assertThat(names(engine.containers(Map.of("project", ""))))
          .containsExactly("web-p", "db-p", "web-q");
      assertThat(names(engine.containers(Map.of("project", "", "service", "web"))))
          .containsExactly("web-p", "web-q");
      assertThat(engine.containers(Map.of("project", "zzz"))).isEmpty();
      assertThat(engine.containers(Map.of("absent", ""))).isEmpty();
    }

    private List<String> names(List<ContainerInfo> containers) {
      return containers.stream().map(ContainerInfo::name).toList();
    }
  }

  // ------------------------------------------------------------------ waiting

  @Nested
  class Waiting {

    @Test
    void waitContainer_blocksUntilTheContainerIsStopped() throws Exception {
      String id = started(spec("web"));
      Waiter<Integer> waiter = onThread("waiter", () -> engine.waitContainer(id)).parked();

      engine.stopContainer(id, null, TEN_SECONDS);

      assertThat(waiter.result().get(5, SECONDS)).isZero();
    }

    @Test
    void waitContainer_returnsAtOnceForAnExitedContainer() {
      String id = started(spec("web"));
      engine.killContainer(id, null);
      assertThat(engine.waitContainer(id)).isEqualTo(137);
    }

    @Test
    void waitContainer_onACreatedContainer_returnsAtOnce_asDockerdDoes() throws Exception {
      engine.behave("nginx", Behaviour.exitsAfter(Duration.ofSeconds(1), 4));
      String id = engine.createContainer(spec("job"));
      assertThat(engine.waitContainer(id)).isZero(); // not running: dockerd's wait returns

      engine.startContainer(id);
      Waiter<Integer> waiter = onThread("waiter", () -> engine.waitContainer(id)).parked();
      clock.advance(Duration.ofSeconds(1));

      assertThat(waiter.result().get(5, SECONDS)).isEqualTo(4);
    }

    @Test
    void waitContainer_seesTheExitEvenIfTheContainerRestartedSince() throws Exception {
      String id = started(spec("web"));
      Waiter<Integer> waiter = onThread("waiter", () -> engine.waitContainer(id)).parked();

      engine.killContainer(id, null);
      engine.startContainer(id);

      assertThat(waiter.result().get(5, SECONDS)).isEqualTo(137);
    }

    @Test
    void waitContainer_onAContainerStoppedAndRemoved_getsItsExitCode_andAfterIsNotFound()
        throws Exception {
      // As dockerd: a running or paused container cannot be removed before it exits.
      String id = started(spec("web"));
      Waiter<Integer> waiter = onThread("waiter", () -> engine.waitContainer(id)).parked();
      engine.pauseContainer(id);
      assertThatThrownBy(() -> engine.removeContainer(id, false, false))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("paused");

      engine.stopContainer(id, null, TEN_SECONDS); // a paused one is stopped too
      engine.removeContainer(id, false, false);

      assertThat(waiter.result().get(5, SECONDS)).isZero();
      assertThatThrownBy(() -> engine.waitContainer(id))
          .isInstanceOf(EngineException.NotFound.class);
    }

    @Test
    void waitContainer_isInterruptible() throws Exception {
      String id = started(spec("web"));
      Waiter<Integer> waiter = onThread("waiter", () -> engine.waitContainer(id)).parked();

      waiter.thread().interrupt();

      assertThat(waiter.result())
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(EngineException.class)
          .withMessageContaining("interrupted");
    }
  }

  // ------------------------------------------------------------------ behaviours and health

  @Nested
  class Behaviours {

    @Test
    void aJob_exitsByItselfAfterItsDelay_withItsCode() {
      engine.behave("nginx:latest", Behaviour.exitsAfter(Duration.ofSeconds(5), 3));
      String id = started(spec("migrate"));

      clock.advance(Duration.ofMillis(4999));
      assertThat(info(id).state()).isEqualTo(State.RUNNING);
      clock.advance(Duration.ofMillis(1));
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(info(id).exitCode()).isEqualTo(3);
    }

    @Test
    void aJob_withNoDelay_hasExitedWhenStartReturns() {
      engine.behave("nginx", Behaviour.exitsAfter(Duration.ZERO, 0));
      String id = started(spec("once"));
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(engine.waitContainer(id)).isZero();
    }

    @Test
    void anExitScheduledByAnEarlierRun_isIgnored() {
      engine.behave("nginx", Behaviour.exitsAfter(Duration.ofSeconds(5), 7));
      String id = started(spec("job"));
      clock.advance(Duration.ofSeconds(3));
      engine.stopContainer(id, null, TEN_SECONDS);
      engine.startContainer(id);

      clock.advance(Duration.ofSeconds(3)); // 6s after the first start, 3s after the second
      assertThat(info(id).state()).isEqualTo(State.RUNNING);
      clock.advance(Duration.ofSeconds(2));
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(info(id).exitCode()).isEqualTo(7);
    }

    @Test
    void aBehaviourByName_winsOverOneByImage_andAppliesFromTheNextStart() {
      engine.behave("nginx", Behaviour.exitsAfter(Duration.ofSeconds(1), 1));
      String a = engine.createContainer(spec("by-image"));
      String b = engine.createContainer(spec("by-name"));
      engine.behaveContainer("by-name", Behaviour.exitsAfter(Duration.ofSeconds(1), 2));
      engine.startContainer(a);
      engine.startContainer(b);

      clock.advance(Duration.ofSeconds(1));
      assertThat(info(a).exitCode()).isEqualTo(1);
      assertThat(info(b).exitCode()).isEqualTo(2);
    }

    @Test
    void withoutAHealthcheck_healthIsNone() {
      String id = started(spec("web"));
      clock.advance(Duration.ofMinutes(1));
      assertThat(info(id).health()).isEqualTo(Health.NONE);
    }

    @Test
    void aSpecHealthcheck_goesStartingThenHealthyAfterTheHealthDelay() {
      engine.healthDelay(Duration.ofSeconds(2));
      String id = engine.createContainer(withHealthcheck("web", CURL_CHECK));
      assertThat(info(id).health()).isEqualTo(Health.NONE);

      engine.startContainer(id);
      assertThat(info(id).health()).isEqualTo(Health.STARTING);
      clock.advance(Duration.ofMillis(1999));
      assertThat(info(id).health()).isEqualTo(Health.STARTING);
      clock.advance(Duration.ofMillis(1));
      assertThat(info(id).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void theDefaultHealthDelay_isShort() {
      String id = started(withHealthcheck("web", CURL_CHECK));
      clock.advance(FakeEngine.DEFAULT_HEALTH_DELAY);
      assertThat(info(id).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void aBehaviour_canMakeItHealthyOrUnhealthy_evenWithoutASpecHealthcheck() {
      engine.behaveContainer("ok", Behaviour.healthyAfter(Duration.ofSeconds(3)));
      engine.behaveContainer("sick", Behaviour.unhealthyAfter(Duration.ofSeconds(1)));
      engine.behaveContainer(
          "stuck", Behaviour.DEFAULT.withHealth(Health.STARTING, Duration.ofSeconds(1)));
      String ok = started(spec("ok"));
      String sick = started(withHealthcheck("sick", CURL_CHECK));
      String stuck = started(spec("stuck"));

      clock.advance(Duration.ofSeconds(1));
      assertThat(info(ok).health()).isEqualTo(Health.STARTING);
      assertThat(info(sick).health()).isEqualTo(Health.UNHEALTHY);
      clock.advance(Duration.ofSeconds(2));
      assertThat(info(ok).health()).isEqualTo(Health.HEALTHY);
      clock.advance(Duration.ofHours(1));
      assertThat(info(stuck).health()).isEqualTo(Health.STARTING);
    }

    @Test
    void aDisabledSpecHealthcheck_overridesTheBehaviour() {
      engine.behave("nginx", Behaviour.healthyAfter(Duration.ofSeconds(1)));
      HealthSpec disabled = new HealthSpec(List.of("NONE"), null, null, null, null, null);
      String id = started(withHealthcheck("web", disabled));
      clock.advance(Duration.ofSeconds(1));
      assertThat(info(id).health()).isEqualTo(Health.NONE);
    }

    @Test
    void health_isUnhealthyOnceStopped_andStartingAgainAfterARestart() {
      String id = started(withHealthcheck("web", CURL_CHECK));
      clock.advance(Duration.ofSeconds(1));
      assertThat(info(id).health()).isEqualTo(Health.HEALTHY);

      engine.stopContainer(id, null, TEN_SECONDS);
      assertThat(info(id).health()).isEqualTo(Health.UNHEALTHY);

      engine.startContainer(id);
      assertThat(info(id).health()).isEqualTo(Health.STARTING);
      clock.advance(Duration.ofSeconds(1));
      assertThat(info(id).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void testControls_exitAndHealth_actOnARunningContainerOnly() {
      String id = started(withHealthcheck("web", CURL_CHECK));
      engine.health("web", Health.UNHEALTHY);
      assertThat(info(id).health()).isEqualTo(Health.UNHEALTHY);

      engine.exit(id, 2);
      assertThat(info(id).state()).isEqualTo(State.EXITED);
      assertThat(info(id).exitCode()).isEqualTo(2);
      assertThatThrownBy(() -> engine.exit(id, 1)).isInstanceOf(EngineException.Conflict.class);
      assertThatThrownBy(() -> engine.health(id, Health.HEALTHY))
          .isInstanceOf(EngineException.Conflict.class);
      assertThat(engine.calls()).extracting(Call::op).doesNotContain("exit", "health");
    }

    @Test
    void aBehaviourByCommand_winsOverOneByImage_andWhatItPrintsIsInTheLogsOfEveryStart() {
      engine.behave("nginx", Behaviour.exitsAfter(Duration.ofSeconds(1), 1));
      List<String> job = List.of("sh", "-c", "echo done; exit 5");
      engine.behaveCommand(
          job,
          Behaviour.exitsAfter(Duration.ZERO, 5)
              .printing(io.jstack.engine.LogStream.Source.STDOUT, "done"));
      String id = engine.createContainer(withCommand("job", job));

      engine.startContainer(id);
      assertThat(info(id).exitCode()).isEqualTo(5);
      engine.startContainer(id);

      assertThat(logs(id)).containsExactly("done", "done");
      String other = started(spec("other"));
      clock.advance(Duration.ofSeconds(1));
      assertThat(info(other).exitCode()).isEqualTo(1);
    }

    @Test
    void stopAndKill_ofAPausedContainer_endIt_asDockerdDoes() {
      String stopped = started(spec("stopped"));
      String killed = started(spec("killed"));
      engine.pauseContainer(stopped);
      engine.pauseContainer(killed);

      engine.stopContainer(stopped, null, TEN_SECONDS); // thawed, it takes its stop signal
      engine.killContainer(killed, "SIGKILL");

      assertThat(info(stopped).state()).isEqualTo(State.EXITED);
      assertThat(info(stopped).exitCode()).isZero();
      assertThat(info(killed).state()).isEqualTo(State.EXITED);
      assertThat(info(killed).exitCode()).isEqualTo(137);
      assertThatThrownBy(() -> engine.unpauseContainer(stopped))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("is not paused");
    }

    @Test
    void behaviours_rejectNegativeDelays() {
      assertThatThrownBy(() -> Behaviour.exitsAfter(Duration.ofSeconds(-1), 0))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> engine.latency(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** The default engine runs on wall-clock time; these tests wait with Awaitility. */
  @Nested
  class RealTime {
    private final FakeEngine realTime = new FakeEngine().localImage("nginx", NGINX_ID);

    @Test
    void aSpecHealthcheck_becomesHealthyByItself() {
      String id = realTime.createContainer(withHealthcheck("web", CURL_CHECK));
      realTime.startContainer(id);
      eventually().until(() -> realTime.container(id).orElseThrow().health() == Health.HEALTHY);
    }

    @Test
    void aJob_exitsByItself_andWaitReturnsItsCode() throws Exception {
      realTime.behave("nginx", Behaviour.exitsAfter(Duration.ofMillis(30), 5));
      String id = realTime.createContainer(spec("job"));
      realTime.startContainer(id);

      assertThat(CompletableFuture.supplyAsync(() -> realTime.waitContainer(id)).get(5, SECONDS))
          .isEqualTo(5);
      assertThat(realTime.container(id).orElseThrow().state()).isEqualTo(State.EXITED);
    }

    @Test
    void describe_saysWhatItIs() {
      assertThat(realTime.describe()).isEqualTo("fake engine");
      assertThat(realTime.clock()).isSameAs(EngineClock.system());
    }
  }

  // ------------------------------------------------------------------ networks and volumes

  @Nested
  class NetworksAndVolumes {

    @Test
    void networks_createGetListAndRemove() {
      engine.createNetwork(network("p_default", Map.of("project", "p")));
      engine.createNetwork(network("q_default", Map.of("project", "q")));

      NetworkInfo p = engine.network("p_default").orElseThrow();
      assertThat(p.id()).matches("[0-9a-f]{64}");
      assertThat(p.driver()).isEqualTo("bridge");
      assertThat(p.labels()).containsEntry("project", "p");
      assertThat(engine.network(p.id())).contains(p);
      assertThat(engine.networks(Map.of("project", "p"))).containsExactly(p);
      assertThat(engine.networks(Map.of("project", ""))).hasSize(2);
      assertThat(engine.isEmpty()).isFalse();

      engine.removeNetwork("p_default");
      engine.removeNetwork("q_default");
      assertThat(engine.network("p_default")).isEmpty();
      assertThat(engine.isEmpty()).isTrue();
    }

    @Test
    void network_nameClash_isAConflict_andUnknownIsNotFound() {
      engine.createNetwork(network("net", Map.of()));
      assertThatThrownBy(() -> engine.createNetwork(network("net", Map.of())))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("net");
      assertThatThrownBy(() -> engine.removeNetwork("nope"))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessageContaining("nope");
    }

    @Test
    void network_inUseByARunningContainer_cannotBeRemoved_andAStoppedOneThenCannotStart() {
      engine.createNetwork(network("net", Map.of()));
      String id = started(onNetworks("web", "net"));

      assertThatThrownBy(() -> engine.removeNetwork("net"))
          .isInstanceOf(EngineException.class) // dockerd: 403, no Conflict
          .isNotInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("net")
          .hasMessageContaining("active endpoints")
          .hasMessageContaining("web");

      engine.stopContainer(id, null, TEN_SECONDS);
      engine.removeNetwork("net"); // as in Docker: a stopped container holds no endpoint
      assertThatThrownBy(() -> engine.startContainer(id))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("network net not found");
    }

    @Test
    void volumes_createGetListAndRemove() {
      engine.createVolume(volume("p_data", Map.of("project", "p")));
      engine.createVolume(volume("q_data", Map.of("project", "q")));

      assertThat(engine.volume("p_data"))
          .contains(new VolumeInfo("p_data", "local", Map.of("project", "p")));
      assertThat(engine.volumes(Map.of("project", "q")))
          .extracting(VolumeInfo::name)
          .containsExactly("q_data");
      assertThat(engine.volumes(Map.of())).hasSize(2);

      engine.removeVolume("p_data");
      engine.removeVolume("q_data");
      assertThat(engine.isEmpty()).isTrue();
    }

    @Test
    void volume_nameClash_keepsTheExistingOne_andUnknownIsNotFound() {
      engine.createVolume(volume("data", Map.of("first", "yes")));
      engine.createVolume(volume("data", Map.of("second", "yes"))); // as dockerd: no error
      assertThat(engine.volume("data")).map(VolumeInfo::labels).contains(Map.of("first", "yes"));
      assertThat(engine.volumes(Map.of())).hasSize(1);
      assertThatThrownBy(() -> engine.removeVolume("nope"))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessageContaining("nope");
    }

    @Test
    void volume_mountedByAnyContainer_evenAStoppedOne_cannotBeRemoved() {
      engine.createVolume(volume("data", Map.of()));
      String id = engine.createContainer(mounting("db", "data"));

      assertThatThrownBy(() -> engine.removeVolume("data"))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("in use")
          .hasMessageContaining("db");

      engine.removeContainer(id, true, false);
      engine.removeVolume("data");
      assertThat(engine.isEmpty()).isTrue();
    }

    @Test
    void mounts_createMissingNamedVolumes_andAnonymousOnesThatGoWithTheContainer() {
      String id = engine.createContainer(mounting("db", "implicit", null));

      assertThat(engine.volume("implicit")).map(VolumeInfo::labels).contains(Map.of());
      List<VolumeInfo> anonymous = engine.volumes(Map.of(FakeEngine.ANONYMOUS_VOLUME_LABEL, ""));
      assertThat(anonymous).singleElement().satisfies(v -> assertThat(v.name()).hasSize(64));

      engine.removeContainer(id, true, false);
      assertThat(engine.volumes(Map.of())).extracting(VolumeInfo::name).containsExactly("implicit");
    }

    @Test
    void anonymousVolumes_stayWhenTheContainerIsRemovedWithoutThem() {
      String id = engine.createContainer(mounting("db", (String) null));
      engine.removeContainer(id, false, false);
      assertThat(engine.volumes(Map.of())).hasSize(1);
      assertThat(engine.isEmpty()).isFalse();
    }
  }

  // ------------------------------------------------------------------ images

  @Nested
  class Images {

    @Test
    void pull_ofARegistryImage_makesItLocal_reportingProgress() {
      engine.registry("redis:7", REDIS_ID);
      assertThat(engine.image("redis:7")).isEmpty();
      List<PullProgress> progress = new ArrayList<>();

      engine.pullImage("redis:7", progress::add);

      assertThat(engine.image("redis:7"))
          .hasValueSatisfying(
              i -> {
                assertThat(i.id()).isEqualTo(REDIS_ID);
                assertThat(i.tags()).containsExactly("redis:7");
              });
      assertThat(progress).allSatisfy(p -> assertThat(p.reference()).isEqualTo("redis:7"));
      assertThat(progress.get(0).status()).isEqualTo("Pulling from redis");
      assertThat(progress)
          .anySatisfy(
              p -> {
                assertThat(p.layer()).isNotEmpty();
                assertThat(p.status()).isEqualTo("Downloading");
                assertThat(p.current()).isPositive().isLessThanOrEqualTo(p.total());
              });
      assertThat(progress.get(progress.size() - 1).status())
          .isEqualTo("Status: Downloaded newer image for redis:7");
      assertThat(engine.createContainer(spec("cache", "redis:7", Map.of()))).isNotNull();
    }

    @Test
    void pull_again_isUpToDate_untilTheRegistryHasANewVersion() {
      engine.registry("redis", REDIS_ID);
      engine.pullImage("redis", null);
      List<PullProgress> again = new ArrayList<>();
      engine.pullImage("redis:latest", again::add);
      assertThat(again)
          .extracting(PullProgress::status)
          .containsExactly("Pulling from redis", "Status: Image is up to date for redis:latest");

      engine.registry("redis", REDIS_V2_ID);
      engine.pullImage("redis", null);
      assertThat(engine.image("redis")).map(i -> i.id()).contains(REDIS_V2_ID);
    }

    @Test
    void pull_ofAnUnknownRepository_isNotFound_pullAccessDenied() {
      assertThatThrownBy(() -> engine.pullImage("acme/nope:1", null))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessageContaining("pull access denied for acme/nope")
          .hasMessageContaining("repository does not exist");
      assertThat(engine.image("acme/nope:1")).isEmpty();
    }

    @Test
    void pull_ofAnUnknownTag_isNotFound_manifestUnknown() {
      engine.registry("redis:7", REDIS_ID);
      assertThatThrownBy(() -> engine.pullImage("redis:6", null))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("manifest for redis:6 not found: manifest unknown");
    }

    @Test
    void image_isFoundByAnyFormOfItsReferenceOrById() {
      assertThat(engine.image("nginx")).map(i -> i.id()).contains(NGINX_ID);
      assertThat(engine.image("nginx:latest")).map(i -> i.id()).contains(NGINX_ID);
      assertThat(engine.image("docker.io/library/nginx")).map(i -> i.id()).contains(NGINX_ID);
      assertThat(engine.image(NGINX_ID)).map(i -> i.tags()).contains(List.of("nginx:latest"));
      assertThat(engine.image(NGINX_ID.substring("sha256:".length()))).isPresent();
      assertThat(engine.image("nginx:1.27")).isEmpty();
      assertThat(engine.image("ghcr.io/acme/nginx")).isEmpty();
    }

    @Test
    void removeImage_usedByAContainer_isAConflict_evenAStoppedOne() {
      String id = started(spec("web"));
      engine.stopContainer(id, null, TEN_SECONDS);

      assertThatThrownBy(() -> engine.removeImage("nginx"))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("\"nginx\"")
          .hasMessageContaining(id.substring(0, 12));

      engine.removeContainer(id, false, false);
      engine.removeImage("nginx");
      assertThat(engine.image("nginx")).isEmpty();
      assertThatThrownBy(() -> engine.createContainer(spec("web")))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("No such image: nginx");
    }

    @Test
    void removeImage_ofOneOfSeveralTags_untagsIt() {
      engine.localImage("web:1", NGINX_ID);
      engine.createContainer(spec("web")); // uses the image: only untagging is allowed

      assertThatThrownBy(() -> engine.removeImage(NGINX_ID))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessageContaining("multiple repositories");
      engine.removeImage("web:1");
      assertThat(engine.image("web:1")).isEmpty();
      assertThat(engine.image("nginx")).map(i -> i.tags()).contains(List.of("nginx:latest"));
    }

    @Test
    void removeImage_unknown_isNotFound() {
      assertThatThrownBy(() -> engine.removeImage("nope"))
          .isInstanceOf(EngineException.NotFound.class)
          .hasMessage("No such image: nope");
    }

    @Test
    void builtImages_keepTheirLabels_andImagesFilterOnThem() throws Exception {
      java.nio.file.Path context = java.nio.file.Files.createTempDirectory("fake-build-");
      try {
        io.jstack.engine.BuildSpec spec =
            new io.jstack.engine.BuildSpec(
                context,
                null,
                "FROM nginx\n",
                List.of("web:built"),
                Map.of(),
                null,
                Map.of("tier", "front"),
                false,
                false,
                null,
                null,
                List.of(),
                null,
                Map.of(),
                List.of());
        String id = engine.buildImage(spec, line -> {});

        assertThat(engine.image("web:built"))
            .map(i -> i.labels())
            .contains(Map.of("tier", "front"));
        assertThat(engine.images(Map.of("tier", ""))).extracting(i -> i.id()).containsExactly(id);
        assertThat(engine.images(Map.of("tier", "back"))).isEmpty();
        assertThat(engine.images(Map.of())).hasSize(2);
      } finally {
        java.nio.file.Files.delete(context);
      }
    }

    @Test
    void push_ofAnImageThatIsNotLocal_failsAsDockerdSaysIt() {
      assertThatThrownBy(() -> engine.pushImage("registry.test/nope:1", p -> {}))
          .isInstanceOf(EngineException.class)
          .isNotInstanceOf(EngineException.NotFound.class)
          .hasMessageContaining("does not exist locally");
    }

    @Test
    void images_doNotMakeTheEngineNonEmpty() {
      assertThat(engine.image("nginx")).isPresent();
      assertThat(engine.isEmpty()).isTrue();
    }
  }

  // ------------------------------------------------------------------ instrumentation

  @Nested
  class Instrumentation {

    @Test
    void everyMutatingCall_isLogged_withItsTargetAndThread_readsAreNot() {
      engine.createNetwork(network("net", Map.of()));
      String id = engine.createContainer(onNetworks("web", "net"));
      engine.startContainer(id);
      engine.containers(Map.of());
      engine.container(id);
      engine.stopContainer(id, null, TEN_SECONDS);
      engine.renameContainer(id, "web2");
      engine.removeContainer(id, false, false);
      assertThatThrownBy(() -> engine.removeNetwork("nope")).isInstanceOf(EngineException.class);

      List<Call> calls = engine.calls();
      assertThat(calls)
          .extracting(Call::op, Call::target)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("createNetwork", "net"),
              org.assertj.core.groups.Tuple.tuple("createContainer", "web"),
              org.assertj.core.groups.Tuple.tuple("startContainer", "web"),
              org.assertj.core.groups.Tuple.tuple("stopContainer", "web"),
              org.assertj.core.groups.Tuple.tuple("renameContainer", "web"),
              org.assertj.core.groups.Tuple.tuple("removeContainer", "web2"),
              org.assertj.core.groups.Tuple.tuple("removeNetwork", "nope"));
      assertThat(calls)
          .allSatisfy(
              c -> {
                assertThat(c.thread()).isEqualTo(Thread.currentThread().getName());
                assertThat(c.endNanos()).isGreaterThanOrEqualTo(c.startNanos());
              });
      assertThat(calls.get(calls.size() - 1).error()).isEqualTo("network nope not found");
      assertThat(calls.subList(0, calls.size() - 1)).noneMatch(Call::failed);
      assertThat(engine.calls("startContainer")).hasSize(1);

      engine.clearCalls();
      assertThat(engine.calls()).isEmpty();
    }

    @Test
    void latency_slowsEveryMutatingCall_butNotReads() {
      engine.latency(Duration.ofMillis(50));
      String id = engine.createContainer(spec("web"));
      engine.startContainer(id);
      engine.container(id);

      assertThat(engine.calls())
          .hasSize(2)
          .allSatisfy(c -> assertThat(c.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50)));
      assertThat(engine.peakInFlight()).isEqualTo(1);
    }

    @Test
    void concurrentCalls_overlapUnderLatency_andThePeakCountsThem() throws Exception {
      engine.latency(Duration.ofMillis(200));
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      try {
        List<Future<Object>> done =
            IntStream.range(0, threads)
                .mapToObj(
                    i ->
                        pool.submit(
                            () -> {
                              go.await();
                              engine.createVolume(volume("v" + i, Map.of()));
                              return (Object) null;
                            }))
                .toList();
        go.countDown();
        for (Future<Object> f : done) {
          f.get(10, SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(engine.inFlight()).isZero();
      assertThat(engine.peakInFlight()).isBetween(2, threads);
      List<Call> calls = engine.calls("createVolume");
      assertThat(calls).hasSize(threads);
      assertThat(calls).extracting(Call::thread).doesNotHaveDuplicates();
      assertThat(calls).anySatisfy(a -> assertThat(calls).anyMatch(b -> a != b && a.overlaps(b)));
      assertThat(engine.volumes(Map.of())).hasSize(threads);
    }

    @Test
    void inFlight_countsACallWhileItIsUnderWay() throws Exception {
      engine.registry("redis", REDIS_ID);
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Waiter<Void> pull =
          onThread(
              "puller",
              () -> {
                engine.pullImage(
                    "redis",
                    p -> {
                      inside.countDown();
                      awaitLatch(release);
                    });
                return null;
              });

      assertThat(inside.await(5, SECONDS)).isTrue();
      assertThat(engine.inFlight()).isEqualTo(1);
      release.countDown();
      pull.result().get(5, SECONDS);
      assertThat(engine.inFlight()).isZero();
      assertThat(engine.peakInFlight()).isEqualTo(1);
      assertThat(engine.calls()).singleElement().extracting(Call::thread).isEqualTo("puller");
    }

    @Test
    void concurrentCreates_ofOneName_letExactlyOneWin() throws Exception {
      engine.latency(Duration.ofMillis(20));
      int threads = 16;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger conflicts = new AtomicInteger();
      try {
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      engine.createContainer(spec("web"));
                    } catch (EngineException.Conflict e) {
                      conflicts.incrementAndGet();
                    }
                    return null;
                  }));
        }
        go.countDown();
        for (Future<Object> f : done) {
          f.get(10, SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(conflicts).hasValue(threads - 1);
      assertThat(engine.containers(Map.of())).hasSize(1);
    }

    @Test
    void manyThreads_drivingTheirOwnContainers_leaveTheEngineConsistent() throws Exception {
      int threads = 8;
      int rounds = 50;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Object>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int r = 0; r < rounds; r++) {
                      String id = engine.createContainer(spec("c" + thread + "_" + r));
                      engine.startContainer(id);
                      engine.stopContainer(id, null, TEN_SECONDS);
                      assertThat(engine.waitContainer(id)).isZero();
                      engine.removeContainer(id, true, false);
                    }
                    return null;
                  }));
        }
        for (Future<Object> f : done) {
          f.get(30, SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(engine.isEmpty()).isTrue();
      assertThat(engine.calls()).hasSize(threads * rounds * 4).noneMatch(Call::failed);
      assertThat(engine.inFlight()).isZero();
    }

    @Test
    void failNext_failsOneMatchingCall_withoutActing() {
      String id = engine.createContainer(spec("web"));
      EngineException boom = new EngineException("boom");
      engine.failNext("startContainer", "web", boom);

      assertThatThrownBy(() -> engine.startContainer(id)).isSameAs(boom);
      assertThat(info(id).state()).isEqualTo(State.CREATED);
      assertThat(engine.calls("startContainer"))
          .singleElement()
          .extracting(Call::error)
          .isEqualTo("boom");

      engine.startContainer(id);
      assertThat(info(id).state()).isEqualTo(State.RUNNING);
    }

    @Test
    void failNext_matchesTheIdToo_andOnlyItsOpAndTarget() {
      String web = engine.createContainer(spec("web"));
      String db = engine.createContainer(spec("db"));
      engine.failNext("startContainer", web, new EngineException.Conflict("injected"));

      engine.startContainer(db);
      engine.stopContainer(web, null, TEN_SECONDS);
      assertThatThrownBy(() -> engine.startContainer("web"))
          .isInstanceOf(EngineException.Conflict.class)
          .hasMessage("injected");
    }

    @Test
    void failNext_withoutATarget_failsTheNextCallOfThatOp() {
      engine.failNext("createVolume", null, new EngineException("disk full"));
      assertThatThrownBy(() -> engine.createVolume(volume("any", Map.of())))
          .hasMessage("disk full");
      assertThat(engine.volume("any")).isEmpty();
      engine.createVolume(volume("any", Map.of()));
      assertThat(engine.volume("any")).isPresent();
    }

    @Test
    void failWhen_failsEveryMatchingCall_untilCleared() {
      engine.registry("redis", REDIS_ID);
      engine.failWhen(
          (op, target) -> op.equals("pullImage"),
          () -> new EngineException("registry unreachable"));

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> engine.pullImage("redis", null))
            .hasMessage("registry unreachable");
      }
      engine.clearFailures();
      engine.pullImage("redis", null);
      assertThat(engine.image("redis")).isPresent();
      assertThat(engine.calls("pullImage"))
          .extracting(Call::failed)
          .containsExactly(true, true, true, false);
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      if (!latch.await(10, SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

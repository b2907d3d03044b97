package io.jstack.planner;

import static io.jstack.engine.ContainerInfo.State.EXITED;
import static io.jstack.engine.ContainerInfo.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.Project;
import io.jstack.engine.ContainerInfo.Mount;
import io.jstack.engine.ContainerSpec;
import io.jstack.engine.VolumeInfo;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.planner.step.CreateContainer;
import io.jstack.planner.step.RemoveContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a recreated container keeps (or, with {@code -V}, renews) the anonymous volumes of the one it
 * replaces, and how {@code down -v} removes them, as Docker Compose v2 does.
 */
class AnonymousVolumesPlanTest {
  @TempDir Path dir;

  static final String OLD_PG = "a1".repeat(32);
  static final String OLD_CACHE = "c2".repeat(32);
  static final String OLD_IMAGE_VOLUME = "e3".repeat(32);
  static final String ID = "0000000000d1" + "0".repeat(52);

  /** A database whose image has a VOLUME, with an anonymous volume entry and a named one. */
  static String compose(String env) {
    return """
        name: demo
        services:
          db:
            image: postgres:16
            environment: {MODE: "%s"}
            volumes:
              - /var/cache/pg
              - data:/srv/data
        volumes:
          data: {}
        """
        .formatted(env);
  }

  /** The project after a change of environment, with db's container made from the old one. */
  World changed() {
    World before = World.of(dir, compose("1")).image("postgres:16", "sha256:pg");
    before.container("db", 1, RUNNING, ID);
    return World.of(dir, compose("2"))
        .image("postgres:16", "sha256:pg")
        .projectNetwork("default")
        .projectVolume("data")
        .withContainersOf(before)
        .mounts(
            "demo-db-1",
            Mount.volume(OLD_IMAGE_VOLUME, "/var/lib/postgresql/data"),
            Mount.volume(OLD_CACHE, "/var/cache/pg"),
            Mount.volume("demo_data", "/srv/data"));
  }

  static Map<String, String> volumeSources(ContainerSpec spec) {
    return spec.mounts().stream()
        .filter(m -> m.type().equals("volume"))
        .collect(
            Collectors.toMap(
                ContainerSpec.Mount::target, m -> m.source() == null ? "(new)" : m.source()));
  }

  static ContainerSpec created(Plan plan) {
    return plan.operations().stream()
        .map(Operation::step)
        .filter(CreateContainer.class::isInstance)
        .map(s -> ((CreateContainer) s).spec())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void recreate_takesOverTheOldAnonymousVolumes() {
    Plan plan = changed().planner().up(UpOptions.defaults());

    assertThat(volumeSources(created(plan)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "/var/lib/postgresql/data", OLD_IMAGE_VOLUME,
                "/var/cache/pg", OLD_CACHE,
                "/srv/data", "demo_data"));
    assertThat(plan.operations())
        .map(Operation::step)
        .contains(new RemoveContainer("demo-db-1", false));
  }

  @Test
  void recreate_withRenew_getsFreshVolumesAndRemovesTheOldOnes() {
    World w = changed();

    String text = w.up(UpOptions.defaults().withRenewAnonVolumes(true));

    assertThat(
            volumeSources(created(w.planner().up(UpOptions.defaults().withRenewAnonVolumes(true)))))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("/var/cache/pg", "(new)", "/srv/data", "demo_data"));
    String reason = "config changed: environment.MODE";
    assertThat(text)
        .isEqualTo(
            """
            1. create container 0000000000d1_demo-db-1 [db] %1$s
            2. stop container demo-db-1 [db] %1$s; after 1
            3. remove container demo-db-1 [db] %1$s; after 2
            4. remove volume %2$s [db] %1$s, -V; after 3
            5. remove volume %3$s [db] %1$s, -V; after 3
            6. rename container 0000000000d1_demo-db-1 -> demo-db-1 [db] %1$s; after 3
            7. start container demo-db-1 [db] %1$s; after 6
            """
                .formatted(reason, OLD_IMAGE_VOLUME, OLD_CACHE));
  }

  @Test
  void recreate_whereTheNewConfigMountsSomethingElse_keepsThatMount() {
    World before = World.of(dir, compose("1")).image("postgres:16", "sha256:pg");
    before.container("db", 1, RUNNING, ID);
    World w =
        World.of(
                dir,
                compose("2")
                    .replace(
                        "- data:/srv/data",
                        "- data:/srv/data\n      - ./pg:/var/lib/postgresql/data"))
            .image("postgres:16", "sha256:pg")
            .withContainersOf(before)
            .mounts(
                "demo-db-1",
                Mount.volume(OLD_IMAGE_VOLUME, "/var/lib/postgresql/data"),
                Mount.volume(OLD_CACHE, "/var/cache/pg/"));

    ContainerSpec spec = created(w.planner().up(UpOptions.defaults()));

    assertThat(spec.mounts())
        .filteredOn(m -> m.target().equals("/var/lib/postgresql/data"))
        .singleElement()
        .satisfies(m -> assertThat(m.type()).isEqualTo("bind"));
    assertThat(volumeSources(spec))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("/var/cache/pg", OLD_CACHE, "/srv/data", "demo_data"));
  }

  @Test
  void recreate_withVolumesFrom_takesOverOnlyItsOwnAnonymousEntries() {
    String yaml =
        """
        name: demo
        services:
          store:
            image: busybox
          app:
            image: busybox
            environment: {MODE: "%s"}
            volumes_from: [store]
            volumes: [/cache]
        """;
    World before = World.of(dir, yaml.formatted("1")).image("busybox", "sha256:bb");
    before.container("app", 1, EXITED, ID);
    World w =
        World.of(dir, yaml.formatted("2"))
            .image("busybox", "sha256:bb")
            .withContainersOf(before)
            .mounts(
                "demo-app-1",
                Mount.volume(OLD_IMAGE_VOLUME, "/shared"),
                Mount.volume(OLD_CACHE, "/cache"));

    ContainerSpec spec =
        w
            .planner()
            .up(UpOptions.defaults().withServices(List.of("app")).withNoDeps(true))
            .operations()
            .stream()
            .map(Operation::step)
            .filter(CreateContainer.class::isInstance)
            .map(s -> ((CreateContainer) s).spec())
            .filter(s -> s.name().endsWith("demo-app-1"))
            .findFirst()
            .orElseThrow();

    assertThat(volumeSources(spec)).containsExactlyEntriesOf(Map.of("/cache", OLD_CACHE));
  }

  @Test
  void unchangedContainer_isLeftAlone() {
    World w =
        World.of(dir, compose("1"))
            .image("postgres:16", "sha256:pg")
            .projectNetwork("default")
            .projectVolume("data")
            .container("db", 1, RUNNING, ID)
            .mounts("demo-db-1", Mount.volume(OLD_CACHE, "/var/cache/pg"));

    assertThat(w.up(UpOptions.defaults())).isEqualTo("nothing to do\n");
    assertThat(w.up(UpOptions.defaults().withRenewAnonVolumes(true))).isEqualTo("nothing to do\n");
  }

  @Test
  void downWithVolumes_removesAnonymousVolumesByNameButNotNamedOnes() {
    World w = changed();

    assertThat(w.down(new DownOptions(true, false, null, null)))
        .isEqualTo(
            """
            1. stop container demo-db-1 [db] down
            2. remove container demo-db-1 [db] down; after 1
            3. remove network demo_default down; after 2
            4. remove volume %s down -v; after 2
            5. remove volume %s down -v; after 2
            6. remove volume demo_data down -v; after 2
            """
                .formatted(OLD_CACHE, OLD_IMAGE_VOLUME));
    assertThat(w.down(DownOptions.defaults())).doesNotContain("volume");
  }

  /** Runs the plan of {@code up} or {@code down} on {@code engine}; fails on any failed step. */
  static void run(Plan plan, FakeEngine engine) throws InterruptedException {
    Executor.Result result =
        Executor.run(
            plan, engine, new Executor.Options(0, Duration.ofMillis(2), null), event -> {});
    assertThat(result.failures()).isEmpty();
  }

  static Set<String> volumes(FakeEngine engine) {
    return engine.volumes(Map.of()).stream().map(VolumeInfo::name).collect(Collectors.toSet());
  }

  @Test
  void onAnEngine_upKeeps_upRenewReplaces_downRemoves() throws InterruptedException {
    FakeEngine engine = new FakeEngine().localImage("postgres:16", "sha256:pg");
    String cache;
    run(Runs.up(engine, Runs.load(dir, compose("1")), UpOptions.defaults()), engine);
    Set<String> first = volumes(engine);
    assertThat(first).hasSize(2).contains("demo_data");
    cache = first.stream().filter(v -> !v.equals("demo_data")).findFirst().orElseThrow();

    Project second = Runs.load(dir, compose("2"));
    run(Runs.up(engine, second, UpOptions.defaults()), engine);
    assertThat(volumes(engine)).isEqualTo(first);
    assertThat(engine.container("demo-db-1").orElseThrow().mounts())
        .contains(Mount.volume(cache, "/var/cache/pg"));

    Project third = Runs.load(dir, compose("3"));
    run(Runs.up(engine, third, UpOptions.defaults().withRenewAnonVolumes(true)), engine);
    assertThat(volumes(engine)).hasSize(2).contains("demo_data").doesNotContain(cache);

    run(Runs.down(engine, third, new DownOptions(true, false, null, null)), engine);
    assertThat(volumes(engine)).isEmpty();
  }
}

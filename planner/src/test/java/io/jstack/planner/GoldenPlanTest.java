package io.jstack.planner;

import static io.jstack.engine.ContainerInfo.State.EXITED;
import static io.jstack.engine.ContainerInfo.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans for hand-picked situations, each expected plan written out by hand from the convergence
 * rules (not captured from the planner's own output).
 */
class GoldenPlanTest {
  @TempDir Path dir;

  static final String BASE =
      """
      name: demo
      services:
        db:
          image: postgres:16
          volumes: [data:/var/lib/postgresql/data]
        web:
          image: nginx:1.27
          depends_on: [db]
      volumes:
        data: {}
      """;

  static final String APP =
      """
      name: demo
      services:
        app:
          image: nginx:1.27
      """;

  static String id(String prefix) {
    return prefix + "0".repeat(64 - prefix.length());
  }

  World base() {
    return World.of(dir, BASE).image("postgres:16", "sha256:pg").image("nginx:1.27", "sha256:ng");
  }

  World app() {
    return World.of(dir, APP).image("nginx:1.27", "sha256:ng");
  }

  World baseRunning() {
    return base()
        .projectNetwork("default")
        .projectVolume("data")
        .container("db", 1, RUNNING, id("0000000000d1"))
        .container("web", 1, RUNNING, id("0000000000a2"));
  }

  @Test
  void freshUp_createsResourcesThenContainersInDependencyOrder() {
    assertThat(base().up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create network demo_default no network
            2. create volume demo_data no volume
            3. create container demo-db-1 [db] no container; after 1, 2
            4. start container demo-db-1 [db] no container; after 3
            5. create container demo-web-1 [web] no container; after 1
            6. wait for db (service_started) [db] needed by web; after 4
            7. start container demo-web-1 [web] no container; after 5, 6
            """);
  }

  @Test
  void secondUp_plansNothing() {
    assertThat(baseRunning().up(UpOptions.defaults())).isEqualTo("nothing to do\n");
  }

  @Test
  void environmentChange_recreatesOnlyThatServiceInComposeOrder() {
    World before =
        World.of(
                dir,
                BASE.replace("depends_on: [db]", "depends_on: [db]\n    environment: {FOO: \"1\"}"))
            .image("postgres:16", "sha256:pg")
            .image("nginx:1.27", "sha256:ng")
            .container("web", 1, RUNNING, id("0000000000a2"));
    World now =
        World.of(
                dir,
                BASE.replace("depends_on: [db]", "depends_on: [db]\n    environment: {FOO: \"2\"}"))
            .image("postgres:16", "sha256:pg")
            .image("nginx:1.27", "sha256:ng")
            .projectNetwork("default")
            .projectVolume("data")
            .container("db", 1, RUNNING, id("0000000000d1"))
            .withContainersOf(before);
    assertThat(now.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create container 0000000000a2_demo-web-1 [web] config changed: environment.FOO
            2. stop container demo-web-1 [web] config changed: environment.FOO; after 1
            3. remove container demo-web-1 [web] config changed: environment.FOO; after 2
            4. rename container 0000000000a2_demo-web-1 -> demo-web-1 [web] config changed: environment.FOO; after 3
            5. wait for db (service_started) [db] needed by web
            6. start container demo-web-1 [web] config changed: environment.FOO; after 4, 5
            """);
  }

  @Test
  void imageChange_recreates() {
    World w =
        base()
            .projectNetwork("default")
            .projectVolume("data")
            .container("db", 1, RUNNING, id("0000000000d1"))
            .container("web", 1, RUNNING, id("0000000000a2"))
            .image("nginx:1.27", "sha256:newer");
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create container 0000000000a2_demo-web-1 [web] image changed
            2. stop container demo-web-1 [web] image changed; after 1
            3. remove container demo-web-1 [web] image changed; after 2
            4. rename container 0000000000a2_demo-web-1 -> demo-web-1 [web] image changed; after 3
            5. wait for db (service_started) [db] needed by web
            6. start container demo-web-1 [web] image changed; after 4, 5
            """);
  }

  @Test
  void scaleUp_addsTheMissingNumbers() {
    World w = app().projectNetwork("default").container("app", 1, RUNNING, id("0000000000a1"));
    assertThat(w.up(UpOptions.defaults().withScale(Map.of("app", 3))))
        .isEqualTo(
            """
            1. create container demo-app-2 [app] scale 1 -> 3
            2. start container demo-app-2 [app] no container; after 1
            3. create container demo-app-3 [app] scale 1 -> 3
            4. start container demo-app-3 [app] no container; after 3
            """);
  }

  @Test
  void scaleDown_removesTheHighestNumbers() {
    World w =
        app()
            .projectNetwork("default")
            .container("app", 1, RUNNING, id("0000000000a1"))
            .container("app", 2, RUNNING, id("0000000000a2"))
            .container("app", 3, RUNNING, id("0000000000a3"));
    assertThat(w.up(UpOptions.defaults().withScale(Map.of("app", 1))))
        .isEqualTo(
            """
            1. stop container demo-app-3 [app] scale 3 -> 1
            2. remove container demo-app-3 [app] scale 3 -> 1; after 1
            3. stop container demo-app-2 [app] scale 3 -> 1
            4. remove container demo-app-2 [app] scale 3 -> 1; after 3
            """);
  }

  World withOrphan() {
    return app()
        .projectNetwork("default")
        .container("app", 1, RUNNING, id("0000000000a1"))
        .container(
            "demo-old-1",
            id("00000000000f"),
            RUNNING,
            Map.of(
                ComposeLabels.PROJECT,
                "demo",
                ComposeLabels.SERVICE,
                "old",
                ComposeLabels.CONTAINER_NUMBER,
                "1"));
  }

  @Test
  void orphan_isWarnedAbout() {
    assertThat(withOrphan().up(UpOptions.defaults()))
        .isEqualTo(
            """
            nothing to do
            warning: Found orphan containers (demo-old-1) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.
            """);
  }

  @Test
  void orphan_isRemovedOnRequest() {
    assertThat(withOrphan().up(UpOptions.defaults().withRemoveOrphans(true)))
        .isEqualTo(
            """
            1. stop container demo-old-1 [old] orphan
            2. remove container demo-old-1 [old] orphan; after 1
            """);
  }

  @Test
  void restartTrue_restartsTheDependentAfterItsDependency() {
    String yaml =
        """
        name: demo
        services:
          db:
            image: postgres:16
            environment: {POSTGRES_DB: %s}
          web:
            image: nginx:1.27
            depends_on:
              db: {condition: service_started, restart: true}
        """;
    World before =
        World.of(dir, yaml.formatted("one"))
            .image("postgres:16", "sha256:pg")
            .container("db", 1, RUNNING, id("0000000000d1"));
    World now =
        World.of(dir, yaml.formatted("two"))
            .image("postgres:16", "sha256:pg")
            .image("nginx:1.27", "sha256:ng")
            .projectNetwork("default")
            .container("web", 1, RUNNING, id("0000000000a2"))
            .withContainersOf(before);
    assertThat(now.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create container 0000000000d1_demo-db-1 [db] config changed: environment.POSTGRES_DB
            2. stop container demo-db-1 [db] config changed: environment.POSTGRES_DB; after 1
            3. remove container demo-db-1 [db] config changed: environment.POSTGRES_DB; after 2
            4. rename container 0000000000d1_demo-db-1 -> demo-db-1 [db] config changed: environment.POSTGRES_DB; after 3
            5. start container demo-db-1 [db] config changed: environment.POSTGRES_DB; after 4
            6. stop container demo-web-1 [web] dependency db restarted; after 5
            7. wait for db (service_started) [db] needed by web; after 5
            8. start container demo-web-1 [web] dependency db restarted; after 6, 7
            """);
  }

  @Test
  void requiredFalse_onAMissingService_isDropped() {
    World w =
        World.of(
                dir,
                """
        name: demo
        services:
          web:
            image: nginx:1.27
            depends_on:
              cache: {condition: service_started, required: false}
        """)
            .image("nginx:1.27", "sha256:ng");
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create network demo_default no network
            2. create container demo-web-1 [web] no container; after 1
            3. start container demo-web-1 [web] no container; after 2
            """);
  }

  @Test
  void profiles_disabledServicesAreNeitherStartedNorOrphans() {
    World w =
        World.of(dir, APP + "  debug:\n    image: busybox\n    profiles: [debug]\n")
            .image("nginx:1.27", "sha256:ng")
            .image("busybox", "sha256:bb")
            .projectNetwork("default")
            .container("app", 1, RUNNING, id("0000000000a1"))
            .container("debug", 1, RUNNING, id("0000000000b1"));
    assertThat(w.up(UpOptions.defaults())).isEqualTo("nothing to do\n");
  }

  @Test
  void healthyCondition_waitsForHealth() {
    World w =
        World.of(
                dir,
                """
        name: demo
        services:
          db:
            image: postgres:16
            healthcheck: {test: pg_isready}
          web:
            image: nginx:1.27
            depends_on: {db: {condition: service_healthy}}
        """)
            .image("postgres:16", "sha256:pg")
            .image("nginx:1.27", "sha256:ng")
            .projectNetwork("default");
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create container demo-db-1 [db] no container
            2. start container demo-db-1 [db] no container; after 1
            3. create container demo-web-1 [web] no container
            4. wait for db (service_healthy) [db] needed by web; after 2
            5. start container demo-web-1 [web] no container; after 3, 4
            """);
  }

  @Test
  void completedCondition_waitsForTheJobToFinish() {
    World w =
        World.of(
                dir,
                """
        name: demo
        services:
          migrate:
            image: busybox
          web:
            image: nginx:1.27
            depends_on: {migrate: {condition: service_completed_successfully}}
        """)
            .image("busybox", "sha256:bb")
            .image("nginx:1.27", "sha256:ng")
            .projectNetwork("default");
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. create container demo-migrate-1 [migrate] no container
            2. start container demo-migrate-1 [migrate] no container; after 1
            3. create container demo-web-1 [web] no container
            4. wait for migrate (service_completed_successfully) [migrate] needed by web; after 2
            5. start container demo-web-1 [web] no container; after 3, 4
            """);
  }

  @Test
  void downWithVolumes_stopsDependentsFirstThenRemovesResources() {
    assertThat(baseRunning().down(new DownOptions(true, false, null, null)))
        .isEqualTo(
            """
            1. stop container demo-web-1 [web] down
            2. remove container demo-web-1 [web] down; after 1
            3. stop container demo-db-1 [db] down; after 1
            4. remove container demo-db-1 [db] down; after 3
            5. remove network demo_default down; after 2, 4
            6. remove volume demo_data down -v; after 2, 4
            """);
  }

  @Test
  void downWithoutVolumes_keepsThem() {
    assertThat(baseRunning().down(DownOptions.defaults()))
        .isEqualTo(
            """
            1. stop container demo-web-1 [web] down
            2. remove container demo-web-1 [web] down; after 1
            3. stop container demo-db-1 [db] down; after 1
            4. remove container demo-db-1 [db] down; after 3
            5. remove network demo_default down; after 2, 4
            """);
  }

  @Test
  void forceRecreate_recreatesUnchangedContainers() {
    World w = app().projectNetwork("default").container("app", 1, RUNNING, id("0000000000a1"));
    assertThat(w.up(UpOptions.defaults().withForceRecreate(true)))
        .isEqualTo(
            """
            1. create container 0000000000a1_demo-app-1 [app] --force-recreate
            2. stop container demo-app-1 [app] --force-recreate; after 1
            3. remove container demo-app-1 [app] --force-recreate; after 2
            4. rename container 0000000000a1_demo-app-1 -> demo-app-1 [app] --force-recreate; after 3
            5. start container demo-app-1 [app] --force-recreate; after 4
            """);
  }

  @Test
  void noRecreate_keepsChangedContainers() {
    World before =
        World.of(dir, APP)
            .image("nginx:1.27", "sha256:ng")
            .container("app", 1, RUNNING, id("0000000000a1"));
    World now =
        World.of(dir, APP.replace("nginx:1.27", "nginx:1.27\n    environment: {X: y}"))
            .image("nginx:1.27", "sha256:ng")
            .projectNetwork("default")
            .withContainersOf(before);
    assertThat(now.up(UpOptions.defaults().withNoRecreate(true))).isEqualTo("nothing to do\n");
  }

  @Test
  void noStart_onlyCreates() {
    assertThat(app().up(UpOptions.defaults().withNoStart(true)))
        .isEqualTo(
            """
            1. create network demo_default no network
            2. create container demo-app-1 [app] no container; after 1
            """);
  }

  @Test
  void noDeps_leavesDependenciesAlone() {
    World w = base().projectNetwork("default").projectVolume("data");
    assertThat(w.up(UpOptions.defaults().withServices(List.of("web")).withNoDeps(true)))
        .isEqualTo(
            """
            1. create container demo-web-1 [web] no container
            2. start container demo-web-1 [web] no container; after 1
            """);
  }

  @Test
  void stoppedContainer_isStarted() {
    World w = app().projectNetwork("default").container("app", 1, EXITED, id("0000000000a1"));
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. start container demo-app-1 [app] not running
            """);
  }

  @Test
  void missingImage_isPulledBeforeCreation() {
    World w = World.of(dir, APP).projectNetwork("default");
    assertThat(w.up(UpOptions.defaults()))
        .isEqualTo(
            """
            1. pull image nginx:1.27 [app] image not present
            2. create container demo-app-1 [app] no container; after 1
            3. start container demo-app-1 [app] no container; after 2
            """);
  }

  @Test
  void missingExternalNetwork_isAnErrorWithTheFix() {
    World w =
        World.of(dir, APP + "    networks: [shared]\nnetworks:\n  shared: {external: true}\n")
            .image("nginx:1.27", "sha256:ng");
    assertThatThrownBy(() -> w.planner().up(UpOptions.defaults()))
        .isInstanceOf(PlanException.class)
        .hasMessage(
            "network shared declared as external, but could not be found: create it first"
                + " (docker network create shared)");
  }

  @Test
  void downRmiLocal_removesBuiltImages() {
    World w =
        World.of(dir, "name: demo\nservices:\n  built:\n    build: .\n")
            .image("demo-built", "sha256:b1")
            .projectNetwork("default")
            .container("built", 1, RUNNING, id("0000000000c1"));
    assertThat(w.down(new DownOptions(false, false, "local", null)))
        .isEqualTo(
            """
            1. stop container demo-built-1 [built] down
            2. remove container demo-built-1 [built] down; after 1
            3. remove network demo_default down; after 2
            4. remove image demo-built --rmi local; after 2
            """);
  }

  @Test
  void upWait_waitsForEveryServiceAtTheEnd() {
    World w = app().projectNetwork("default");
    assertThat(w.up(UpOptions.defaults().withWait(true, null)))
        .isEqualTo(
            """
            1. create container demo-app-1 [app] no container
            2. start container demo-app-1 [app] no container; after 1
            3. wait for app (running or healthy) [app] --wait; after 2
            """);
  }

  @Test
  void unknownService_isAnError() {
    assertThatThrownBy(() -> app().planner().up(UpOptions.defaults().withServices(List.of("nope"))))
        .isInstanceOf(PlanException.class)
        .hasMessage("no such service: nope (services: app)");
  }
}

package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.loadStdin;
import static io.jstack.compose.ComposeGo.loaderDir;
import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * compose-go {@code loader/extends_test.go} on {@code loader/testdata/extends} (notes §4.11) and
 * the extends cases of the {@code !override} tests (§8.3). Upstream's inline YAML without a file
 * name is given as standard input with {@code loader/} as the directory, so {@code extends.file}
 * paths start from there as upstream's do.
 */
class ExtendsConformanceTest {
  private static final String BASE = "testdata/extends/base.yaml";

  private static LoadedProject load(String yaml) {
    return loadStdin(yaml, loaderDir(), Map.of());
  }

  private static Service service(LoadedProject p, String name) {
    assertThat(p.project().services()).containsKey(name);
    return p.project().services().get(name);
  }

  /** TestExtends: only the referenced chain is followed, and each service keeps its own keys. */
  @Test
  void extends_sameBaseTwiceAndAChainInTheBaseFile() {
    LoadedProject p =
        load(
            """
            name: test-extends
            services:
              test1:
                extends:
                  file: %1$s
                  service: base
                hostname: test1
              test2:
                extends:
                  file: %1$s
                  service: base
                hostname: test2
              test3:
                extends:
                  file: %1$s
                  service: another
                hostname: test3
            """
                .formatted(BASE));
    for (String name : List.of("test1", "test2", "test3")) {
      assertThat(service(p, name).hostname()).isEqualTo(name);
      assertThat(service(p, name).image()).isEqualTo("base");
    }
    assertThat(p.project().services()).containsOnlyKeys("test1", "test2", "test3");
  }

  /** TestExtendsPort. */
  @Test
  void extendsPort_portsComeFromTheBase() {
    Service test =
        service(
            load(
                """
                name: test-extends-port
                services:
                  test:
                    image: test
                    extends:
                      file: %s
                      service: with-port
                """
                    .formatted(BASE)),
            "test");
    assertThat(test.ports()).hasSize(1);
    assertThat(test.ports().get(0).target()).isEqualTo(8000);
    assertThat(test.ports().get(0).published()).isEqualTo("8000");
  }

  /** TestExtendsUlimits. */
  @Test
  void extendsUlimits_singleAndSoftHardLimitsComeFromTheBase() {
    Service test =
        service(
            load(
                """
                name: test-extends
                services:
                  test:
                    extends:
                      file: %s
                      service: withUlimits
                """
                    .formatted(BASE)),
            "test");
    assertThat(test.ulimits().get("nproc")).isEqualTo(new Ulimit(65535L, null, null));
    assertThat(test.ulimits().get("nofile")).isEqualTo(new Ulimit(null, 20000L, 40000L));
  }

  /** TestExtendsRelativePath: a base's relative paths start from the base file's folder. */
  @Test
  void extendsRelativePath_buildContextIsTheExtendedFileFolder() {
    Service test =
        service(
            load(
                """
                name: test-extends-port
                services:
                  test:
                    extends:
                      file: %s
                      service: with-build
                """
                    .formatted(BASE)),
            "test");
    assertThat(test.build().context())
        .isEqualTo(loaderDir().resolve("testdata/extends").toString());
  }

  /** TestExtendsNil: extending a service that is null. */
  @Test
  void extendsNil_nullBaseIsAnEmptyService() {
    Service test =
        service(
            load(
                """
                name: test-extends-port
                services:
                  test:
                    image: test
                    extends:
                      file: %s
                      service: nil
                """
                    .formatted(BASE)),
            "test");
    assertThat(test.image()).isEqualTo("test");
  }

  /** TestExtendsWihtMissingService. */
  @Test
  void extendsWithMissingService_saysServiceIsRequired() {
    assertLoadError(
            ProjectOptions.of(List.of(Path.of("-")), Map.of(), loaderDir())
                .withStdin(
                    """
                    name: test-extends-missing
                    services:
                      test:
                        image: test
                        extends:
                          file: %s
                    """
                        .formatted(BASE)))
        .contains("extends.test.service is required");
  }

  /** TestExtendsPortOverride: a file and an override extending the same service. */
  @Test
  void extendsPortOverride_samePortFromBothFilesIsKeptOnce(@TempDir Path tmp) {
    Path override =
        write(
            tmp.resolve("override.yaml"),
            """
            name: test-extends-port
            services:
              test:
                extends:
                  file: testdata/extends/ports.yaml
                  service: test
            """);
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(
                    List.of(Path.of("testdata/extends/ports.yaml"), override),
                    Map.of(),
                    loaderDir())
                .withProjectDirectory(loaderDir()));
    assertThat(service(p, "test").ports()).hasSize(1);
  }

  /** TestExtendsReset: {@code !reset} in the extending service of the base file. */
  @Test
  void extendsReset_resetRemovesTheInheritedCommand() {
    Service test =
        service(
            load(
                """
                name: test-extends-reset
                services:
                  test:
                    extends:
                      file: testdata/extends/reset.yaml
                      service: base
                """),
            "test");
    assertThat(test.command()).isNull();
    assertThat(test.image()).isEqualTo("alpine:latest");
  }

  /** TestExtendsWithInterpolation: the extended file is interpolated with the project env. */
  @Test
  void extendsWithInterpolation_defaultAndProjectValue() {
    String yaml =
        """
        name: test-extends-with-interpolation
        services:
          test:
            extends:
              file: testdata/extends/interpolated.yaml
              service: foo
        """;
    assertThat(service(load(yaml), "test").volumes().get(0).source()).isEqualTo("/dev/null");
    assertThat(
            service(loadStdin(yaml, loaderDir(), Map.of("SOURCE", "/srv/foo")), "test")
                .volumes()
                .get(0)
                .source())
        .isEqualTo("/srv/foo");
  }

  /**
   * TestExtendsWithServiceRef: references to a service of the base file become implicit {@code
   * depends_on} in the extending project, where that service does not exist, until it is added.
   */
  @ParameterizedTest
  @ValueSource(strings = {"with_volumes_from", "with_depends_on", "with_ipc", "with_network_mode"})
  void extendsWithServiceRef_referenceMustExistInTheExtendingProject(String base) {
    String yaml =
        """
        name: test-extends_with_%s
        services:
          bar:
            extends:
              file: ./testdata/extends/depends_on.yaml
              service: %s
        """
            .formatted(base, base);
    assertLoadError(ProjectOptions.of(List.of(Path.of("-")), Map.of(), loaderDir()).withStdin(yaml))
        .contains("service \"bar\" depends on undefined service \"zot\"");

    LoadedProject p = load(yaml + "  zot:\n    image: zot\n");
    assertThat(service(p, "zot").image()).isEqualTo("zot");
    assertThat(service(p, "bar").dependsOn()).containsKey("zot");
  }

  /** extends/withdir (§10, no upstream test): each extends.file starts from its own file. */
  @Test
  void withdir_twoHopExtendsResolvesEachFileFromItsReferrer() {
    Path dir = loaderDir().resolve("testdata/extends/withdir");
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(List.of(dir.resolve("compose.yaml")), Map.of(), dir)
                .withProjectName("withdir"));
    assertThat(Trees.of(service(p, "test")))
        .isEqualTo(Trees.parse("image: hello-world\nnetworks:\n  default: null\n"));
  }

  /** TestLoadExtendsDependsOn (§8.3): {@code !override} replaces the inherited depends_on. */
  @Test
  void loadExtendsDependsOn_overrideReplacesInheritedDependencies() {
    LoadedProject p =
        load(
            """
            name: extends-depends_on
            services:
              service_a:
                image: a
                depends_on:
                  - service_c
              service_b:
                extends: service_a
                depends_on: !override
                  - service_a
              service_c:
                image: c
            """);
    assertThat(service(p, "service_b").dependsOn())
        .containsExactlyEntriesOf(
            Map.of("service_a", new DependsOn("service_started", false, true)));
  }

  /** TestOverrideSelfExtends (§8.3): {@code !override} acts at its level of a chain only. */
  @Test
  void overrideSelfExtends_laterLevelsMergeNormally() {
    LoadedProject p =
        load(
            """
            name: test-override-extends
            services:
              depend_base:
                image: nginx
                ports:
                  - "8092:80"
              depend_one:
                image: nginx
                ports:
                  - "8091:80"
              depend_two:
                extends:
                  service: depend_one
              main_one:
                image: nginx
                depends_on:
                  - depend_one
                ports:
                  - "8090:80"
              main_two:
                extends: main_one
                depends_on: !override
                  - depend_two
              main:
                extends:
                  service: main_two
                depends_on:
                  - depend_base
            """);
    assertThat(service(p, "main").dependsOn())
        .containsOnlyKeys("depend_base", "depend_two")
        .allSatisfy(
            (k, d) -> assertThat(d).isEqualTo(new DependsOn("service_started", false, true)));
  }

  /** TestOverrideMiddle (§8.3): {@code !override} in the middle file of a cross-file chain. */
  @Test
  void overrideMiddle_crossFileChain(@TempDir Path pwd) {
    write(
        pwd.resolve("base.yaml"),
        """
        services:
          base:
            volumes:
              - /foo:/foo
            networks:
              - foo
        """);
    write(
        pwd.resolve("override.yaml"),
        """
        services:
          override:
            extends:
              file: ./base.yaml
              service: base
            volumes: !override
              -  /bar:/bar
            networks: !override
              - bar
        """);
    Path compose =
        write(
            pwd.resolve("compose.yaml"),
            """
            name: test
            services:
              test:
                image: test
                extends:
                  file: ./override.yaml
                  service: override
                volumes:
                  - /zot:/zot
                networks: !override
                  - zot

            networks:
              zot: {}
            """);
    Service test =
        service(ComposeLoader.load(ProjectOptions.of(List.of(compose), Map.of(), pwd)), "test");
    assertThat(Trees.of(test.volumes()))
        .isEqualTo(
            Trees.parse(
                """
                - type: bind
                  source: /bar
                  target: /bar
                  bind:
                    create_host_path: true
                - type: bind
                  source: /zot
                  target: /zot
                  bind:
                    create_host_path: true
                """));
    assertThat(test.networks()).containsOnlyKeys("zot").containsEntry("zot", null);
  }

  /** TestParseYAMLFilesMergeOverride (§8.3): {@code !override} through an anchor and {@code <<}. */
  @Test
  void parseYamlFilesMergeOverride_overrideSurvivesMergeKey() {
    LoadedProject p =
        load(
            """
            name: merge-override
            services:
              base:
                image: base
                configs:
                  - source: credentials
                    target: /credentials/file1
              x: &x
                extends:
                  base
                configs: !override
                  - source: credentials
                    target: /literally-anywhere-else

              y:
                <<: *x

            configs:
              credentials:
                content: |
                  dummy value
            """);
    FileReference moved =
        new FileReference("credentials", "/literally-anywhere-else", null, null, null);
    assertThat(service(p, "x").configs()).containsExactly(moved);
    assertThat(service(p, "y").configs()).containsExactly(moved);
    assertThat(service(p, "base").configs())
        .containsExactly(new FileReference("credentials", "/credentials/file1", null, null, null));
  }
}

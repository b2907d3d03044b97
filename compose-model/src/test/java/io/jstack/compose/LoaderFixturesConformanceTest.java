package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.home;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * compose-go's loader tests on {@code loader/} and {@code loader/testdata} (notes §4.1–4.10, 4.13),
 * except extends, which {@link ExtendsConformanceTest} covers. The cwd is {@code loader/}, as
 * upstream's. jstack always normalises, so where upstream loads without normalisation the
 * expectations here add what normalisation adds (the default network, {@code dockerfile}, implicit
 * {@code depends_on}, absolute paths).
 */
class LoaderFixturesConformanceTest {
  private static final Path TESTDATA = loaderDir().resolve("testdata");

  @TempDir Path tmp;

  private static ProjectOptions options(Path... files) {
    return ProjectOptions.of(List.of(files), Map.of(), loaderDir());
  }

  private static Service service(LoadedProject p, String name) {
    assertThat(p.project().services()).containsKey(name);
    return p.project().services().get(name);
  }

  private static String abs(String relativeToLoaderDir) {
    return loaderDir().resolve(relativeToLoaderDir).toString();
  }

  /** TestDiscardEnvFileOption (§4.1): example2.env over example1.env. */
  @Test
  void discardEnvFileOption_envFilesResolvedInOrder() {
    Path compose =
        write(
            tmp.resolve("compose.yaml"),
            """
            name: test
            services:
              web:
                image: nginx
                env_file:
                 - example1.env
                 - path: example2.env
                   required: false
            """);
    Service web =
        service(ComposeLoader.load(options(compose).withProjectDirectory(loaderDir())), "web");
    assertThat(web.environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "FOO", "foo_from_env_file",
                "BAZ", "baz_from_env_file",
                "BAR", "bar_from_env_file_2",
                "QUX", "quz_from_env_file_2",
                "ENV.WITH.DOT", "ok",
                "ENV_WITH_UNDERSCORE", "ok"));
    assertThat(web.envFile())
        .containsExactly(
            new EnvFile(abs("example1.env"), true, null),
            new EnvFile(abs("example2.env"), false, null));
  }

  /** TestComposeFileWithVersion (§4.2), with {@code loader/} as project directory. */
  @Test
  void composeFileWithVersion_versionIgnoredWithAWarning() {
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(
                    List.of(TESTDATA.resolve("compose-test-with-version.yaml")),
                    Map.of("HOME", home(), "QUX", "qux_from_environment"),
                    loaderDir())
                .withProjectDirectory(loaderDir()));
    assertThat(p.warnings()).anyMatch(w -> w.contains("`version` is obsolete"));
    assertThat(p.project().services()).containsOnlyKeys("web", "other");
    assertThat(Trees.of(service(p, "web")))
        .isEqualTo(
            Trees.parse(
                """
                build:
                  context: %s
                  dockerfile: Dockerfile
                depends_on:
                  other:
                    condition: service_started
                    required: true
                networks:
                  default: null
                  front: null
                volumes_from:
                  - other
                """
                    .formatted(abs("Dockerfile"))));
    assertThat(Trees.of(service(p, "other")))
        .isEqualTo(
            Trees.parse(
                """
                command:
                  - top
                image: busybox:1.31.0-uclibc
                networks:
                  default: null
                volumes:
                  - type: volume
                    target: /data
                    volume: {}
                """));
    assertThat(p.project().networks()).containsOnlyKeys("front", "default");
    assertThat(p.project().networks().get("front").name())
        .isEqualTo("compose-test-with-version_front");
    assertThat(p.project().volumes()).containsOnlyKeys("data");
    assertThat(p.project().volumes().get("data").driver()).isEqualTo("local");
  }

  /** TestLoadWithExtends (§4.3): extends from another file, relative to that file. */
  @Test
  void loadWithExtends_extendedFileIsInterpolatedWithTheProjectEnvironment() {
    LoadedProject p =
        ComposeLoader.load(
            options(Path.of("testdata/compose-test-extends.yaml"))
                .withProjectDirectory(Path.of("testdata")));
    assertThat(p.project().name()).isEqualTo("compose-test-extends");
    assertThat(p.project().services()).containsOnlyKeys("importer");
    assertThat(Trees.of(service(p, "importer")))
        .isEqualTo(
            Trees.parse(
                """
                container_name: imported
                env_file:
                  - path: %s
                    required: true
                environment:
                  SOURCE: extends
                image: nginx
                networks:
                  default: null
                volumes:
                  - type: bind
                    source: /opt/data
                    target: /var/lib/mysql
                    bind:
                      create_host_path: true
                """
                    .formatted(abs("testdata/subdir/extra.env"))));
  }

  /** TestLoadWithExtendsWithContextUrl (§4.4): a remote build context is not a path. */
  @Test
  void loadWithExtendsWithContextUrl_urlContextIsKept() {
    LoadedProject p =
        ComposeLoader.load(
            options(Path.of("testdata/compose-test-extends-with-context-url.yaml"))
                .withProjectDirectory(Path.of("testdata")));
    assertThat(p.project().services()).containsOnlyKeys("importer-with-https-url");
    assertThat(Trees.of(service(p, "importer-with-https-url")))
        .isEqualTo(
            Trees.parse(
                """
                build:
                  context: https://github.com/docker/compose.git
                  dockerfile: Dockerfile
                networks:
                  default: null
                """));
  }

  /** §4.4's rule: which build contexts are not paths. */
  @ParameterizedTest
  @CsvSource({
    "https://github.com/docker/compose.git",
    "http://example.com/ctx.tar.gz",
    "git://example.com/repo.git",
    "ssh://git@example.com/repo.git",
    "github.com/docker/compose",
    "git@github.com:docker/compose.git",
    "service:base",
  })
  void remoteBuildContext_isNotResolved(String context) {
    Path compose =
        write(
            tmp.resolve("compose.yaml"),
            "services:\n  s:\n    build:\n      context: \"" + context + "\"\n");
    Service s =
        service(ComposeLoader.load(ProjectOptions.of(List.of(compose), Map.of(), tmp)), "s");
    assertThat(s.build().context()).isEqualTo(context);
  }

  /** TestEmptyFile (§4.5). */
  @Test
  void emptyFile_isRefused() {
    assertLoadError(options(Path.of("testdata/empty.yaml"))).contains("empty compose file");
  }

  /** TestLoadWithIncludeCycle (§4.6): the file includes itself. */
  @Test
  void loadWithIncludeCycle_isRefused() {
    assertLoadError(
            options(TESTDATA.resolve("compose-include-cycle.yaml")).withProjectDirectory(TESTDATA))
        .contains("include cycle detected")
        .contains(TESTDATA.resolve("compose-include-cycle.yaml").toString());
  }

  /**
   * TestLoadDependsOnCycle, TestLoadDependsOnSelf (§4.7), and the profile-no-cycle fixture, which
   * is the cycle fixture again (§10).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          compose-depends-on-cycle.yaml            | service1 -> service2 -> service3 -> service1
          compose-depends-on-self.yaml             | service1 -> service1
          compose-depends-on-profile-no-cycle.yaml | service1 -> service2 -> service3 -> service1
          """)
  void dependsOnCycle_namesTheCycle(String file, String cycle) {
    assertLoadError(options(TESTDATA.resolve(file)).withProjectDirectory(TESTDATA))
        .contains("dependency cycle detected: " + cycle);
  }

  // The include tests of §4.8, on testdata/compose-include.yaml and subdir/.

  private static final String INCLUDE_WITH_ENV_FILE =
      """
      name: 'test-include'
      include:
        - path: ./testdata/subdir/compose-test-extends-imported.yaml
          env_file: ./testdata/subdir/extra.env
      services:
        foo:
          image: busybox
          depends_on:
            - imported
      """;

  /** TestLoadWithInclude. */
  @Test
  void loadWithInclude_includeEnvFileFeedsInterpolationOfTheIncludedFile() {
    LoadedProject p = loadStdin(INCLUDE_WITH_ENV_FILE, loaderDir(), Map.of());
    assertThat(p.project().services()).containsOnlyKeys("foo", "imported");
    assertThat(Trees.of(service(p, "foo")))
        .isEqualTo(
            Trees.parse(
                """
                depends_on:
                  imported:
                    condition: service_started
                    required: true
                image: busybox
                networks:
                  default: null
                """));
    assertThat(Trees.of(service(p, "imported")))
        .isEqualTo(
            Trees.parse(
                """
                container_name: extends
                env_file:
                  - path: %s
                    required: true
                environment:
                  SOURCE: extends
                image: nginx
                networks:
                  default: null
                volumes:
                  - type: bind
                    source: /opt/data
                    target: /var/lib/mysql
                    bind:
                      create_host_path: true
                """
                    .formatted(abs("testdata/subdir/extra.env"))));
  }

  /** TestLoadWithInclude, second load. */
  @Test
  void loadWithInclude_projectEnvironmentBeatsTheIncludeEnvFile() {
    LoadedProject p = loadStdin(INCLUDE_WITH_ENV_FILE, loaderDir(), Map.of("SOURCE", "override"));
    assertThat(service(p, "imported").containerName()).isEqualTo("override");
  }

  /** TestLoadWithIncludeOverride: a later -f file overrides an included service. */
  @Test
  void loadWithIncludeOverride_laterFileOverridesIncludedService() {
    Path f0 =
        write(
            tmp.resolve("filename0.yml"),
            """
            name: 'test-include-override'
            include:
              - ./testdata/subdir/compose-test-extends-imported.yaml
            """);
    Path f1 =
        write(
            tmp.resolve("filename1.yml"),
            """
            services:
              imported:
                image: overridden
            """);
    LoadedProject p = ComposeLoader.load(options(f0, f1).withProjectDirectory(loaderDir()));
    assertThat(service(p, "imported").image()).isEqualTo("overridden");
  }

  /** TestLoadWithMultipleInclude: the same file included twice, directly and indirectly. */
  @Test
  void loadWithMultipleInclude_sameServiceIncludedTwiceIsAllowed() {
    LoadedProject p =
        loadStdin(
            """
            name: 'test-multi-include'
            include:
              - path: ./testdata/subdir/compose-test-extends-imported.yaml
                env_file: ./testdata/subdir/extra.env
              - path: ./testdata/compose-include.yaml
            services:
              foo:
                image: busybox
                depends_on:
                  - imported
            """,
            loaderDir(),
            Map.of("SOURCE", "override"));
    assertThat(service(p, "imported").containerName()).isEqualTo("override");
    assertThat(p.project().services()).containsOnlyKeys("foo", "imported", "bar");
  }

  /** TestLoadWithMultipleIncludeConflict: local definitions merge over included ones. */
  @Test
  void loadWithMultipleIncludeConflict_localDefinitionMergesOverTheIncludedOne() {
    LoadedProject p =
        loadStdin(
            """
            name: 'test-multi-include'
            include:
              - path: ./testdata/subdir/compose-test-extends-imported.yaml
                env_file: ./testdata/subdir/extra.env
              - path: ./testdata/compose-include.yaml
                env_file: ./testdata/subdir/extra.env
            services:
              bar:
                image: busybox
                environment: !override
                  - ZOT=QIX
            """,
            loaderDir(),
            Map.of("SOURCE", "override"));
    assertThat(Trees.of(service(p, "bar")))
        .isEqualTo(
            Trees.parse(
                """
                environment:
                  ZOT: QIX
                image: busybox
                networks:
                  default: null
                """));
  }

  /** §4.8: without env_file, an include reads its project directory's .env; the project wins. */
  @Test
  void include_withoutEnvFile_readsTheIncludedDotEnv_projectEnvironmentWins() {
    write(tmp.resolve("sub/.env"), "TAG=from_included_dotenv\n");
    write(tmp.resolve("sub/compose.yaml"), "services:\n  inc:\n    image: app:${TAG}\n");
    Path main = write(tmp.resolve("compose.yaml"), "include:\n  - sub/compose.yaml\n");
    ProjectOptions o =
        ProjectOptions.of(List.of(main), Map.of("COMPOSE_DISABLE_ENV_FILE", "true"), tmp);
    assertThat(service(ComposeLoader.load(o), "inc").image()).isEqualTo("app:from_included_dotenv");
    assertThat(
            service(
                    ComposeLoader.load(
                        ProjectOptions.of(List.of(main), Map.of("TAG", "from_project"), tmp)),
                    "inc")
                .image())
        .isEqualTo("app:from_project");
  }

  /** TestIncludeRelative (§4.9): paths of the included file start from its own folder. */
  @Test
  void includeRelative_includedPathsResolveAgainstTheIncludedFolder() {
    Path dir = TESTDATA.resolve("include");
    LoadedProject p =
        ComposeLoader.load(
            options(Path.of("testdata/include/compose.yaml"))
                .withProjectDirectory(dir)
                .withProjectName("test-include-relative"));
    Service included = service(p, "included");
    assertThat(included.build().context()).isEqualTo(dir.toString());
    assertThat(included.volumes().get(0).source()).isEqualTo(dir.toString());
    assertThat(included.volumes().get(0).target()).isEqualTo("/mnt");
  }

  /** TestIncludeWithProjectDirectory (§4.9): project_directory rebases the included paths. */
  @Test
  void includeWithProjectDirectory_includedPathsResolveAgainstProjectDirectory() {
    LoadedProject p =
        ComposeLoader.load(
            options(Path.of("testdata/include/project-directory.yaml"))
                .withProjectDirectory(Path.of("testdata/include"))
                .withProjectName("test-load-project-directory"));
    Service s = service(p, "service");
    assertThat(s.build().context()).isEqualTo(abs("testdata/subdir"));
    assertThat(s.volumes().get(0).source())
        .isEqualTo(abs("testdata/subdir/compose-test-extends-imported.yaml"));
    assertThat(s.envFile().get(0).path()).isEqualTo(abs("testdata/subdir/extra.env"));
    assertThat(s.environment()).containsEntry("SOURCE", "extends");
  }

  /** TestLoadIncludeExtendsCombined (§4.10): include, then extends inside the included file. */
  @Test
  void loadIncludeExtendsCombined_loadsWithPathsOfTheExtendedFile() {
    LoadedProject p =
        ComposeLoader.load(
            options(Path.of("testdata/combined/compose.yaml"))
                .withProjectDirectory(Path.of("testdata/combined"))
                .withProjectName("test-load-combined"));
    Service s = service(p, "service");
    assertThat(s.build().context()).isEqualTo(abs("testdata/combined/dir"));
    assertThat(s.build().dockerfile()).isEqualTo("Dockerfile");
  }

  /** TestIncludeWithExtends (§4.11): an included file whose service extends a sibling. */
  @Test
  void includeWithExtends_includedServiceExtendsItsSibling() {
    LoadedProject p =
        loadStdin(
            """
            name: test-include-with-extends
            include:
              - testdata/extends/nested.yaml
            """,
            loaderDir(),
            Map.of());
    assertThat(service(p, "with-build").build()).isNotNull();
    assertThat(service(p, "with-build").build().context()).isEqualTo(abs("testdata/extends"));
  }

  /**
   * §7.1: a long-syntax bind mapping defaults {@code create_host_path} to true; a long-syntax bind
   * without one has no bind options. §7.2: the written model loads back equal, {@code
   * create_host_path: false} and {@code required: false} included.
   */
  @Test
  void bindLongSyntax_createHostPathDefault_andFalseValuesSurviveAReload() {
    Path compose =
        write(
            tmp.resolve("compose.yaml"),
            """
            name: bind
            services:
              s:
                image: x
                volumes:
                  - {type: bind, source: /a, target: /a, bind: {create_host_path: false}}
                  - {type: bind, source: /b, target: /b, bind: {propagation: rshared}}
                  - {type: bind, source: /c, target: /c}
                env_file:
                  - path: ./missing.env
                    required: false
            """);
    Project first =
        ComposeLoader.load(ProjectOptions.of(List.of(compose), Map.of(), tmp)).project();
    List<VolumeMount> v = first.services().get("s").volumes();
    assertThat(v.get(0).bind()).isEqualTo(new BindOptions(null, false, null, null));
    assertThat(v.get(1).bind()).isEqualTo(new BindOptions("rshared", true, null, null));
    assertThat(v.get(2).bind()).isNull();

    Path out = write(tmp.resolve("out/compose.yaml"), ProjectWriter.yaml(first));
    Project second =
        ComposeLoader.load(ProjectOptions.of(List.of(out), Map.of(), tmp).withProjectDirectory(tmp))
            .project();
    assertThat(second).isEqualTo(first);
  }

  /** TestLoadWithLabelFile (§4.13), with the label files §0 says are missing. */
  @Test
  void loadWithLabelFile_serviceLabelsOverLabelFiles() {
    Path loader = ComposeGo.loaderCopyWithLabels(tmp);
    LoadedProject p =
        loadStdin(
            """
            name: load-label-file
            services:
              service_1:
                image: a
                label_file: ./example1.label
              service_2:
                image: b
                label_file:
                  - ./example2.label
            """,
            loader,
            Map.of());
    Service s1 = service(p, "service_1");
    assertThat(s1.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "BAR", "bar_from_label_file",
                "BAZ", "baz_from_label_file",
                "FOO", "foo_from_label_file",
                "LABEL.WITH.DOT", "ok",
                "LABEL_WITH_UNDERSCORE", "ok"));
    assertThat(s1.labelFile()).containsExactly(loader.resolve("example1.label").toString());
    Service s2 = service(p, "service_2");
    assertThat(s2.labels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("BAR", "bar_from_label_file_2", "QUX", "quz_from_label_file_2"));
    assertThat(s2.labelFile()).containsExactly(loader.resolve("example2.label").toString());
    assertThat(s1.environment()).isEmpty();
  }
}

package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.cliDir;
import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * compose-go {@code cli/options_test.go} on {@code cli/testdata} (notes §3): project name
 * precedence and validation, compose file discovery, {@code COMPOSE_FILE} and env files. The cwd is
 * {@code cli/}, as upstream's.
 */
class CliOptionsConformanceTest {
  private static final Path SIMPLE = Path.of("testdata/simple/compose.yaml");

  private static ProjectOptions options(List<Path> files, Map<String, String> env) {
    return ProjectOptions.of(files, env, cliDir());
  }

  private static ProjectOptions simple() {
    return options(List.of(SIMPLE), Map.of());
  }

  /** The loaded project's name, which {@link ComposeLoader#projectName} reads without loading. */
  private static String name(ProjectOptions options) {
    String loaded = ComposeLoader.load(options).project().name();
    assertThat(ComposeLoader.projectName(options)).isEqualTo(loaded);
    return loaded;
  }

  // TestProjectName (§3.1).

  @Test
  void byName() {
    assertThat(name(simple().withProjectName("my_project"))).isEqualTo("my_project");
  }

  @Test
  void byNameStartWithNumber() {
    assertThat(name(simple().withProjectName("42my_project_num"))).isEqualTo("42my_project_num");
    assertThat(name(options(List.of(SIMPLE), Map.of("COMPOSE_PROJECT_NAME", "42my_project_env"))))
        .isEqualTo("42my_project_env");
  }

  @Test
  void byNameEmpty_isTheComposeFileFolder() {
    assertThat(name(simple().withProjectName(""))).isEqualTo("simple");
  }

  @Test
  void byNameEmptyWorkingDir_isTheProjectDirectory() {
    assertThat(name(simple().withProjectName("").withProjectDirectory(Path.of("/path/to/proj"))))
        .isEqualTo("proj");
  }

  @Test
  void byNameMustNotComeFromRootDirectory() {
    assertLoadError(simple().withProjectDirectory(Path.of("/")))
        .contains("project name must not be empty");
    assertThatThrownBy(() -> ComposeLoader.projectName(simple().withProjectDirectory(Path.of("/"))))
        .isInstanceOf(ComposeException.class)
        .hasMessageContaining("project name must not be empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-my_project", "_my_project", "www.my.project", "MY_PROJECT"})
  void invalidNames_areRefused_givenOrFromTheEnvironment(String invalid) {
    String expected = "invalid project name \"" + invalid + "\"";
    // compose-go refuses -p when it builds the options; jstack when it loads them.
    assertLoadError(simple().withProjectName(invalid)).contains(expected);
    assertLoadError(options(List.of(SIMPLE), Map.of("COMPOSE_PROJECT_NAME", invalid)))
        .contains(expected);
  }

  @Test
  void byWorkingDir() {
    assertThat(name(simple().withProjectDirectory(Path.of(".")))).isEqualTo("cli");
  }

  @Test
  void byComposeFileParentDir() {
    assertThat(name(simple())).isEqualTo("simple");
  }

  @Test
  void byComposeFileParentDirSpecial_isNormalised() {
    assertThat(name(options(List.of(Path.of("testdata/UNNORMALIZED PATH/compose.yaml")), Map.of())))
        .isEqualTo("unnormalizedpath");
  }

  @Test
  void byComposeProjectNameEnv() {
    assertThat(
            name(options(List.of(SIMPLE), Map.of("COMPOSE_PROJECT_NAME", "my_project_from_env"))))
        .isEqualTo("my_project_from_env");
  }

  @Test
  void byDotEnv_whichAlsoNamesTheComposeFile() {
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(List.of(), Map.of(), cliDir().resolve("testdata/env-file")));
    assertThat(p.project().name()).isEqualTo("my_project_from_dot_env");
    assertThat(p.configFiles())
        .containsExactly(
            cliDir().resolve("testdata/env-file/compose-with-env-file.yaml").toString());
  }

  @Test
  void byNameInComposeYamlWithVariable() {
    assertThat(
            name(
                options(
                    List.of(Path.of("testdata/simple/compose-name.yaml")),
                    Map.of("TEST", "expected"))))
        .isEqualTo("test-expected-test");
  }

  @Test
  void explicitName_beatsEnvironment_whichBeatsTheFile() {
    ProjectOptions o =
        options(
            List.of(Path.of("testdata/simple/compose-name.yaml")),
            Map.of("TEST", "file", "COMPOSE_PROJECT_NAME", "from_env"));
    assertThat(name(o.withProjectName("from_flag"))).isEqualTo("from_flag");
    assertThat(name(o)).isEqualTo("from_env");
  }

  @Test
  void composeProjectName_isInTheInterpolationEnvironment_howeverTheNameIsGiven(@TempDir Path dir) {
    Path app = dir.resolve("My App");
    write(app.resolve("compose.yaml"), "services:\n  web:\n    image: ${COMPOSE_PROJECT_NAME}\n");
    write(app.resolve("named.yaml"), "name: from-file\nservices:\n  web:\n    image: x\n");
    ProjectOptions o = ProjectOptions.of(List.of(Path.of("compose.yaml")), Map.of(), app);
    assertThat(ComposeLoader.load(o).project().services().get("web").image()).isEqualTo("myapp");
    assertThat(
            ComposeLoader.load(
                    ProjectOptions.of(
                        List.of(Path.of("named.yaml"), Path.of("compose.yaml")), Map.of(), app))
                .project()
                .services()
                .get("web")
                .image())
        .isEqualTo("from-file");
    assertThat(
            ComposeLoader.load(o.withProjectName("flag")).project().services().get("web").image())
        .isEqualTo("flag");
  }

  @Test
  void projectNameFromWorkingDir_whenDotEnvIsNotLoaded() {
    // TestProjectNameFromWorkingDir loads no .env; COMPOSE_DISABLE_ENV_FILE is how one says so.
    assertThat(
            name(
                options(
                    List.of(Path.of("testdata/env-file/compose-with-env-file.yaml")),
                    Map.of("COMPOSE_DISABLE_ENV_FILE", "true"))))
        .isEqualTo("env-file");
  }

  // TestProjectFromSetOfFiles, TestProjectComposefiles* (§3.2) and default discovery (§3.0).

  @Test
  void projectFromSetOfFiles_laterFileReplacesTheImage() {
    Project p =
        ComposeLoader.load(
                options(
                        List.of(SIMPLE, Path.of("testdata/simple/compose-with-overrides.yaml")),
                        Map.of())
                    .withProjectName("my_project"))
            .project();
    assertThat(p.services().get("simple").image()).isEqualTo("haproxy");
  }

  @Test
  void projectComposefilesFromSetOfFiles_findsComposeYamlOnly() {
    LoadedProject p =
        ComposeLoader.load(
            options(List.of(), Map.of())
                .withProjectDirectory(Path.of("testdata/simple/"))
                .withProjectName("my_project"));
    assertThat(p.configFiles())
        .containsExactly(cliDir().resolve("testdata/simple/compose.yaml").toString());
  }

  @Test
  void projectComposefilesFromWorkingDir_areAbsoluteAndInOrder() {
    LoadedProject p =
        ComposeLoader.load(
            options(
                    List.of(SIMPLE, Path.of("testdata/simple/compose-with-overrides.yaml")),
                    Map.of())
                .withProjectName("my_project"));
    assertThat(p.configFiles())
        .containsExactly(
            cliDir().resolve("testdata/simple/compose.yaml").toString(),
            cliDir().resolve("testdata/simple/compose-with-overrides.yaml").toString());
  }

  @Test
  void discovery_looksInParentFolders(@TempDir Path dir) {
    write(dir.resolve("compose.yaml"), "services:\n  web:\n    image: nginx\n");
    Path deep = dir.resolve("a/b");
    write(deep.resolve("README"), "");
    LoadedProject p = ComposeLoader.load(ProjectOptions.of(List.of(), Map.of(), deep));
    assertThat(p.configFiles()).containsExactly(dir.resolve("compose.yaml").toString());
    assertThat(p.workingDirectory()).isEqualTo(dir);
  }

  @Test
  void discovery_prefersComposeYamlOverTheOtherNames(@TempDir Path dir) {
    for (String n : List.of("compose.yaml", "compose.yml", "docker-compose.yml")) {
      write(dir.resolve(n), "services:\n  web:\n    image: " + n.replace('.', '-') + "\n");
    }
    LoadedProject p = ComposeLoader.load(ProjectOptions.of(List.of(), Map.of(), dir));
    assertThat(p.configFiles()).containsExactly(dir.resolve("compose.yaml").toString());
  }

  @Test
  void discovery_addsTheFirstOverrideFile_whateverTheMainFileIsCalled(@TempDir Path dir) {
    write(dir.resolve("docker-compose.yml"), "services:\n  web:\n    image: nginx\n");
    write(dir.resolve("compose.override.yaml"), "services:\n  web:\n    image: yaml\n");
    write(dir.resolve("compose.override.yml"), "services:\n  web:\n    image: yml\n");
    write(dir.resolve("docker-compose.override.yml"), "services:\n  web:\n    image: docker\n");
    LoadedProject p = ComposeLoader.load(ProjectOptions.of(List.of(), Map.of(), dir));
    assertThat(p.configFiles())
        .containsExactly(
            dir.resolve("docker-compose.yml").toString(),
            dir.resolve("compose.override.yml").toString());
    assertThat(p.project().services().get("web").image()).isEqualTo("yml");
  }

  @Test
  void composeFileFromDotEnv_isRelativeToTheProjectDirectory(@TempDir Path dir) {
    write(dir.resolve("app/.env"), "COMPOSE_FILE=base.yaml:extra.yaml\n");
    write(dir.resolve("app/base.yaml"), "services:\n  web:\n    image: base\n");
    write(dir.resolve("app/extra.yaml"), "services:\n  web:\n    image: extra\n");
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(List.of(), Map.of(), dir).withProjectDirectory(Path.of("app")));
    assertThat(p.configFiles())
        .containsExactly(
            dir.resolve("app/base.yaml").toString(), dir.resolve("app/extra.yaml").toString());
    assertThat(p.project().services().get("web").image()).isEqualTo("extra");
  }

  // TestProjectWithDotEnv, TestProjectWithDiscardEnvFile, TestProjectWithMultipleEnvFile.

  @Test
  void projectWithDotEnv_interpolatesFromDotEnv() {
    Service s =
        ComposeLoader.load(
                ProjectOptions.of(
                        List.of(Path.of("compose-with-variables.yaml")),
                        Map.of(),
                        cliDir().resolve("testdata/simple"))
                    .withProjectName("my_project"))
            .project()
            .services()
            .get("simple");
    assertThat(s.ports().get(0).published()).isEqualTo("8000");
  }

  @Test
  void projectWithEnvFile_resolvesServiceEnvFileAndIgnoresVersion() {
    LoadedProject p =
        ComposeLoader.load(
            options(List.of(Path.of("testdata/env-file/compose-with-env-file.yaml")), Map.of()));
    Service s = p.project().services().get("simple");
    assertThat(s.environment()).containsEntry("DEFAULT_PORT", "8080");
    assertThat(s.ports().get(0).published()).isEqualTo("8000");
    assertThat(p.warnings()).anyMatch(w -> w.contains("`version` is obsolete"));
  }

  @Test
  void projectWithMultipleEnvFile_laterEnvFileWins() {
    LoadedProject p =
        ComposeLoader.load(
            options(List.of(Path.of("testdata/env-file/compose-with-env-files.yaml")), Map.of())
                .withEnvFiles(
                    List.of(
                        Path.of("testdata/env-file/.env"),
                        Path.of("testdata/env-file/override.env"))));
    Service s = p.project().services().get("simple");
    assertThat(s.environment()).containsEntry("DEFAULT_PORT", "9090");
    assertThat(s.ports().get(0).published()).isEqualTo("9000");
    assertThat(p.project().name()).isEqualTo("my_project_from_dot_env");
  }

  @Test
  void processEnvironment_beatsEnvFiles() {
    LoadedProject p =
        ComposeLoader.load(
            options(
                    List.of(Path.of("testdata/env-file/compose-with-env-files.yaml")),
                    Map.of("PORT", "7000"))
                .withEnvFiles(
                    List.of(
                        Path.of("testdata/env-file/.env"),
                        Path.of("testdata/env-file/override.env"))));
    assertThat(p.project().services().get("simple").ports().get(0).published()).isEqualTo("7000");
  }

  @Test
  void severalEnvFiles_readIntoOneMap_aLaterLineSeesTheLatestValue(@TempDir Path dir) {
    write(dir.resolve("a.env"), "X=from_a\nY=${X}\n");
    write(dir.resolve("b.env"), "X=from_b\nZ=${X}\n");
    write(dir.resolve("compose.yaml"), "services:\n  web:\n    image: ${Y}-${Z}\n");
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(List.of(Path.of("compose.yaml")), Map.of(), dir)
                .withEnvFiles(List.of(Path.of("a.env"), Path.of("b.env"))));
    assertThat(p.project().services().get("web").image()).isEqualTo("from_a-from_b");
  }

  @Test
  void disabledDotEnv_isNotRead() {
    LoadedProject p =
        ComposeLoader.load(
            ProjectOptions.of(
                    List.of(Path.of("compose-with-env-files.yaml")),
                    Map.of("COMPOSE_DISABLE_ENV_FILE", "true"),
                    cliDir().resolve("testdata/env-file"))
                .withProjectName("x"));
    assertThat(p.environment()).doesNotContainKey("PORT");
  }
}

package io.jstack.compose;

import static io.jstack.compose.ComposeGo.assertLoadError;
import static io.jstack.compose.ComposeGo.typesDir;
import static io.jstack.compose.ComposeGo.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose-go {@code TestProject_WithServicesEnvironmentResolved} on {@code types/fixtures} (notes
 * §5): how {@code env_file} and {@code environment} combine. Upstream builds the project in code;
 * here a small compose file gives the same services.
 */
class EnvFileResolutionConformanceTest {
  private static final Map<String, String> OS_ENV =
      Map.of("FOO", "FOO_from_os.env", "QIX", "QIX_from_os.env");

  @TempDir Path dir;

  private Map<String, Service> load(String services, Map<String, String> env) {
    Path compose =
        write(
            dir.resolve("compose.yaml"),
            "services:\n"
                + services.replace("{FIXTURES}", typesDir().resolve("fixtures").toString()));
    return ComposeLoader.load(ProjectOptions.of(List.of(compose), env, dir)).project().services();
  }

  private static Map<String, String> withNulls(Object... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (String) kv[i + 1]);
    }
    return m;
  }

  @Test
  void withServicesEnvironmentResolved_precedenceOfEnvironmentEnvFilesAndProjectEnv() {
    Map<String, Service> services =
        load(
            """
              base:
                image: base
                environment:
                  FOO: foo_from_environment
                  BAR: bar_from_environment
                  QIX:
                env_file:
                  - path: {FIXTURES}/base.env
                    required: false
              override:
                image: override
                environment:
                  FOO: foo_from_environment
                env_file:
                  - path: {FIXTURES}/base.env
                    required: false
                  - path: {FIXTURES}/override.env
                    required: false
            """,
            OS_ENV);
    assertThat(services.get("base").environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                // service.environment has precedence over env_file
                "FOO", "foo_from_environment",
                "BAR", "bar_from_environment",
                // a key without a value takes the project environment's
                "QIX", "QIX_from_os.env",
                "ZOT", "zot_from_base.env",
                // the project environment is preferred for interpolation
                "INTERPOLATED_FOO", "FOO_from_os.env",
                // then service.environment
                "INTERPOLATED_BAR", "bar_from_environment",
                // then what the env files set before
                "INTERPOLATED_ZOT", "zot_from_base.env"));
    assertThat(services.get("override").environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "FOO", "foo_from_environment",
                // a later env file overrides an earlier one
                "BAR", "bar_from_override.env",
                "ZOT", "zot_from_base.env",
                "INTERPOLATED_FOO", "FOO_from_os.env",
                // interpolation sees the value the later file just set
                "INTERPOLATED_BAR", "bar_from_override.env",
                "INTERPOLATED_ZOT", "zot_from_base.env"));
  }

  @Test
  void unresolvedBareKey_staysUnsetEvenWhenAnEnvFileSetsIt() {
    Map<String, Service> services =
        load(
            """
              web:
                image: web
                environment:
                  - ZOT
                  - NOPE
                env_file: {FIXTURES}/base.env
            """,
            Map.of());
    assertThat(services.get("web").environment())
        .containsEntry("ZOT", null)
        .containsEntry("NOPE", null)
        .containsEntry("BAR", "bar_from_base.env");
  }

  @Test
  void bareKey_takesTheProjectEnvironment() {
    Map<String, Service> services =
        load(
            """
              web:
                image: web
                environment: [ZOT]
                env_file: {FIXTURES}/base.env
            """,
            Map.of("ZOT", "zot_from_os"));
    assertThat(services.get("web").environment())
        .containsEntry("ZOT", "zot_from_os")
        .containsEntry("INTERPOLATED_ZOT", "zot_from_os");
  }

  @Test
  void missingEnvFile_skippedUnlessRequired() {
    Map<String, Service> services =
        load(
            """
              web:
                image: web
                env_file:
                  - path: {FIXTURES}/missing.env
                    required: false
                  - {FIXTURES}/override.env
            """,
            Map.of());
    assertThat(services.get("web").environment())
        .isEqualTo(
            withNulls(
                "FOO", "foo_from_override.env",
                "INTERPOLATED_FOO", "foo_from_override.env",
                "BAR", "bar_from_override.env",
                "INTERPOLATED_BAR", "bar_from_override.env"));

    write(
        dir.resolve("compose.yaml"),
        "services:\n  web:\n    image: web\n    env_file: ["
            + typesDir().resolve("fixtures/missing.env")
            + "]\n");
    assertLoadError(ProjectOptions.of(List.of(dir.resolve("compose.yaml")), Map.of(), dir))
        .contains("env file " + typesDir().resolve("fixtures/missing.env") + " not found");
  }
}

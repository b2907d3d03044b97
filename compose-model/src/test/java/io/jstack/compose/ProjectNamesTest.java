package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectNamesTest {

  @ParameterizedTest
  @CsvSource({
    "simple, simple",
    "My App, myapp",
    "UNNORMALIZED PATH, unnormalizedpath",
    "__-lead, lead",
    "a.b.c, abc",
    "under_score-dash, under_score-dash",
    "Ünïcödé, ncd",
  })
  void normalize_keepsOnlyValidCharacters(String raw, String expected) {
    assertThat(ProjectNames.normalize(raw)).isEqualTo(expected);
    assertThat(ProjectNames.isValid(expected)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"Upper, false", "-lead, false", "ok-1_2, true", "9lives, true", "a b, false"})
  void isValid_followsComposeRules(String name, boolean valid) {
    assertThat(ProjectNames.isValid(name)).isEqualTo(valid);
    assertThat(ProjectNames.problem(name).isEmpty()).isEqualTo(valid);
  }

  @org.junit.jupiter.api.Test
  void problem_suggestsTheNormalisedName() {
    assertThat(ProjectNames.problem("My App"))
        .contains("try \"myapp\"")
        .startsWith("invalid project name \"My App\": must consist only of lowercase alphanumeric");
    assertThat(ProjectNames.problem("")).isEqualTo("project name must not be empty");
  }
}

package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"..", "../../etc", "a/b", "/../x", "a\u0001b", "a\nb", "", "a", "-ab", ".ab"})
  void container_refusesWhatDockerRefuses(String name) {
    assertThatThrownBy(() -> Names.container(name))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageStartingWith("Invalid container name (")
        .hasMessageEndingWith("), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("\u0001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "web-1", "a.b_c-d", "/slashed"})
  void container_takesWhatDockerTakes_withoutTheLeadingSlash(String name) {
    assertThat(Names.container(name)).isEqualTo(name.replaceFirst("^/", ""));
    assertThat(Names.container("x".repeat(300))).hasSize(300);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../../etc", "a/b", "a\u0001b", "", ".ab"})
  void volume_refusesWithDockersMessage(String name) {
    assertThatThrownBy(() -> Names.volume(name))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageEndingWith(
            "includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\""
                + " are allowed. If you intended to pass a host directory, use absolute path")
        .hasMessageNotContaining("\u0001");
    assertThat(Names.isVolume(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 256, 300})
  void volume_tooShortOrTooLongForADirectory(int length) {
    String name = "v".repeat(length);
    assertThatThrownBy(() -> Names.volume(name))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageContaining(length == 1 ? "too short" : "too long");
    assertThat(Names.isVolume(name)).isFalse();
    assertThat(Names.volume("v".repeat(255))).hasSize(255);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../../etc", "a/b", "a\u0001b", "a b", ""})
  void network_refusesWhatCouldNameAPath(String name) {
    assertThatThrownBy(() -> Names.network(name))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessageNotContaining("\u0001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "default", "proj_default", "x.y-z"})
  void network_takesNamesOfOneOrMoreAllowedCharacters(String name) {
    assertThat(Names.network(name)).isEqualTo(name);
    assertThat(Names.network("n".repeat(300))).hasSize(300);
  }
}

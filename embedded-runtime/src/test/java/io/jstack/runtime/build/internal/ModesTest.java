package io.jstack.runtime.build.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code --chmod} as BuildKit's frontend reads it (dockerfile2llb/convert_copy.go: octal up to
 * 07777, else BSD setmode's symbolic modes, as its frontend test testCopyChmodText in
 * frontend/dockerfile/dockerfile_test.go uses them).
 */
class ModesTest {
  @Test
  void octal_replacesTheMode() {
    assertThat(Modes.apply("0755", 0600, false)).isEqualTo(0755);
    assertThat(Modes.apply("4755", 0600, false)).isEqualTo(04755);
    assertThat(Modes.apply("640", 0777, true)).isEqualTo(0640);
  }

  @Test
  void octal_above07777_isRefusedWithBuildKitsMessage() {
    assertThatThrownBy(() -> Modes.check("17777"))
        .hasMessage(
            "invalid chmod parameter: '17777'. it should be octal string and between 0 and 07777");
    assertThatThrownBy(() -> Modes.check("0789")).hasMessageContaining("it should be octal string");
  }

  @Test
  void symbolic_changesTheFilesOwnMode() {
    assertThat(Modes.apply("u+x", 0644, false)).isEqualTo(0744);
    assertThat(Modes.apply("go-w", 0666, false)).isEqualTo(0644);
    assertThat(Modes.apply("+x", 0600, false)).isEqualTo(0711);
    assertThat(Modes.apply("a=r", 0755, false)).isEqualTo(0444);
    assertThat(Modes.apply("u=rwx,g=rx,o=", 0600, false)).isEqualTo(0750);
    assertThat(Modes.apply("o=u", 0750, false)).isEqualTo(0757);
    assertThat(Modes.apply("u+s,+t", 0755, false)).isEqualTo(05755);
  }

  @Test
  void capitalX_setsExecuteOnDirectoriesAndExecutablesOnly() {
    assertThat(Modes.apply("a+X", 0600, false)).isEqualTo(0600);
    assertThat(Modes.apply("a+X", 0700, false)).isEqualTo(0711);
    assertThat(Modes.apply("a+X", 0700, true)).isEqualTo(0711);
    assertThat(Modes.apply("a+X", 0600, true)).isEqualTo(0711);
  }

  @Test
  void garbage_isRefused_namingTheValue() {
    assertThatThrownBy(() -> Modes.check("u+q")).hasMessageContaining("'u+q'");
    assertThatThrownBy(() -> Modes.check("rwx")).hasMessageContaining("'rwx'");
    assertThatThrownBy(() -> Modes.check("u")).hasMessageContaining("'u'");
  }
}

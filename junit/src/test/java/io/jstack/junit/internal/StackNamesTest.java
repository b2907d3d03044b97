package io.jstack.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackNamesTest {
  @Test
  void unique_differsPerStack_andNamesThisJvm() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      names.add(StackNames.unique("Hello App"));
    }
    assertThat(names).hasSize(100);
    assertThat(names)
        .allMatch(
            n -> n.matches("hello-app-" + ProcessHandle.current().pid() + "[0-9a-f]{4}-\\d+"));
  }

  @Test
  void reused_isStable_andRecognised() {
    String key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    assertThat(StackNames.reused("hello", key)).isEqualTo("hello-reuse-0123456789ab");
    assertThat(StackNames.isReuseOf("hello-reuse-0123456789ab", "hello")).isTrue();
    assertThat(StackNames.isReuseOf("hello-reuse-0123", "hello")).isFalse();
    assertThat(StackNames.isReuseOf("other-reuse-0123456789ab", "hello")).isFalse();
  }

  @Test
  void reuse_neverUnderCi() {
    assertThat(StackStarter.reuseAllowed(true, Map.of())).isTrue();
    assertThat(StackStarter.reuseAllowed(true, Map.of("CI", "true"))).isFalse();
    assertThat(StackStarter.reuseAllowed(true, Map.of("CI", "TRUE"))).isFalse();
    assertThat(StackStarter.reuseAllowed(false, Map.of())).isFalse();
  }
}

package io.jstack.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {

  @Test
  void of_putsDependenciesFirstAndBreaksTiesByName() {
    var order =
        DependencyOrder.of(
            Map.of(
                "web", Set.of("db", "cache"),
                "db", Set.of(),
                "cache", Set.of(),
                "worker", Set.of("db"),
                "app", Set.of()));
    assertThat(order).containsExactly("app", "cache", "db", "web", "worker");
  }

  @Test
  void of_namesTheCycle() {
    assertThatThrownBy(
            () -> DependencyOrder.of(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"))))
        .isInstanceOf(PlanException.class)
        .hasMessage("dependency cycle: a -> b -> c -> a");
  }

  @Test
  void of_namesAMissingDependency() {
    assertThatThrownBy(() -> DependencyOrder.of(Map.of("web", Set.of("db"))))
        .hasMessageContaining("service \"web\" depends on undefined service \"db\"");
  }
}

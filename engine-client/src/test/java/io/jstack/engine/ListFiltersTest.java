package io.jstack.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListFiltersTest {
  @Test
  void parse_readsKeyEqualsValue_theValueMayHoldMoreEquals() {
    ListFilters f = ListFilters.parse(List.of("label=a=b", "label=c", "dangling=true"));

    assertThat(f.values())
        .containsExactly(
            Map.entry("dangling", List.of("true")), Map.entry("label", List.of("a=b", "c")));
    assertThatThrownBy(() -> ListFilters.parse(List.of("dangling")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bad format of filter 'dangling': write it as key=value, e.g. label=com.example=1");
  }

  @Test
  void labelsMatch_everyLabelAndNoneOfLabelNot_asDocker() {
    ListFilters f = ListFilters.parse(List.of("label=app", "label=tier=back", "label!=old"));

    assertThat(f.labelsMatch(Map.of("app", "x", "tier", "back"))).isTrue();
    assertThat(f.labelsMatch(Map.of("app", "x", "tier", "front"))).isFalse();
    assertThat(f.labelsMatch(Map.of("tier", "back"))).isFalse();
    assertThat(f.labelsMatch(Map.of("app", "x", "tier", "back", "old", ""))).isFalse();
    assertThat(ListFilters.none().labelsMatch(Map.of())).isTrue();
  }

  @Test
  void requireOnlyAndBool_refuseWhatDockerRefuses() {
    ListFilters f = ListFilters.parse(List.of("dangling=1", "colour=red"));

    assertThat(f.bool("dangling")).contains(true);
    assertThat(f.bool("all")).isEmpty();
    assertThat(f.anyOrNone("name", n -> false)).isTrue();
    assertThat(f.anyOrNone("colour", "red"::equals)).isTrue();
    assertThatThrownBy(() -> f.requireOnly("volumes", "dangling", "name"))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessage("invalid filter 'colour' for volumes: use dangling, name");
    assertThatThrownBy(() -> ListFilters.parse(List.of("dangling=maybe")).bool("dangling"))
        .isInstanceOf(EngineException.InvalidArgument.class)
        .hasMessage("invalid filter 'dangling=maybe': use true or false");
  }
}

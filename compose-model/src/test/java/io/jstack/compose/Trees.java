package io.jstack.compose;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Plain trees (maps, lists, strings, numbers) to compare a model with expected YAML: both sides go
 * through the same YAML parser, so numbers and nulls compare alike and AssertJ shows a diff.
 */
final class Trees {
  private Trees() {}

  /** The plain tree of a model record or collection, as {@link ProjectWriter} writes it. */
  static Object of(Object model) {
    return parse(ProjectWriter.yaml(model, false));
  }

  /** The plain tree of YAML text. */
  static Object parse(String yaml) {
    return new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }
}

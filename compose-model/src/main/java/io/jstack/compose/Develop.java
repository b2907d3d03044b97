package io.jstack.compose;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Development settings ({@code develop:}): files to watch. */
public record Develop(List<Watch> watch) {

  /** One watch rule. */
  public record Watch(
      List<String> ignore,
      List<String> include,
      @Nullable String path,
      @Nullable String action,
      @Nullable String target,
      @Nullable Hook exec,
      boolean initialSync) {}
}

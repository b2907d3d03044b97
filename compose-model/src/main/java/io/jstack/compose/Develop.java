package io.jstack.compose;

import java.util.List;

/** Development settings ({@code develop:}): files to watch. */
public record Develop(List<Watch> watch) {

  /** One watch rule. */
  public record Watch(
      List<String> ignore,
      List<String> include,
      String path,
      String action,
      String target,
      Hook exec,
      boolean initialSync) {}
}

package io.jstack.compose;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A compose file, or the options that select one, cannot be loaded. The message is one line: where
 * ({@code file:line:col}), what (the YAML path), what failed, and what to do.
 */
public class ComposeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable SourceLocation location;
  private final String yamlPath;
  private final String problem;

  /**
   * An error at {@code location} (may be {@code null}) in the node at {@code yamlPath} (may be
   * empty).
   */
  public ComposeException(
      @Nullable SourceLocation location, @Nullable String yamlPath, String problem) {
    super(render(location, yamlPath, problem));
    this.location = location;
    this.yamlPath = yamlPath == null ? "" : yamlPath;
    this.problem = problem;
  }

  /** An error that belongs to no particular place in a file. */
  public ComposeException(String problem) {
    this(null, "", problem);
  }

  /** Where the error is, when it belongs to a place in a file. */
  public Optional<SourceLocation> location() {
    return Optional.ofNullable(location);
  }

  /** The YAML path of the offending node, e.g. {@code services.web.ports[0]}; may be empty. */
  public String yamlPath() {
    return yamlPath;
  }

  /** The message without location and path. */
  public String problem() {
    return problem;
  }

  private static String render(
      @Nullable SourceLocation location, @Nullable String yamlPath, String problem) {
    StringBuilder sb = new StringBuilder();
    if (location != null) {
      sb.append(location).append(": ");
    }
    if (yamlPath != null && !yamlPath.isEmpty()) {
      sb.append(yamlPath).append(": ");
    }
    // Keys and values quoted in a message may hold line breaks; the message stays on one line.
    return sb.append(problem).toString().replace("\r", "\\r").replace("\n", "\\n");
  }
}

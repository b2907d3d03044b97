package io.jstack.engine;

import org.jspecify.annotations.Nullable;

/** An engine failed, or cannot be reached; the message says what failed and what to do. */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The resource does not exist. */
  public static class NotFound extends EngineException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(message);
    }
  }

  /** The name is taken, or the resource is in a state that forbids the operation. */
  public static class Conflict extends EngineException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
      super(message);
    }

    /**
     * Whether it says the container is being removed already (dockerd's "removal of container … is
     * already in progress", for one that removes itself): gone, for whoever meant to remove it.
     */
    public boolean removalInProgress() {
      String m = getMessage();
      return m != null && m.contains("is already in progress");
    }
  }

  /** The request names or holds something the engine refuses as given (a bad name, a bad value). */
  public static class InvalidArgument extends EngineException {
    private static final long serialVersionUID = 1L;

    public InvalidArgument(String message) {
      super(message);
    }
  }

  /** A registry (or the engine) refused the credentials given, or wants some. */
  public static class Unauthorized extends EngineException {
    private static final long serialVersionUID = 1L;

    public Unauthorized(String message) {
      super(message);
    }
  }
}

package io.jstack.runtime.build;

/**
 * A Dockerfile (or a .dockerignore file) cannot be read; the message is one line, {@code
 * Dockerfile:LINE: what is wrong; what to do}, built here so that tests can assert it.
 */
public final class DockerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String problem;
  private final String fix;

  public DockerfileException(String file, int line, String problem, String fix) {
    super(file + ":" + line + ": " + problem + "; " + fix);
    this.file = file;
    this.line = line;
    this.problem = problem;
    this.fix = fix;
  }

  /** An error in the Dockerfile at {@code line} (1-based). */
  public static DockerfileException at(int line, String problem, String fix) {
    return new DockerfileException("Dockerfile", line, problem, fix);
  }

  /** The file's name as shown in the message: {@code Dockerfile} or {@code .dockerignore}. */
  public String file() {
    return file;
  }

  /** The 1-based line the error is on. */
  public int line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** What to do about it. */
  public String fix() {
    return fix;
  }
}

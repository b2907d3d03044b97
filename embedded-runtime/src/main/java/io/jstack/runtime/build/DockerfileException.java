package io.jstack.runtime.build;

import io.jstack.engine.docker.DockerIgnore;

/**
 * A Dockerfile (or a .dockerignore file) cannot be read; the message is one line, {@code
 * Dockerfile:LINE: what is wrong; what to do}, built here so that tests can assert it. The builder
 * raises it in {@code Dockerfile}; a build from another file ({@code -f Dockerfile.bad}) names that
 * file instead ({@link #in}), as BuildKit does.
 */
public final class DockerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How jstack's client names a Dockerfile it sends in the context: this, then its name. */
  public static final String INLINE = ".jstack-inline.";

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

  /**
   * A malformed pattern of an ignore file ({@code .dockerignore}, {@code
   * app.Dockerfile.dockerignore}) or of {@code COPY --exclude}, at its file and line.
   */
  public static DockerfileException of(DockerIgnore.PatternException e) {
    DockerfileException d = new DockerfileException(e.file(), e.line(), e.problem(), e.fix());
    d.initCause(e);
    return d;
  }

  /**
   * The name a build's errors give its Dockerfile at {@code path} (relative to the context), as
   * BuildKit names it: the base name, since both the 20.10 client's BuildKit path and buildx send
   * the file's directory as the {@code dockerfile} source and its base name as the frontend's
   * {@code filename} (buildx {@code build/build.go}, {@code LoadInputs}), which names the file in
   * its errors ({@code Dockerfile.bad:2}). A file a client put in the context under a name of its
   * own is named as BuildKit would name it: jstack's {@code .jstack-inline.NAME} (a Dockerfile
   * outside the context, or compose's {@code dockerfile_inline} as {@code
   * .jstack-inline.Dockerfile}) is {@code NAME}; the docker CLI's {@code .dockerfile.RANDOM} (a
   * Dockerfile outside the context, whose name it does not send) is {@code Dockerfile}.
   */
  public static String nameOf(String path) {
    String base = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    if (base.startsWith(INLINE) && base.length() > INLINE.length()) {
      return base.substring(INLINE.length());
    }
    if (base.isEmpty() || base.startsWith(".dockerfile.")) {
      return "Dockerfile";
    }
    return base;
  }

  /**
   * This error as one of the Dockerfile named {@code name} ({@link #nameOf}): the same line,
   * problem and fix. An error of another file (a .dockerignore) stays as it is.
   */
  public DockerfileException in(String name) {
    if (!file.equals("Dockerfile") || name.equals(file)) {
      return this;
    }
    DockerfileException renamed = new DockerfileException(name, line, problem, fix);
    renamed.initCause(this);
    return renamed;
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

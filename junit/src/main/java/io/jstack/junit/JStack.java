package io.jstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a compose stack for a test class: started before its tests (once per {@link #scope()}),
 * healthy before the first one, injected as {@link Stack} or as an {@link Endpoint} with {@link
 * ServicePort} into parameters and fields, its services' logs written under {@code
 * target/jstack-logs/} when a test fails, and taken down with its volumes at the end.
 *
 * <pre>{@code
 * @JStack(file = "../examples/hello/compose.yaml", scope = JStack.Scope.SUITE,
 *     waits = @WaitFor(service = "web", httpPort = 8080, path = "/"))
 * class HelloIT {
 *   @ServicePort(service = "web", port = 8080) Endpoint web;
 *   @Test void serves(Stack stack) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(JStackExtension.class)
public @interface JStack {
  /** The compose files, relative to the working directory (the module's, under Maven). */
  String[] file();

  /** How long a stack lives. */
  Scope scope() default Scope.CLASS;

  /** Profiles to activate. */
  String[] profiles() default {};

  /** {@code NAME=VALUE} variables for interpolation, over the process environment. */
  String[] env() default {};

  /** The base of the project name; empty: the name Compose gives the files. */
  String name() default "";

  /** The engine to run on. */
  StackEngine engine() default StackEngine.AUTO;

  /** Publish fixed host ports of the files on free ports instead ({@link StackSpec#freePorts}). */
  boolean freePorts() default true;

  /**
   * Keep the stack for the next local run with the same model (never under {@code CI=true}); also
   * on for every stack when {@code -Djstack.reuse=true} or {@code JSTACK_REUSE=true}.
   */
  boolean reuse() default false;

  /** Checks run after the healthchecks passed. */
  WaitFor[] waits() default {};

  /** How long starting may take, in seconds. */
  int timeoutSeconds() default 120;

  /** How long a stack lives. */
  enum Scope {
    /** A stack per test method. */
    METHOD,
    /** A stack per test class. */
    CLASS,
    /**
     * One stack per JVM for every class naming the same files and options, taken down when the test
     * run ends.
     */
    SUITE
  }
}

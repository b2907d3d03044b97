package io.jstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link Wait} declared in {@link JStack#waits()}: set exactly one of {@link #port()}, {@link
 * #logLine()} or {@link #httpPort()} (with {@link #path()}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface WaitFor {
  /** The service it checks. */
  String service();

  /** A container port whose published port must accept connections. */
  int port() default 0;

  /** A regular expression a line of the service's output must match. */
  String logLine() default "";

  /** A container port that must answer {@code GET} {@link #path()} with 2xx. */
  int httpPort() default 0;

  /** The path of the HTTP wait. */
  String path() default "/";
}

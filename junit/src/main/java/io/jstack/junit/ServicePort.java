package io.jstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects where {@code port} of {@code service} is published, into an {@link Endpoint} field or
 * parameter of a {@link JStack} test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface ServicePort {
  /** The service. */
  String service();

  /** Its container port (tcp). */
  int port();
}

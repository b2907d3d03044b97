package io.jstack.junit;

import io.jstack.junit.internal.EngineCondition;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated class or method only where a stack can run: Docker answers, or (for the
 * embedded engine) its socket answers or this JVM may start it (root, with runc installed). For
 * users' suites that must pass on machines without an engine; jstack's own tests never skip.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(EngineCondition.class)
public @interface EnabledIfEngine {
  /** The engine that must be usable. */
  StackEngine value() default StackEngine.AUTO;
}

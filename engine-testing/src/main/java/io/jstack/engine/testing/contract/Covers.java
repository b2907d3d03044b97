package io.jstack.engine.testing.contract;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link io.jstack.engine.Engine} methods a contract scenario exercises, by {@link
 * EngineMethods#key} ({@code createContainer}; an overloaded method with its parameter types, e.g.
 * {@code exec(String,ExecSpec,Stdio)}). The suite checks both ways: every method is named by some
 * scenario, and a scenario that passes has called every method it names.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
  String[] value();
}

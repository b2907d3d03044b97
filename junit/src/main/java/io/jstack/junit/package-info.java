/**
 * Compose stacks in Java test suites: {@link io.jstack.junit.StackSpec} loads and starts a stack on
 * the embedded engine or Docker and hands back a {@link io.jstack.junit.Stack}; {@link
 * io.jstack.junit.JStack} does the same for JUnit 5 test classes, per method, class or suite.
 */
package io.jstack.junit;

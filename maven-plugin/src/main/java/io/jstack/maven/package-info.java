/**
 * The jstack Maven plugin: {@code jstack:up} brings a compose stack up before the integration tests
 * and hands it to every Failsafe fork ({@link io.jstack.junit.SharedStacks}), exporting its
 * endpoints as Maven properties; {@code jstack:down} takes it down after them, keeping every
 * service's logs when a test failed.
 */
package io.jstack.maven;

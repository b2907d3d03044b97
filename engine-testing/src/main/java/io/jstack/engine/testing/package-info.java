/**
 * Test doubles of the engine SPI, for tests of code that drives an {@link io.jstack.engine.Engine}:
 * {@link io.jstack.engine.testing.FakeEngine}, an in-memory engine as strict as Docker, with the
 * clocks its timed behaviour runs on ({@link io.jstack.engine.testing.ManualClock} for
 * deterministic tests), and {@link io.jstack.engine.testing.ForwardingEngine}, the base of test
 * wrappers around another engine. Shipped as main code of the {@code engine-testing} module so that
 * every module's tests share them; no production module depends on it.
 */
package io.jstack.engine.testing;

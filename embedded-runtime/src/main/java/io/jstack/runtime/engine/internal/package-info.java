/**
 * Helpers of the engine's core that nothing outside it uses (Archives: a path in a container as a
 * tar stream).
 */
package io.jstack.runtime.engine.internal;

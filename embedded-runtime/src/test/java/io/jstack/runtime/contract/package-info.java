/**
 * The engine contract suite ({@link io.jstack.engine.testing.contract.EngineContract}) on jstack's
 * embedded engine, with the list of what it is known to do otherwise than dockerd.
 */
package io.jstack.runtime.contract;

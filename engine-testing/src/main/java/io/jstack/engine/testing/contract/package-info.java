/**
 * The {@link io.jstack.engine.Engine} contract suite: {@link
 * io.jstack.engine.testing.contract.EngineContract}, the scenarios every engine must agree on
 * (dockerd's answers are the reference), run on the fake engine, on dockerd and on jstack's
 * embedded engine by a subclass each; with what it stands on: a recording proxy that proves every
 * Engine method is exercised, names and clean-up per run, and the programs its containers run.
 */
package io.jstack.engine.testing.contract;

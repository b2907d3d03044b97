package io.jstack.engine.testing.contract;

import io.jstack.engine.Engine;

/**
 * What every {@link Engine} does alike: the scenarios below, run against each engine by a subclass
 * that says how to start it (the fake in a unit test; dockerd and jstack's embedded engine in
 * integration tests). dockerd, through {@code DockerEngine}, is the reference: a scenario states
 * what it does.
 *
 * <p>Each scenario names the {@link Engine} methods it exercises ({@link Covers}); the suite fails
 * if a method of {@link Engine} is named by none, if a passing scenario did not call one it names,
 * or if, at the end, a method was never called on the engine. The engine is called through a
 * recording proxy ({@link RecordingEngine}) to know. Every container, network and volume a scenario
 * creates carries a label of the run and a name of its own, and all of it is removed after each
 * scenario, whether it passed or not; the suite fails if anything of the run is left at the end.
 *
 * <p>An engine known to differ lists the scenarios it fails in {@link #knownDifferences()}, each
 * with why: such a scenario still runs and must fail (so that a fix shows), and the methods only it
 * covers are not required of that engine.
 *
 * <p>The scenarios are grouped by concern in this class's superclasses: {@link ContainerScenarios},
 * {@link ProcessScenarios}, {@link NetworkAndVolumeScenarios} and {@link ImageAndEventScenarios},
 * over {@link ContractFixture}. To run the suite on an engine, extend this class: {@link
 * #startEngine()} and {@link #registryHost()} at least.
 */
public abstract class EngineContract extends ImageAndEventScenarios {}

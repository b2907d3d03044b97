/**
 * The engine SPI the planner programs against (Engine), its value types (ContainerSpec,
 * ContainerInfo, ...), Docker's name rules (Names) and the engine exception family (EngineException
 * and its typed kinds).
 */
package io.jstack.engine;

/**
 * The embedded engine's Docker Engine API: the only server-side package that sees Docker's JSON.
 * {@link io.jstack.runtime.api.EngineServer} owns the socket; {@code Router} holds the route table;
 * one {@code *Routes} class per resource turns requests into calls on the engine's own types and
 * renders the answers, over the narrow service interface it needs ({@code ContainerService}, {@code
 * ImageService}, ...; {@code EngineBackend} is the engine behind them all, and route tests put
 * fakes there); {@code ApiErrors} maps the engine's typed failures to statuses in one place.
 * Uploads ({@code images/load}, {@code containers/{id}/archive}) are read as they arrive, with
 * bounded memory.
 */
package io.jstack.runtime.api;

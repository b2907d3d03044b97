/**
 * The embedded engine's core: containers as records on disk, their lifecycle, supervision (restart
 * policies, healthchecks), volumes, and the wiring of images, networks and published ports.
 */
package io.jstack.runtime.engine;

/**
 * The loading pipeline: find and read the files, include and extends, interpolate, merge,
 * normalise, apply profiles, then validate the bound project; Canonical prints it as docker compose
 * config does.
 */
package io.jstack.compose.internal.load;

/**
 * Docker API clients nobody here wrote (docker-java, Testcontainers) against the embedded engine's
 * socket and, with the same assertions, against dockerd.
 */
package io.jstack.runtime.clients;

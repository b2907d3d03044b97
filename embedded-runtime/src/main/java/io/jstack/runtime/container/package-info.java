/**
 * Containers as processes: OCI bundles run by runc (Runc) under conmon (Conmon), their lifecycle
 * and state (Containers), exec, terminal sizes, signals, cgroup usage, and the runtime tools this
 * host has (RuntimeTools).
 */
package io.jstack.runtime.container;

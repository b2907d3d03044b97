/**
 * Containers as processes: OCI bundles run by runc under conmon (Containers), exec, terminal sizes,
 * signals, cgroup usage, and the runtime tools this host has (RuntimeTools).
 */
package io.jstack.runtime.container;

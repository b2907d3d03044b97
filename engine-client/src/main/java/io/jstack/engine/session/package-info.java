/**
 * Crash safety for the Compose projects a JVM brings up (SessionGuard): sessions held by the
 * embedded engine or by a watchdog process (SessionHost), recorded on disk (SessionRecords) so that
 * a later start sweeps what dead owners left, and the removal of a project by its label alone
 * (ProjectRemoval).
 */
package io.jstack.engine.session;

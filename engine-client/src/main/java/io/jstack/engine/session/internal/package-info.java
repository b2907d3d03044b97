/** The Docker side of a session guard: the watchdog process's main class. */
package io.jstack.engine.session.internal;

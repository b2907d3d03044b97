/**
 * What the commands share: which engine to use and how the embedded one is started (Engines,
 * EngineProcess), errors as one line with an exit code, progress views, log printing, tables,
 * terminals.
 */
package io.jstack.cli.internal;

/**
 * What the commands share: errors as one line with an exit code, progress views, log printing,
 * tables, terminals. Which engine to use and how the embedded one is started are in
 * embedded-runtime ({@code io.jstack.runtime.Engines}), shared with the Java API.
 */
package io.jstack.cli.internal;

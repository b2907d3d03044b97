/**
 * The jstack command (picocli): one thin class per verb that parses, delegates to the library and
 * renders; Jstack holds the global options and exit codes.
 */
package io.jstack.cli;

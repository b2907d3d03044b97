/**
 * Parsers of Compose's short syntaxes: ports, volumes, durations, byte sizes, extra hosts, shell
 * words.
 */
package io.jstack.compose.internal.syntax;

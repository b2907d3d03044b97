/**
 * YAML 1.2 read with SnakeYAML Engine into YNode trees that keep each node's file, line and column;
 * the only place that sees raw YAML.
 */
package io.jstack.compose.internal.yaml;

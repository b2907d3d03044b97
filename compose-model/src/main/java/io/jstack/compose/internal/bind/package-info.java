/**
 * Binding YAML trees to the model's records by their shape (RecordShape, Binder), with YAML paths
 * for errors (PathNames) and suggestions for misspelt keys.
 */
package io.jstack.compose.internal.bind;

/**
 * The compose model's API: load Compose files (ComposeLoader with ProjectOptions) into typed,
 * validated, immutable records (Project, Service and the rest), with every error a ComposeException
 * naming file:line:col and the YAML path. Nothing after the loader sees untyped YAML.
 */
package io.jstack.compose;

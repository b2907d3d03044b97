/**
 * Variable substitution as Compose does it: .env files (DotEnv) and ${VAR} templates with their
 * modifiers (Template).
 */
package io.jstack.compose.internal.interpolation;

/**
 * The Engine SPI over Docker's Engine API (DockerEngine): the only client-side package that sees
 * Docker's JSON.
 */
package io.jstack.engine.docker;

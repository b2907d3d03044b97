/**
 * The Engine SPI over Docker's Engine API (DockerEngine), over one package-private class per
 * resource of the API (containers, attached processes, images and builds, networks, volumes,
 * events) and the API's transport and JSON (DockerApi): the only client-side package that sees
 * Docker's JSON.
 */
package io.jstack.engine.docker;

/**
 * The Engine SPI over Docker's Engine API (DockerEngine), over one package-private class per
 * resource of the API (containers, attached processes, images and builds, networks, volumes,
 * events) and the API's transport and JSON (DockerApi): the only client-side package that sees
 * Docker's JSON. Also Docker's .dockerignore rules (DockerIgnore over PatternMatcher, with Go's
 * path cleaning in GoPaths), the one implementation the build context sent here, the embedded
 * builder and compose's watch rules share.
 */
package io.jstack.engine.docker;

/**
 * Images and a registry for integration tests: {@link io.jstack.engine.testing.image.TestImages}
 * builds small images from Debian's busybox-static (OCI layouts, layers), and {@link
 * io.jstack.engine.testing.image.LocalRegistry} runs Debian's docker-registry on 127.0.0.1 to push
 * them to and pull them from.
 */
package io.jstack.engine.testing.image;

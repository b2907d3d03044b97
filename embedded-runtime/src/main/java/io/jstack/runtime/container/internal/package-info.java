/**
 * The OCI runtime spec of a bundle (OciSpec), host limits, users and groups of an image, and root
 * file system paths that may not leave the root.
 */
package io.jstack.runtime.container.internal;

/**
 * The image store (verified blobs, unpacked layers, tags), the registry client (pull, push, token
 * auth) and image archives (docker save and OCI layouts).
 */
package io.jstack.runtime.image;

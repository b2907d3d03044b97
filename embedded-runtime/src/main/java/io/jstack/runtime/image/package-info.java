/**
 * The image store (verified blobs, unpacked layers, tags), the registry client (pull and push, with
 * its manifest and blob transfers, HTTP and token auth) and image archives (docker save and OCI
 * layouts).
 */
package io.jstack.runtime.image;

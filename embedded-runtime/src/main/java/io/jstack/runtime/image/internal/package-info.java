/**
 * Safe layer unpacking (LayerUnpacker, TarReader: no path leaves the layer, whiteouts, limits),
 * digests and file locks of the store.
 */
package io.jstack.runtime.image.internal;

/**
 * Low-level helpers the whole engine shares: child processes that depend on no caller (Children),
 * daemon threads, native file system calls, pseudo-terminals, seqpacket sockets.
 */
package io.jstack.runtime.internal;

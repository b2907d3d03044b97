/**
 * HTTP/1.1 over a unix socket or TCP behind a one-method transport (HttpTransport), with Netty's
 * implementation; proven by one contract test.
 */
package io.jstack.engine.http;

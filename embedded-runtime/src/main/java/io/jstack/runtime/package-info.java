/**
 * jstack's embedded, daemonless engine; DataRoot says where its state lives. Below it: the API
 * server (api), the engine's core (engine), images (image), containers under runc and conmon
 * (container) and bridge networks (network).
 */
package io.jstack.runtime;

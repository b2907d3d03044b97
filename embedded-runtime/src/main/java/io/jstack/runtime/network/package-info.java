/**
 * Bridge networks: address management (Ipam, Subnet), bridges, namespaces and veths (Plumbing),
 * jstack's iptables chains (Firewall), the networks' DNS (DnsServer) and published ports
 * (PortProxy).
 */
package io.jstack.runtime.network;

/**
 * The IPv4 stack: {@link org.devrt.network.internal.stack.Stack} (driven by {@code poll(now)}), its receive and send
 * paths ({@code IpInput}, {@code IpOutput}), routes, fragment reassembly, UDP and echo sockets; in the runtime
 * {@link org.devrt.network.internal.stack.StackThread} polls it and
 * {@link org.devrt.network.internal.stack.NetworkStackComponent} turns NetworkDevice services into interfaces,
 * configured by {@link org.devrt.network.internal.stack.InterfaceConfigComponent}. Reading order for a newcomer: the
 * component, then {@code Stack.poll}, then {@code IpInput.input}.
 */
package org.devrt.network.internal.stack;

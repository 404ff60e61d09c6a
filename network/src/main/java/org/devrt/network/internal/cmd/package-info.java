/**
 * Shell commands in Linux's formats: {@code ifconfig}, {@code arp}, {@code ping}, {@code netstat}, {@code udpsend},
 * {@code udplisten} (Gogo functions of {@link org.devrt.network.internal.cmd.NetworkCommands}), and the {@code ip}
 * objects {@code addr}, {@code route}, {@code neigh} ({@link org.devrt.network.internal.cmd.IpObject}), which the
 * {@code ip} command dispatches to.
 */
package org.devrt.network.internal.cmd;

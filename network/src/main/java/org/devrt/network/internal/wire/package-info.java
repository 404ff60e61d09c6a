/**
 * Wire formats, one class per protocol (as smoltcp's {@code src/wire}): {@link org.devrt.network.internal.wire.Ethernet},
 * {@link org.devrt.network.internal.wire.Arp}, {@link org.devrt.network.internal.wire.Ipv4},
 * {@link org.devrt.network.internal.wire.Icmp}, {@link org.devrt.network.internal.wire.Udp}. Each has a view over a
 * buffer with its field offsets as constants ({@code Packet}, {@code Frame}, {@code Datagram}: {@code wrap} checks
 * untrusted bytes and returns a {@link org.devrt.network.internal.wire.Malformed} reason or null, after which no
 * accessor can fail; views are re-bound per packet, so the data path allocates none), a value type {@code Repr} with
 * {@code parse} and {@code emit}, and its numbers as values that keep unknown ones ({@code EtherType},
 * {@code Protocol}, {@code Operation}, {@code Type}). No dependency but the JDK and {@code org.devrt.device.MacAddress}.
 */
package org.devrt.network.internal.wire;

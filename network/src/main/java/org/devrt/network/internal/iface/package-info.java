/**
 * Interfaces and the links under them. A {@link org.devrt.network.internal.iface.Link} is a frame-in/frame-out port
 * (a NIC's {@link org.devrt.network.internal.iface.DeviceLink}, the {@link org.devrt.network.internal.iface.LoopbackLink},
 * test wires); an {@link org.devrt.network.internal.iface.Interface} puts IPv4 on one: address, up/down, the ARP cache
 * with expiry and rate-limited requests, and the frames waiting for resolution.
 * {@link org.devrt.network.internal.iface.Counter} names every reason the stack counts a packet, dropped or not.
 */
package org.devrt.network.internal.iface;

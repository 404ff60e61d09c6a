/**
 * What an emulated NIC is plugged into (private to the emulator bundle).
 *
 * <p>A {@link org.devrt.emulator.internal.net.Backend} carries Ethernet frames without FCS between a NIC model and
 * a medium: a port of an in-process {@link org.devrt.emulator.internal.net.VirtualSwitch}, a
 * {@link org.devrt.emulator.internal.net.UdpBackend UDP link} on loopback (QEMU {@code dgram} framing) or nothing;
 * a {@link org.devrt.emulator.internal.net.PcapTap} in front of any of them records both directions to a pcap file.
 * {@link org.devrt.emulator.internal.net.Backends} makes one from a NIC's options.
 *
 * <p>Other in-process endpoints (an emulated gateway, a test) join a switch by name through
 * {@link org.devrt.emulator.internal.net.Switches#shared()}: {@code attach(switchName, portName, sink)} gives a
 * {@link org.devrt.emulator.internal.net.SwitchPort} to {@code send} through, and frames for it arrive at the
 * {@link org.devrt.emulator.internal.net.FrameSink}; the emulated gateway
 * ({@code org.devrt.emulator.internal.gateway}) joins this way. To reach it from another bundle, a small exported
 * service in the emulator bundle would hand out ports of the shared registry; none exists yet.
 *
 * <p>Threads: frames are delivered on the sender's thread (the thread running the sending NIC's transmit unit, a UDP
 * link's reader thread), never under a lock of the switch, so a receiver may send in turn.
 */
package org.devrt.emulator.internal.net;

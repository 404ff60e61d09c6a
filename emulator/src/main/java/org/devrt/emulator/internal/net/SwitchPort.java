package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

/**
 * One port of a {@link VirtualSwitch}: an endpoint (an emulated NIC, later an emulated gateway) sends through it and
 * receives through the {@link FrameSink} it attached with. The link is up while the port is attached. Thread-safe.
 */
public interface SwitchPort extends AutoCloseable {
    /** The port's name, unique on its switch (a NIC's is its PCI address). */
    String name();

    /** The switch's name. */
    String switchName();

    /**
     * Sends the frame between position and limit (destination address first, no FCS) on the caller's thread: the
     * switch learns its source address and delivers it, before returning, to the learnt port or to every other port.
     * Position and limit are unchanged on return. Ignored after {@link #close()}.
     */
    void send(ByteBuffer frame);

    /**
     * Leaves the switch and forgets its learnt addresses: no delivery to the sink starts after this returns (one
     * already under way on another thread may finish). Idempotent.
     */
    @Override
    void close();
}

package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

/**
 * Takes Ethernet frames: destination address first, no preamble and no FCS, between the buffer's position and
 * limit. The buffer is lent for the call only: read it (absolute gets, or a copy of what you keep), do not keep it,
 * and leave its content alone. Whoever calls restores position and limit afterwards, so a sink may move them.
 * Called on the sender's thread; a sink does little and must not block.
 */
@FunctionalInterface
public interface FrameSink {
    void receive(ByteBuffer frame);
}

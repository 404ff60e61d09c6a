package org.devrt.device;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives frames from a {@link NetworkDevice}. Implemented by the network stack. */
@ConsumerType
@FunctionalInterface
public interface FrameReceiver {
    /**
     * Called once per received frame, on the driver's receive thread. The buffer is lent: its content is valid
     * only during the call, and the receiver must not keep it.
     */
    void receive(ByteBuffer frame);
}

package org.devrt.network.internal.gateway;

import java.nio.ByteBuffer;

/** Where the gateway's frames go: the switch port it sits on. The frame is lent for the call (copy it to keep it). */
@FunctionalInterface
public interface FrameSink {
    void send(ByteBuffer frame);
}

package org.devrt.network.internal.testing;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.iface.Link;

/** A cable between two links: what one end transmits, the other receives. */
public final class Wire {
    private final End a;
    private final End b;

    public Wire(MacAddress macA, MacAddress macB) {
        this.a = new End(macA);
        this.b = new End(macB);
        a.peer = b;
        b.peer = a;
    }

    public Link a() {
        return a;
    }

    public Link b() {
        return b;
    }

    private static final class End extends QueueLink {
        private End peer;

        End(MacAddress mac) {
            super(mac);
        }

        @Override
        public boolean transmit(ByteBuffer frame) {
            return peer.incoming.push(frame);
        }
    }
}

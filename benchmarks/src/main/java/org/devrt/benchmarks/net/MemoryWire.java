package org.devrt.benchmarks.net;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.network.internal.iface.Link;

/**
 * A diagnostic, not the figure: two {@link Link} ends joined in memory, no NIC, no emulator, so that the
 * devrt stacks' own cost per round trip can be told apart from the emulated e1000 path's. Each end has a bounded
 * ring of preallocated frame buffers; a transmit copies the frame into the peer's ring and tells the peer's stack
 * (which takes it in on the sending thread when it can, as from a driver). Nothing is allocated per frame.
 */
final class MemoryWire {
    private static final int SLOTS = 256;
    private static final int FRAME = 1514;

    final End a;
    final End b;

    MemoryWire(MacAddress macA, MacAddress macB) {
        a = new End(macA);
        b = new End(macB);
        a.peer = b;
        b.peer = a;
    }

    static final class End implements Link {
        private final MacAddress mac;
        private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
        private int head;
        private int count;
        private ByteBuffer lent;
        End peer;
        volatile Runnable wake = () -> { };
        private long rxPackets;
        private long rxBytes;
        private long rxDropped;
        private long txPackets;
        private long txBytes;

        End(MacAddress mac) {
            this.mac = mac;
            for (int i = 0; i < SLOTS; i++) {
                slots[i] = ByteBuffer.allocateDirect(FRAME);
            }
        }

        @Override
        public MacAddress macAddress() {
            return mac;
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean isLinkUp() {
            return true;
        }

        @Override
        public synchronized ByteBuffer receive() {
            if (lent != null) { // the previous frame is given back
                head = (head + 1) % SLOTS;
                count--;
                lent = null;
            }
            if (count == 0) {
                return null;
            }
            lent = slots[head];
            return lent;
        }

        private synchronized boolean push(ByteBuffer frame) {
            int occupied = count; // includes a lent frame, which stays until the next receive
            if (occupied == SLOTS || frame.remaining() > FRAME) {
                rxDropped++;
                return false;
            }
            ByteBuffer slot = slots[(head + occupied) % SLOTS];
            int length = frame.remaining();
            slot.clear().limit(length);
            slot.put(0, frame, frame.position(), length);
            rxBytes += length;
            rxPackets++;
            count++;
            return true;
        }

        @Override
        public boolean transmit(ByteBuffer frame) {
            int length = frame.remaining();
            boolean ok = peer.push(frame);
            if (ok) {
                synchronized (this) {
                    txPackets++;
                    txBytes += length;
                }
                peer.wake.run();
            }
            return ok;
        }

        @Override
        public synchronized NetworkCounters counters() {
            return new NetworkCounters(rxPackets, rxBytes, rxDropped, 0, txPackets, txBytes, 0, 0);
        }
    }
}

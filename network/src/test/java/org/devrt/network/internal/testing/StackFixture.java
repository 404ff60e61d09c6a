package org.devrt.network.internal.testing;

import static org.devrt.network.internal.testing.Frames.OUR_MAC;
import static org.devrt.network.internal.testing.Frames.PEER;
import static org.devrt.network.internal.testing.Frames.PEER_MAC;
import static org.devrt.network.internal.testing.Frames.US;

import java.util.List;

import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/** A stack with eth0 (10.0.2.15/24, gateway 10.0.2.2) on a tap the test plays the peer on, and a fake clock. */
public final class StackFixture {
    public final FakeClock clock = new FakeClock();
    public final TapLink tap = new TapLink(OUR_MAC);
    public final Stack stack;

    public StackFixture() {
        this(StackConfig.DEFAULTS);
    }

    public StackFixture(StackConfig config) {
        stack = new Stack(config, clock, () -> { });
        stack.addInterface("eth0", tap);
        stack.configure("eth0", Ipv4Cidr.parse(US + "/24"), Ipv4Address.parse("10.0.2.2"));
        stack.setUp("eth0", true);
        tap.takeSent();
    }

    public void poll() {
        stack.poll(clock.getAsLong());
    }

    /** Injects the frames and polls once. */
    public void receive(byte[]... frames) {
        for (byte[] f : frames) {
            tap.inject(f);
        }
        poll();
    }

    /** The peer asks for our address, so each side knows the other; the reply is taken. */
    public void resolvePeer() {
        receive(Frames.arpRequest(PEER_MAC, PEER, US));
        tap.takeSent();
    }

    public List<byte[]> sent() {
        return tap.takeSent();
    }
}

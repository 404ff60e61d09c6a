package org.devrt.network.internal.testing;

import java.util.function.UnaryOperator;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.iface.Link;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/** Two stacks on a {@link Wire}, 192.168.7.1/24 and .2/24, on one fake clock. */
public final class TwoStacks {
    public static final Ipv4Address A = Ipv4Address.parse("192.168.7.1");
    public static final Ipv4Address B = Ipv4Address.parse("192.168.7.2");

    public final FakeClock clock = new FakeClock();
    public final Stack a;
    public final Stack b;

    public TwoStacks() {
        this(l -> l, l -> l);
    }

    /** With each side's end of the wire wrapped (in a {@link FaultyLink}, say). */
    public TwoStacks(UnaryOperator<Link> wrapA, UnaryOperator<Link> wrapB) {
        Wire wire = new Wire(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:02"));
        a = stack(wrapA.apply(wire.a()), A);
        b = stack(wrapB.apply(wire.b()), B);
    }

    private Stack stack(Link link, Ipv4Address address) {
        Stack s = new Stack(StackConfig.DEFAULTS, clock, () -> { });
        s.addInterface("eth0", link);
        s.configure("eth0", new Ipv4Cidr(address, 24), null);
        s.setUp("eth0", true);
        return s;
    }

    /** Polls b then a, {@code rounds} times, at the clock's present time. */
    public void exchange(int rounds) {
        for (int i = 0; i < rounds; i++) {
            b.poll(clock.getAsLong());
            a.poll(clock.getAsLong());
        }
    }
}

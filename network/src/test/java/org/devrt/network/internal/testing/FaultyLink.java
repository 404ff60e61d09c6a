package org.devrt.network.internal.testing;

import java.nio.ByteBuffer;
import java.util.Random;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.network.internal.iface.Link;

/**
 * Wraps a link and, on transmit, loses, duplicates, reorders (holds a frame back until the next one has gone) or
 * corrupts (flips one bit) frames with the given probabilities, from a seeded Random: smoltcp's FaultInjector.
 */
public final class FaultyLink implements Link {
    private final Link inner;
    private final Random random;
    private double loss;
    private double duplication;
    private double reordering;
    private double corruption;
    private final ByteBuffer held = ByteBuffer.allocate(65600);
    private final ByteBuffer scratch = ByteBuffer.allocate(65600);
    private boolean holding;
    public long lost;
    public long duplicated;
    public long reordered;
    public long corrupted;
    public long passed;

    public FaultyLink(Link inner, long seed) {
        this.inner = inner;
        this.random = new Random(seed);
    }

    public FaultyLink faults(double loss, double duplication, double reordering, double corruption) {
        this.loss = loss;
        this.duplication = duplication;
        this.reordering = reordering;
        this.corruption = corruption;
        return this;
    }

    @Override
    public boolean transmit(ByteBuffer frame) {
        if (random.nextDouble() < loss) {
            lost++;
            return true;
        }
        ByteBuffer f = frame;
        if (random.nextDouble() < corruption) {
            scratch.clear();
            scratch.put(frame.duplicate()).flip();
            int bit = random.nextInt(scratch.remaining() * 8);
            scratch.put(bit / 8, (byte) (scratch.get(bit / 8) ^ (1 << (bit % 8))));
            f = scratch;
            corrupted++;
        }
        if (!holding && random.nextDouble() < reordering) {
            held.clear();
            held.put(f.duplicate()).flip();
            holding = true;
            reordered++;
            return true;
        }
        boolean ok = send(f);
        if (random.nextDouble() < duplication) {
            duplicated++;
            send(f);
        }
        if (holding) {
            holding = false;
            send(held);
        }
        return ok;
    }

    private boolean send(ByteBuffer f) {
        passed++;
        return inner.transmit(f.duplicate());
    }

    @Override
    public MacAddress macAddress() {
        return inner.macAddress();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public boolean isLinkUp() {
        return inner.isLinkUp();
    }

    @Override
    public ByteBuffer receive() {
        return inner.receive();
    }

    @Override
    public NetworkCounters counters() {
        return inner.counters();
    }
}

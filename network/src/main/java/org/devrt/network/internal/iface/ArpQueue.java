package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.devrt.network.internal.wire.Bytes;

/**
 * Frames waiting for their next hop's MAC (Linux's unresolved queue): bounded in total and per destination, sent in
 * the order they came once the address is learnt, dropped when it fails or when they are older than a resolution
 * can take. Slot buffers are allocated on first use and reused.
 */
final class ArpQueue {
    /** Sends a frame whose Ethernet header the queue has left for the sender to fill. */
    interface Sender {
        void send(ByteBuffer frame);
    }

    private final int perDestination;
    private final int frameCapacity;
    private final long maxAgeNanos;
    private final ByteBuffer[] frames;
    private final int[] nextHops;
    private final long[] queuedAt;
    private final long[] order;
    private final boolean[] used;
    private long sequence;

    ArpQueue(ArpSettings settings, int frameCapacity) {
        int slots = settings.queueSlots();
        this.perDestination = settings.queuePerDestination();
        this.frameCapacity = frameCapacity;
        this.maxAgeNanos = settings.retransmitNanos() * (settings.maxRequests() + 1);
        this.frames = new ByteBuffer[slots];
        this.nextHops = new int[slots];
        this.queuedAt = new long[slots];
        this.order = new long[slots];
        this.used = new boolean[slots];
    }

    /** Copies {@code frame[0, length)}; false when the queue, or this destination's share of it, is full. */
    boolean add(int nextHop, ByteBuffer frame, int length, long now) {
        int free = -1;
        int forHop = 0;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                free = free < 0 ? i : free;
            } else if (nextHops[i] == nextHop) {
                forHop++;
            }
        }
        if (free < 0 || forHop >= perDestination) {
            return false;
        }
        if (frames[free] == null) {
            frames[free] = ByteBuffer.allocate(frameCapacity);
        }
        ByteBuffer slot = frames[free].clear();
        Bytes.copy(frame, 0, slot, 0, length);
        slot.clear().limit(length);
        used[free] = true;
        nextHops[free] = nextHop;
        queuedAt[free] = now;
        order[free] = sequence++;
        return true;
    }

    /** Hands every frame for {@code nextHop} to the sender, oldest first, and frees their slots. */
    void release(int nextHop, Sender sender) {
        int i;
        while ((i = oldest(nextHop)) >= 0) {
            used[i] = false;
            frames[i].rewind();
            sender.send(frames[i]);
        }
    }

    /** Drops the frames for {@code nextHop}, each shown to {@code dropped} first; returns how many. */
    int drop(int nextHop, Sender dropped) {
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && nextHops[i] == nextHop) {
                used[i] = false;
                n++;
                frames[i].rewind();
                dropped.send(frames[i]);
            }
        }
        return n;
    }

    /** Drops frames older than a resolution can take (their entry may have been evicted); returns how many. */
    int expire(long now) {
        int n = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && now - queuedAt[i] > maxAgeNanos) {
                used[i] = false;
                n++;
            }
        }
        return n;
    }

    /** When {@link #expire} next drops something; Long.MAX_VALUE when empty. */
    long expireAt() {
        long at = Long.MAX_VALUE;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                at = Math.min(at, queuedAt[i] + maxAgeNanos + 1);
            }
        }
        return at;
    }

    int size() {
        int n = 0;
        for (boolean u : used) {
            n += u ? 1 : 0;
        }
        return n;
    }

    void clear() {
        Arrays.fill(used, false);
    }

    private int oldest(int nextHop) {
        int best = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && nextHops[i] == nextHop && (best < 0 || order[i] < order[best])) {
                best = i;
            }
        }
        return best;
    }
}

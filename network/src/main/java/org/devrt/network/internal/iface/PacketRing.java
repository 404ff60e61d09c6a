package org.devrt.network.internal.iface;

import java.nio.ByteBuffer;

import org.devrt.network.internal.wire.Bytes;

/**
 * A bounded FIFO of packets in one preallocated byte array, bounded both in packets and in bytes (as smoltcp's
 * {@code PacketBuffer}). Each packet is stored contiguously: when it does not fit before the end of the array, the
 * rest of the array is skipped as padding and it starts at 0. Each packet carries a 64-bit tag (an address and a
 * port, a time). The array is allocated when the first packet comes, and nothing after that: a UDP socket that
 * only sends, or waits, holds no 256 KiB queue (each {@code udpsend} made one). Not thread-safe: the owner locks.
 */
public final class PacketRing {
    private final int capacity;
    private byte[] data;
    private ByteBuffer view;
    private final int[] starts;
    private final int[] lengths;
    private final int[] spans;
    private final long[] tags;
    private int head;
    private int count;
    private int writeAt;
    private int used;
    private int queuedBytes;

    /**
     * @param maxPackets how many packets it holds at most
     * @param capacityBytes bytes of storage; a packet longer than this is never accepted
     */
    public PacketRing(int maxPackets, int capacityBytes) {
        if (maxPackets < 1 || capacityBytes < 1) {
            throw new IllegalArgumentException("a packet ring needs room: " + maxPackets + " packets, " + capacityBytes + " bytes");
        }
        this.capacity = capacityBytes;
        this.starts = new int[maxPackets];
        this.lengths = new int[maxPackets];
        this.spans = new int[maxPackets];
        this.tags = new long[maxPackets];
    }

    /** Copies {@code length} bytes from {@code src} at {@code from}; false (nothing changed) when it does not fit. */
    public boolean offer(ByteBuffer src, int from, int length, long tag) {
        int start = reserve(length, tag);
        if (start < 0) {
            return false;
        }
        Bytes.copy(src, from, view, start, length);
        return true;
    }

    /**
     * Reserves room for a packet of {@code length} bytes and queues it; the caller fills
     * {@code buffer()[start, start + length)} before anyone peeks. Returns the start, or -1 when it does not fit.
     */
    public int reserve(int length, long tag) {
        if (count == starts.length || length > capacity) {
            return -1;
        }
        if (data == null) {
            data = new byte[capacity];
            view = ByteBuffer.wrap(data);
        }
        if (count == 0) {
            writeAt = used = 0;
        }
        int free = data.length - used;
        int start;
        int span;
        if (length <= Math.min(free, data.length - writeAt)) {
            start = writeAt;
            span = length;
        } else if (data.length - writeAt + length <= free) {
            start = 0;
            span = data.length - writeAt + length;
        } else {
            return -1;
        }
        int slot = (head + count) % starts.length;
        starts[slot] = start;
        lengths[slot] = length;
        spans[slot] = span;
        tags[slot] = tag;
        count++;
        used += span;
        queuedBytes += length;
        writeAt = (start + length) % data.length;
        return start;
    }

    /** The ring's storage, for filling a {@link #reserve reserved} packet (so not before the first). */
    public ByteBuffer buffer() {
        return view;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int size() {
        return count;
    }

    /** Bytes of the queued packets, padding not included. */
    public int queuedBytes() {
        return queuedBytes;
    }

    /** The oldest packet, position to limit; lent until {@link #remove()}. Null when empty. */
    public ByteBuffer peek() {
        if (count == 0) {
            return null;
        }
        view.clear().position(starts[head]).limit(starts[head] + lengths[head]);
        return view;
    }

    /** The oldest packet's tag; only when not empty. */
    public long peekTag() {
        if (count == 0) {
            throw new IllegalStateException("the ring is empty");
        }
        return tags[head];
    }

    /** Drops the oldest packet; nothing when empty. */
    public void remove() {
        if (count == 0) {
            return;
        }
        used -= spans[head];
        queuedBytes -= lengths[head];
        head = (head + 1) % starts.length;
        if (--count == 0) {
            writeAt = used = 0;
        }
    }

    public void clear() {
        head = count = writeAt = used = queuedBytes = 0;
    }
}

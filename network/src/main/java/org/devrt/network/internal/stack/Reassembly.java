package org.devrt.network.internal.stack;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.devrt.network.internal.iface.Counter;
import org.devrt.network.internal.iface.Counters;
import org.devrt.network.internal.wire.Bytes;
import org.devrt.network.internal.wire.Ipv4;

/**
 * Reassembly of incoming IPv4 fragments (RFC 791 3.2, RFC 815), bounded in memory (a fixed number of datagrams
 * of a fixed largest size; a new one takes the oldest's place when all are in use) and in time. Received 8-byte blocks are tracked in a bitmap; a fragment that covers
 * received blocks again is a duplicate when it covers only those, else an overlap that drops the whole datagram (as
 * Linux does since FragmentSmack). The data sits at {@link #DATA} in the slot; when the datagram is complete the
 * first fragment's header is put right before it, fixed up, and the result is one unfragmented packet.
 */
final class Reassembly {
    /** Where the data starts in a slot: room for the longest header before it. */
    static final int DATA = Ipv4.MAX_HEADER_LEN;

    /**
     * Told about a datagram that timed out after its first fragment came (for ICMP time exceeded): its header and
     * first 8 data bytes are {@code buffer[headerAt, quotedEnd)}.
     */
    interface Expired {
        void timedOut(ByteBuffer buffer, int headerAt, int quotedEnd, long now);
    }

    private static final class Slot {
        boolean used;
        int source;
        int destination;
        int identification;
        int protocol;
        long firstAt;
        int headerLength;
        int dataLength = -1;
        int blocksReceived;
        ByteBuffer buffer;
        long[] blocks;
    }

    private final Slot[] slots;
    private final int maxBytes;
    private final long timeoutNanos;
    private final Counters counters;
    private final Ipv4.Packet whole = new Ipv4.Packet();
    private Slot delivered;

    Reassembly(int slotCount, int maxBytes, long timeoutNanos, Counters counters) {
        this.slots = new Slot[slotCount];
        for (int i = 0; i < slotCount; i++) {
            slots[i] = new Slot();
        }
        this.maxBytes = maxBytes;
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
    }

    /**
     * Takes the fragment in {@code p} (checked, checksum verified). Returns the whole datagram when this fragment
     * completed it, valid until {@link #release()}; else null, with the fragment counted as queued or dropped.
     */
    Ipv4.Packet add(Ipv4.Packet p, long now) {
        int offset = p.fragmentOffset();
        int length = p.payloadLength();
        boolean last = !p.moreFragments();
        if (!last && (length == 0 || length % 8 != 0)) {
            counters.add(Counter.FRAGMENT_BAD_LENGTH);
            return null;
        }
        if (offset + length > maxBytes) {
            counters.add(Counter.FRAGMENT_TOO_BIG);
            return null;
        }
        Slot s = find(p);
        if (s == null) {
            s = claim(p, now);
        }
        int firstBlock = offset / 8;
        int endBlock = (offset + length + 7) / 8;
        int seen = countSet(s.blocks, firstBlock, endBlock);
        if (seen > 0 && seen == endBlock - firstBlock && (!last || s.dataLength == offset + length)) {
            counters.add(Counter.FRAGMENT_DUPLICATE);
            return null;
        }
        if (seen > 0 || last && s.dataLength >= 0 || s.dataLength >= 0 && offset + length > s.dataLength
                || last && highestSet(s.blocks) > endBlock) {
            s.used = false;
            counters.add(Counter.FRAGMENT_OVERLAP);
            return null;
        }
        Bytes.copy(p.buffer(), p.payloadOffset(), s.buffer, DATA + offset, length);
        setRange(s.blocks, firstBlock, endBlock);
        s.blocksReceived += endBlock - firstBlock;
        if (last) {
            s.dataLength = offset + length;
        }
        if (offset == 0) {
            s.headerLength = p.headerLength();
            Bytes.copy(p.buffer(), p.start(), s.buffer, DATA - s.headerLength, s.headerLength);
        }
        if (s.dataLength < 0 || s.headerLength == 0 || s.blocksReceived < (s.dataLength + 7) / 8) {
            counters.add(Counter.FRAGMENT_QUEUED);
            return null;
        }
        if (s.headerLength + s.dataLength > Ipv4.MAX_PACKET_LEN) {
            // the data fits maxBytes, but a first fragment with options made the whole longer than a total length
            // can say: dropped, as Linux's ip_frag_reasm ("Oversized IP packet"); it was delivered with the length
            // wrapped to 16 bits, and an ICMP error quoted that header
            s.used = false;
            counters.add(Counter.FRAGMENT_TOO_BIG);
            return null;
        }
        return complete(s);
    }

    /** Frees the slot of the datagram {@link #add} returned last. */
    void release() {
        if (delivered != null) {
            delivered.used = false;
            delivered = null;
        }
    }

    /** Drops datagrams older than the time-out; the handler hears of those whose first fragment came. */
    void expire(long now, Expired handler) {
        for (Slot s : slots) {
            if (s.used && now - s.firstAt > timeoutNanos) {
                s.used = false;
                counters.add(Counter.FRAGMENT_TIMEOUT);
                if (s.headerLength > 0) {
                    handler.timedOut(s.buffer, DATA - s.headerLength, DATA + 8, now);
                }
            }
        }
    }

    /** When {@link #expire} next drops something; Long.MAX_VALUE when never. */
    long pollAt() {
        long at = Long.MAX_VALUE;
        for (Slot s : slots) {
            if (s.used) {
                at = Math.min(at, s.firstAt + timeoutNanos + 1);
            }
        }
        return at;
    }

    /** Datagrams being reassembled. */
    int inProgress() {
        int n = 0;
        for (Slot s : slots) {
            n += s.used ? 1 : 0;
        }
        return n;
    }

    private Ipv4.Packet complete(Slot s) {
        int start = DATA - s.headerLength;
        int total = s.headerLength + s.dataLength;
        Ipv4.Packet header = whole.wrapForEmit(s.buffer, start, DATA + s.dataLength);
        header.setTotalLength(total);
        header.setFragment(header.dontFragment(), false, 0);
        header.fillChecksum();
        whole.wrap(s.buffer, start, DATA + s.dataLength);
        delivered = s;
        counters.add(Counter.FRAGMENT_REASSEMBLED);
        return whole;
    }

    private Slot find(Ipv4.Packet p) {
        for (Slot s : slots) {
            if (s.used && s.identification == p.identification() && s.source == p.source()
                    && s.destination == p.destination() && s.protocol == p.protocolValue()) {
                return s;
            }
        }
        return null;
    }

    /**
     * A slot for a new datagram: a free one, or else the one of the oldest unfinished datagram, which is dropped (as
     * Linux's evictor drops the oldest queues when fragment memory is full). Refusing the new one instead let a few
     * first fragments that never get their rest (one per slot) stop every reassembly for the 30 s of the time-out.
     */
    private Slot claim(Ipv4.Packet p, long now) {
        Slot s = null;
        for (Slot candidate : slots) {
            if (!candidate.used) {
                s = candidate;
                break;
            }
            if (candidate != delivered && (s == null || candidate.firstAt < s.firstAt)) {
                s = candidate;
            }
        }
        if (s.used) {
            counters.add(Counter.FRAGMENT_EVICTED);
        }
        if (s.buffer == null) {
            s.buffer = ByteBuffer.allocate(DATA + maxBytes);
            s.blocks = new long[(maxBytes + 7) / 8 / 64 + 1];
        }
        Arrays.fill(s.blocks, 0);
        s.blocksReceived = 0;
        s.used = true;
        s.source = p.source();
        s.destination = p.destination();
        s.identification = p.identification();
        s.protocol = p.protocolValue();
        s.firstAt = now;
        s.headerLength = 0;
        s.dataLength = -1;
        return s;
    }

    private static int countSet(long[] bits, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += (int) (bits[i >>> 6] >>> (i & 63)) & 1;
        }
        return n;
    }

    private static void setRange(long[] bits, int from, int to) {
        for (int i = from; i < to; i++) {
            bits[i >>> 6] |= 1L << (i & 63);
        }
    }

    /** One past the highest block received; 0 when none. */
    private static int highestSet(long[] bits) {
        for (int w = bits.length - 1; w >= 0; w--) {
            if (bits[w] != 0) {
                return w * 64 + 64 - Long.numberOfLeadingZeros(bits[w]);
            }
        }
        return 0;
    }
}

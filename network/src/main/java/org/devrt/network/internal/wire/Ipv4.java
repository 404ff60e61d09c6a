package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

/** IPv4 (RFC 791): the header with its checksum, options skipped by IHL, fragmentation fields. */
public final class Ipv4 {
    public static final int VERSION_IHL = 0;
    public static final int TYPE_OF_SERVICE = 1;
    public static final int TOTAL_LENGTH = 2;
    public static final int IDENTIFICATION = 4;
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TTL = 8;
    public static final int PROTOCOL = 9;
    public static final int CHECKSUM = 10;
    public static final int SOURCE = 12;
    public static final int DESTINATION = 16;
    /** A header without options. */
    public static final int MIN_HEADER_LEN = 20;
    /** IHL is four bits of 32-bit words. */
    public static final int MAX_HEADER_LEN = 60;
    public static final int MAX_PACKET_LEN = 0xffff;
    static final int FLAG_DONT_FRAGMENT = 0x4000;
    static final int OPTION_END = 0;
    static final int OPTION_NOP = 1;
    /** Loose and strict source and record route (RFC 791 3.1). */
    static final int OPTION_LSRR = 0x83;
    static final int OPTION_SSRR = 0x89;
    static final int FLAG_MORE_FRAGMENTS = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    private Ipv4() {
    }

    /**
     * The protocol field as a value; unknown numbers round-trip.
     *
     * @param value 0 to 255
     */
    public record Protocol(int value) {
        public static final Protocol ICMP = new Protocol(1);
        public static final Protocol IGMP = new Protocol(2);
        public static final Protocol TCP = new Protocol(6);
        public static final Protocol UDP = new Protocol(17);

        public Protocol {
            if (value < 0 || value > 0xff) {
                throw new IllegalArgumentException("IP protocol " + value + " is not 8 bits");
            }
        }

        /** The constant for a known number (no allocation), else a new value. */
        public static Protocol of(int value) {
            return switch (value) {
                case 1 -> ICMP;
                case 2 -> IGMP;
                case 6 -> TCP;
                case 17 -> UDP;
                default -> new Protocol(value);
            };
        }

        @Override
        public String toString() {
            return switch (value) {
                case 1 -> "ICMP";
                case 2 -> "IGMP";
                case 6 -> "TCP";
                case 17 -> "UDP";
                default -> "Unknown(" + value + ")";
            };
        }
    }

    /** A view of an IPv4 packet. After {@link #wrap}, {@link #end()} is where the total length says it ends. */
    public static final class Packet extends View {
        /**
         * Checked constructor for untrusted bytes; null when well-formed. Checks the version, that IHL is at least 5
         * and within the bytes, and that the total length covers the header and does not exceed the bytes present
         * (bytes beyond it, such as Ethernet padding, are not part of the packet). The checksum is not checked
         * here: see {@link #checksumValid()}.
         */
        public Malformed wrap(ByteBuffer buffer, int from, int to) {
            Malformed m = checkHeader(buffer, from, to);
            if (m != null) {
                return m;
            }
            int total = Bytes.u16(buffer, from + TOTAL_LENGTH);
            if (total < headerLength(buffer, from) || total > to - from) {
                return Malformed.BAD_LENGTH;
            }
            if (!optionsWellFormed(buffer, from + MIN_HEADER_LEN, from + headerLength(buffer, from))) {
                return Malformed.BAD_OPTIONS;
            }
            bind(buffer, from, from + total);
            return null;
        }

        /**
         * Whether the options in {@code buffer[from, to)} are well formed (RFC 791 3.1): end of list (0) stops, no
         * operation (1) is one byte, every other has a length of at least 2 that stays inside the header. Linux
         * drops a packet whose options are not (ip_options_compile); they were answered as if they were.
         */
        private static boolean optionsWellFormed(ByteBuffer buffer, int from, int to) {
            return walkOptions(buffer, from, to) != OPTIONS_MALFORMED;
        }

        private static final int OPTIONS_MALFORMED = -1;
        private static final int OPTIONS_PLAIN = 0;
        private static final int OPTIONS_SOURCE_ROUTED = 1;

        /** One walk of the options: malformed, or well formed with or without a source route (types 131, 137). */
        private static int walkOptions(ByteBuffer buffer, int from, int to) {
            boolean routed = false;
            int at = from;
            while (at < to) {
                int type = Bytes.u8(buffer, at);
                if (type == OPTION_END) {
                    break;
                }
                if (type == OPTION_NOP) {
                    at++;
                    continue;
                }
                if (at + 1 >= to) {
                    return OPTIONS_MALFORMED;
                }
                int length = Bytes.u8(buffer, at + 1);
                if (length < 2 || at + length > to) {
                    return OPTIONS_MALFORMED;
                }
                routed |= type == OPTION_LSRR || type == OPTION_SSRR;
                at += length;
            }
            return routed ? OPTIONS_SOURCE_ROUTED : OPTIONS_PLAIN;
        }

        /**
         * Checked constructor for the header quoted in an ICMP error (RFC 792): the whole header must be present,
         * but the datagram it heads is cut short, so {@link #end()} is the lesser of its total length and {@code to}.
         */
        public Malformed wrapQuoted(ByteBuffer buffer, int from, int to) {
            Malformed m = checkHeader(buffer, from, to);
            if (m != null) {
                return m;
            }
            int total = Bytes.u16(buffer, from + TOTAL_LENGTH);
            if (total < headerLength(buffer, from)) {
                return Malformed.BAD_LENGTH;
            }
            bind(buffer, from, Math.min(to, from + total));
            return null;
        }

        private static Malformed checkHeader(ByteBuffer buffer, int from, int to) {
            if (to - from < MIN_HEADER_LEN) {
                return Malformed.TRUNCATED;
            }
            if (Bytes.u8(buffer, from + VERSION_IHL) >>> 4 != 4) {
                return Malformed.BAD_VERSION;
            }
            int ihl = headerLength(buffer, from);
            if (ihl < MIN_HEADER_LEN || ihl > to - from) {
                return Malformed.BAD_HEADER_LENGTH;
            }
            return null;
        }

        private static int headerLength(ByteBuffer buffer, int from) {
            return (Bytes.u8(buffer, from + VERSION_IHL) & 0xf) * 4;
        }

        /** Binds a range about to be written; it must hold at least a 20-byte header. */
        public Packet wrapForEmit(ByteBuffer buffer, int from, int to) {
            requireRoom("an IPv4 packet", buffer, from, to, MIN_HEADER_LEN);
            bind(buffer, from, to);
            return this;
        }

        public int version() {
            return Bytes.u8(buf, start + VERSION_IHL) >>> 4;
        }

        /** IHL in bytes: 20 to 60. */
        public int headerLength() {
            return headerLength(buf, start);
        }

        /** Bytes of options between the fixed header and the payload (skipped, never interpreted). */
        public int optionsLength() {
            return headerLength() - MIN_HEADER_LEN;
        }

        /** Whether the options hold a loose or strict source route (RFC 791 3.1: types 131 and 137). */
        public boolean hasSourceRoute() {
            return walkOptions(buf, start + MIN_HEADER_LEN, start + headerLength()) == OPTIONS_SOURCE_ROUTED;
        }

        public int typeOfService() {
            return Bytes.u8(buf, start + TYPE_OF_SERVICE);
        }

        public int totalLength() {
            return Bytes.u16(buf, start + TOTAL_LENGTH);
        }

        public int identification() {
            return Bytes.u16(buf, start + IDENTIFICATION);
        }

        public boolean dontFragment() {
            return (Bytes.u16(buf, start + FLAGS_FRAGMENT) & FLAG_DONT_FRAGMENT) != 0;
        }

        public boolean moreFragments() {
            return (Bytes.u16(buf, start + FLAGS_FRAGMENT) & FLAG_MORE_FRAGMENTS) != 0;
        }

        /** The fragment's offset in bytes (the field counts 8-byte units). */
        public int fragmentOffset() {
            return (Bytes.u16(buf, start + FLAGS_FRAGMENT) & FRAGMENT_OFFSET_MASK) * 8;
        }

        /** Whether this is a fragment: more follow, or it does not start at offset 0. */
        public boolean isFragment() {
            return (Bytes.u16(buf, start + FLAGS_FRAGMENT) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
        }

        public int ttl() {
            return Bytes.u8(buf, start + TTL);
        }

        public Protocol protocol() {
            return Protocol.of(protocolValue());
        }

        public int protocolValue() {
            return Bytes.u8(buf, start + PROTOCOL);
        }

        public int checksum() {
            return Bytes.u16(buf, start + CHECKSUM);
        }

        public int source() {
            return Bytes.u32(buf, start + SOURCE);
        }

        public int destination() {
            return Bytes.u32(buf, start + DESTINATION);
        }

        /** Index of the payload's first byte in the buffer. */
        public int payloadOffset() {
            return start + headerLength();
        }

        public int payloadLength() {
            return end - payloadOffset();
        }

        /** Whether the header checksum (options included) checks. */
        public boolean checksumValid() {
            return Checksum.verifies(Checksum.sum(buf, start, start + headerLength()));
        }

        /** Version 4 and the header length in bytes (a multiple of 4, 20 to 60). */
        public void setHeaderLength(int bytes) {
            if (bytes < MIN_HEADER_LEN || bytes > MAX_HEADER_LEN || bytes % 4 != 0) {
                throw new IllegalArgumentException("IPv4 header length " + bytes + " is not 20 to 60 in steps of 4");
            }
            Bytes.put8(buf, start + VERSION_IHL, 0x40 | bytes / 4);
        }

        public void setTypeOfService(int tos) {
            Bytes.put8(buf, start + TYPE_OF_SERVICE, tos);
        }

        public void setTotalLength(int length) {
            Bytes.put16(buf, start + TOTAL_LENGTH, length);
        }

        public void setIdentification(int id) {
            Bytes.put16(buf, start + IDENTIFICATION, id);
        }

        /** The flags and the offset in bytes (a multiple of 8). */
        public void setFragment(boolean dontFragment, boolean moreFragments, int offsetBytes) {
            Bytes.put16(buf, start + FLAGS_FRAGMENT, (dontFragment ? FLAG_DONT_FRAGMENT : 0)
                    | (moreFragments ? FLAG_MORE_FRAGMENTS : 0) | offsetBytes / 8 & FRAGMENT_OFFSET_MASK);
        }

        public void setTtl(int ttl) {
            Bytes.put8(buf, start + TTL, ttl);
        }

        public void setProtocol(Protocol protocol) {
            Bytes.put8(buf, start + PROTOCOL, protocol.value());
        }

        public void setSource(int address) {
            Bytes.put32(buf, start + SOURCE, address);
        }

        public void setDestination(int address) {
            Bytes.put32(buf, start + DESTINATION, address);
        }

        /**
         * Writes a whole 20-byte header for an unfragmented packet (TOS 0, DF clear) with its checksum: the data
         * path's emit, which needs no value object.
         */
        public void emitHeader(int source, int destination, Protocol protocol, int ttl, int id, int payloadLength) {
            emitHeader(source, destination, protocol, ttl, id, payloadLength, 0, false);
        }

        /**
         * {@link #emitHeader(int, int, Protocol, int, int, int)} for one fragment of a datagram: its payload starts
         * {@code offsetBytes} (a multiple of 8) into the datagram's, and {@code more} says whether others follow.
         */
        public void emitHeader(int source, int destination, Protocol protocol, int ttl, int id, int payloadLength,
                int offsetBytes, boolean more) {
            setHeaderLength(MIN_HEADER_LEN);
            setTypeOfService(0);
            setTotalLength(MIN_HEADER_LEN + payloadLength);
            setIdentification(id);
            setFragment(false, more, offsetBytes);
            setTtl(ttl);
            setProtocol(protocol);
            setSource(source);
            setDestination(destination);
            fillChecksum();
        }

        /** Computes and writes the header checksum over the header as it is now. */
        public void fillChecksum() {
            Bytes.put16(buf, start + CHECKSUM, 0);
            Bytes.put16(buf, start + CHECKSUM, Checksum.complement(Checksum.sum(buf, start, start + headerLength())));
        }
    }

    /** The most payload one fragment carries on a link of {@code mtu}: what fits after a header, in 8-byte blocks. */
    public static int fragmentPayload(int mtu) {
        return (mtu - MIN_HEADER_LEN) & ~7;
    }

    /**
     * An IPv4 header as a value. Options are not represented: parse skips them, emit writes a 20-byte header.
     *
     * @param source sender
     * @param destination receiver
     * @param protocol what the payload is
     * @param ttl time to live, 0 to 255
     * @param identification the fragmentation id, 0 to 0xffff
     * @param dontFragment the DF flag
     * @param moreFragments the MF flag
     * @param fragmentOffset offset in bytes, a multiple of 8
     * @param typeOfService the DSCP and ECN byte
     * @param payloadLength bytes after the header
     */
    public record Repr(Ipv4Address source, Ipv4Address destination, Protocol protocol, int ttl, int identification,
            boolean dontFragment, boolean moreFragments, int fragmentOffset, int typeOfService, int payloadLength) {
        public Repr {
            if (payloadLength < 0 || payloadLength > MAX_PACKET_LEN - MIN_HEADER_LEN) {
                throw new IllegalArgumentException("IPv4 payload of " + payloadLength + " bytes does not fit");
            }
            if (fragmentOffset % 8 != 0 || fragmentOffset / 8 > FRAGMENT_OFFSET_MASK) {
                throw new IllegalArgumentException("fragment offset " + fragmentOffset + " is not a multiple of 8 below 65536");
            }
        }

        /** An unfragmented datagram with DF clear and TOS zero. */
        public static Repr of(Ipv4Address source, Ipv4Address destination, Protocol protocol, int ttl, int payloadLength) {
            return new Repr(source, destination, protocol, ttl, 0, false, false, 0, 0, payloadLength);
        }

        /** Reads a checked packet; refuses a bad header checksum. */
        public static Repr parse(Packet p) throws MalformedPacketException {
            if (!p.checksumValid()) {
                throw new MalformedPacketException("IPv4", Malformed.BAD_CHECKSUM);
            }
            return new Repr(new Ipv4Address(p.source()), new Ipv4Address(p.destination()), p.protocol(), p.ttl(),
                    p.identification(), p.dontFragment(), p.moreFragments(), p.fragmentOffset(), p.typeOfService(),
                    p.payloadLength());
        }

        /** Writes a 20-byte header with its checksum; the payload is the caller's. */
        public void emit(Packet p) {
            p.setHeaderLength(MIN_HEADER_LEN);
            p.setTypeOfService(typeOfService);
            p.setTotalLength(MIN_HEADER_LEN + payloadLength);
            p.setIdentification(identification);
            p.setFragment(dontFragment, moreFragments, fragmentOffset);
            p.setTtl(ttl);
            p.setProtocol(protocol);
            p.setSource(source.value());
            p.setDestination(destination.value());
            p.fillChecksum();
        }

        public int headerLength() {
            return MIN_HEADER_LEN;
        }

        public int bufferLength() {
            return MIN_HEADER_LEN + payloadLength;
        }
    }
}

package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

/** UDP (RFC 768): ports, length, and the checksum over the IPv4 pseudo-header; a zero checksum means none. */
public final class Udp {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int LENGTH = 4;
    public static final int CHECKSUM = 6;
    public static final int HEADER_LEN = 8;
    /** The largest payload one IPv4 datagram can carry: 65535 - 20 - 8. */
    public static final int MAX_PAYLOAD = Ipv4.MAX_PACKET_LEN - Ipv4.MIN_HEADER_LEN - HEADER_LEN;

    private Udp() {
    }

    /** A view of a UDP datagram. After {@link #wrap}, {@link #end()} is where its length field says it ends. */
    public static final class Datagram extends View {
        /**
         * Checked constructor for untrusted bytes (the IP payload); null when well-formed: the header is present,
         * and the length covers the header and does not exceed the bytes present.
         */
        public Malformed wrap(ByteBuffer buffer, int from, int to) {
            if (to - from < HEADER_LEN) {
                return Malformed.TRUNCATED;
            }
            int length = Bytes.u16(buffer, from + LENGTH);
            if (length < HEADER_LEN || length > to - from) {
                return Malformed.BAD_LENGTH;
            }
            bind(buffer, from, from + length);
            return null;
        }

        /** Binds a range about to be written: header and payload. */
        public Datagram wrapForEmit(ByteBuffer buffer, int from, int to) {
            requireRoom("a UDP datagram", buffer, from, to, HEADER_LEN);
            bind(buffer, from, to);
            return this;
        }

        public int sourcePort() {
            return Bytes.u16(buf, start + SOURCE_PORT);
        }

        public int destinationPort() {
            return Bytes.u16(buf, start + DESTINATION_PORT);
        }

        public int lengthField() {
            return Bytes.u16(buf, start + LENGTH);
        }

        public int checksum() {
            return Bytes.u16(buf, start + CHECKSUM);
        }

        public int payloadOffset() {
            return start + HEADER_LEN;
        }

        public int payloadLength() {
            return end - start - HEADER_LEN;
        }

        /** Whether the checksum checks against the pseudo-header of {@code source} and {@code destination}, or is 0. */
        public boolean checksumValid(int source, int destination) {
            if (checksum() == 0) {
                return true;
            }
            long sum = Checksum.pseudoHeader(source, destination, Ipv4.Protocol.UDP.value(), length())
                    + Checksum.sum(buf, start, end);
            return Checksum.verifies(sum);
        }

        public void setSourcePort(int port) {
            Bytes.put16(buf, start + SOURCE_PORT, port);
        }

        public void setDestinationPort(int port) {
            Bytes.put16(buf, start + DESTINATION_PORT, port);
        }

        public void setLengthField(int length) {
            Bytes.put16(buf, start + LENGTH, length);
        }

        /** Computes the checksum over pseudo-header, header and payload; a computed 0 is sent as 0xffff. */
        public void fillChecksum(int source, int destination) {
            Bytes.put16(buf, start + CHECKSUM, 0);
            long sum = Checksum.pseudoHeader(source, destination, Ipv4.Protocol.UDP.value(), length())
                    + Checksum.sum(buf, start, end);
            int checksum = Checksum.complement(sum);
            Bytes.put16(buf, start + CHECKSUM, checksum == 0 ? 0xffff : checksum);
        }

        /** Sends without a checksum (RFC 768: all zeros). */
        public void clearChecksum() {
            Bytes.put16(buf, start + CHECKSUM, 0);
        }
    }

    /**
     * A UDP header as a value; the payload stays in the buffer.
     *
     * @param sourcePort 0 to 65535 (0: none)
     * @param destinationPort 0 to 65535
     * @param payloadLength bytes after the header
     */
    public record Repr(int sourcePort, int destinationPort, int payloadLength) {
        public Repr {
            if ((sourcePort | destinationPort) >>> 16 != 0 || payloadLength < 0 || payloadLength > MAX_PAYLOAD) {
                throw new IllegalArgumentException("UDP ports " + sourcePort + "/" + destinationPort
                        + " or payload length " + payloadLength + " out of range");
            }
        }

        /** Reads a checked datagram; refuses a checksum that does not check against the pseudo-header. */
        public static Repr parse(Datagram d, Ipv4Address source, Ipv4Address destination) throws MalformedPacketException {
            if (!d.checksumValid(source.value(), destination.value())) {
                throw new MalformedPacketException("UDP", Malformed.BAD_CHECKSUM);
            }
            return new Repr(d.sourcePort(), d.destinationPort(), d.payloadLength());
        }

        /** Writes the header and the checksum over it and the payload already after it. */
        public void emit(Datagram d, Ipv4Address source, Ipv4Address destination) {
            d.setSourcePort(sourcePort);
            d.setDestinationPort(destinationPort);
            d.setLengthField(HEADER_LEN + payloadLength);
            d.fillChecksum(source.value(), destination.value());
        }

        public int bufferLength() {
            return HEADER_LEN + payloadLength;
        }
    }
}

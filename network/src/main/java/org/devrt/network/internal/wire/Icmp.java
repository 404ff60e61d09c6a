package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

/**
 * ICMP for IPv4 (RFC 792): type, code, checksum over the whole message, the 4-byte rest of header (identifier
 * and sequence for echo; unused for destination unreachable) and the data (for errors: the offending datagram's
 * header and at least 8 bytes of its payload).
 */
public final class Icmp {
    public static final int TYPE = 0;
    public static final int CODE = 1;
    public static final int CHECKSUM = 2;
    public static final int REST_OF_HEADER = 4;
    public static final int IDENTIFIER = 4;
    public static final int SEQUENCE = 6;
    public static final int HEADER_LEN = 8;

    /** Destination unreachable codes (RFC 792, RFC 1122 3.2.2.1). */
    public static final int NET_UNREACHABLE = 0;
    public static final int HOST_UNREACHABLE = 1;
    public static final int PROTOCOL_UNREACHABLE = 2;
    public static final int PORT_UNREACHABLE = 3;
    public static final int FRAGMENTATION_NEEDED = 4;
    /** Time exceeded codes. */
    public static final int TTL_EXCEEDED = 0;
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;
    /** How much of an offending datagram's payload an error quotes after its header (RFC 792). */
    public static final int QUOTED_PAYLOAD_LEN = 8;

    private Icmp() {
    }

    /**
     * The type field as a value; unknown numbers round-trip.
     *
     * @param value 0 to 255
     */
    public record Type(int value) {
        public static final Type ECHO_REPLY = new Type(0);
        public static final Type DESTINATION_UNREACHABLE = new Type(3);
        public static final Type REDIRECT = new Type(5);
        public static final Type ECHO_REQUEST = new Type(8);
        public static final Type TIME_EXCEEDED = new Type(11);
        public static final Type PARAMETER_PROBLEM = new Type(12);

        public Type {
            if (value < 0 || value > 0xff) {
                throw new IllegalArgumentException("ICMP type " + value + " is not 8 bits");
            }
        }

        /** The constant for a known number (no allocation), else a new value. */
        public static Type of(int value) {
            return switch (value) {
                case 0 -> ECHO_REPLY;
                case 3 -> DESTINATION_UNREACHABLE;
                case 5 -> REDIRECT;
                case 8 -> ECHO_REQUEST;
                case 11 -> TIME_EXCEEDED;
                case 12 -> PARAMETER_PROBLEM;
                default -> new Type(value);
            };
        }

        /** Whether this type reports an error (RFC 1122 3.2.2: no error is ever sent about an error). */
        public boolean isError() {
            return value == 3 || value == 4 || value == 5 || value == 11 || value == 12;
        }

        @Override
        public String toString() {
            return switch (value) {
                case 0 -> "EchoReply";
                case 3 -> "DestinationUnreachable";
                case 5 -> "Redirect";
                case 8 -> "EchoRequest";
                case 11 -> "TimeExceeded";
                case 12 -> "ParameterProblem";
                default -> "Unknown(" + value + ")";
            };
        }
    }

    /** A view of an ICMP message; it spans the whole IP payload (ICMP has no length field). */
    public static final class Packet extends View {
        /** Checked constructor for untrusted bytes: null when the 8-byte header is present. */
        public Malformed wrap(ByteBuffer buffer, int from, int to) {
            if (to - from < HEADER_LEN) {
                return Malformed.TRUNCATED;
            }
            bind(buffer, from, to);
            return null;
        }

        /** Binds a range about to be written: header and data. */
        public Packet wrapForEmit(ByteBuffer buffer, int from, int to) {
            requireRoom("an ICMP message", buffer, from, to, HEADER_LEN);
            bind(buffer, from, to);
            return this;
        }

        public Type type() {
            return Type.of(typeValue());
        }

        public int typeValue() {
            return Bytes.u8(buf, start + TYPE);
        }

        public int code() {
            return Bytes.u8(buf, start + CODE);
        }

        public int checksum() {
            return Bytes.u16(buf, start + CHECKSUM);
        }

        /** The 32 bits after the checksum, whatever the type makes of them. */
        public int restOfHeader() {
            return Bytes.u32(buf, start + REST_OF_HEADER);
        }

        /** Echo request and reply: the identifier. */
        public int identifier() {
            return Bytes.u16(buf, start + IDENTIFIER);
        }

        /** Echo request and reply: the sequence number. */
        public int sequence() {
            return Bytes.u16(buf, start + SEQUENCE);
        }

        public int dataOffset() {
            return start + HEADER_LEN;
        }

        /** Bytes 4-7 as one address: a redirect's gateway (RFC 792). */
        public int gatewayAddress() {
            return Bytes.u16(buf, start + IDENTIFIER) << 16 | Bytes.u16(buf, start + SEQUENCE);
        }

        public int dataLength() {
            return end - start - HEADER_LEN;
        }

        public boolean checksumValid() {
            return Checksum.verifies(Checksum.sum(buf, start, end));
        }

        public void setType(Type type) {
            Bytes.put8(buf, start + TYPE, type.value());
        }

        public void setCode(int code) {
            Bytes.put8(buf, start + CODE, code);
        }

        public void setRestOfHeader(int value) {
            Bytes.put32(buf, start + REST_OF_HEADER, value);
        }

        public void setIdentifier(int id) {
            Bytes.put16(buf, start + IDENTIFIER, id);
        }

        public void setSequence(int seq) {
            Bytes.put16(buf, start + SEQUENCE, seq);
        }

        /** Computes and writes the checksum over header and data as they are now. */
        public void fillChecksum() {
            Bytes.put16(buf, start + CHECKSUM, 0);
            Bytes.put16(buf, start + CHECKSUM, Checksum.complement(Checksum.sum(buf, start, end)));
        }
    }

    /**
     * An ICMP header as a value; the data stays in the buffer (emit checksums what is there).
     *
     * @param type the message type
     * @param code the code, 0 to 255
     * @param restOfHeader the 32 bits after the checksum (identifier and sequence for echo)
     * @param dataLength bytes after the 8-byte header
     */
    public record Repr(Type type, int code, int restOfHeader, int dataLength) {
        public Repr {
            if (code < 0 || code > 0xff || dataLength < 0) {
                throw new IllegalArgumentException("ICMP code " + code + " or data length " + dataLength + " out of range");
            }
        }

        public static Repr echoRequest(int identifier, int sequence, int dataLength) {
            return new Repr(Type.ECHO_REQUEST, 0, identifier << 16 | sequence & 0xffff, dataLength);
        }

        public static Repr echoReply(int identifier, int sequence, int dataLength) {
            return new Repr(Type.ECHO_REPLY, 0, identifier << 16 | sequence & 0xffff, dataLength);
        }

        /** Destination unreachable with {@code code}; the data is the quoted header and 8 payload bytes. */
        public static Repr destinationUnreachable(int code, int quotedLength) {
            return new Repr(Type.DESTINATION_UNREACHABLE, code, 0, quotedLength);
        }

        public int identifier() {
            return restOfHeader >>> 16;
        }

        public int sequence() {
            return restOfHeader & 0xffff;
        }

        /** Reads a checked message; refuses a bad checksum. */
        public static Repr parse(Packet p) throws MalformedPacketException {
            if (!p.checksumValid()) {
                throw new MalformedPacketException("ICMP", Malformed.BAD_CHECKSUM);
            }
            return new Repr(p.type(), p.code(), p.restOfHeader(), p.dataLength());
        }

        /** Writes the header and the checksum over it and the {@link #dataLength} bytes already after it. */
        public void emit(Packet p) {
            p.setType(type);
            p.setCode(code);
            p.setRestOfHeader(restOfHeader);
            p.fillChecksum();
        }

        public int bufferLength() {
            return HEADER_LEN + dataLength;
        }
    }
}

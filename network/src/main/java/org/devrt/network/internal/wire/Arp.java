package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;

/** ARP (RFC 826) for Ethernet and IPv4 only: the 28-byte packet with 6-byte hardware and 4-byte protocol addresses. */
public final class Arp {
    public static final int HARDWARE_TYPE = 0;
    public static final int PROTOCOL_TYPE = 2;
    public static final int HARDWARE_LEN = 4;
    public static final int PROTOCOL_LEN = 5;
    public static final int OPERATION = 6;
    public static final int SENDER_HARDWARE = 8;
    public static final int SENDER_PROTOCOL = 14;
    public static final int TARGET_HARDWARE = 18;
    public static final int TARGET_PROTOCOL = 24;
    public static final int PACKET_LEN = 28;
    /** The fixed part before the addresses. */
    static final int FIXED_LEN = 8;
    /** Hardware type Ethernet (RFC 826 ar$hrd). */
    public static final int HARDWARE_ETHERNET = 1;

    private Arp() {
    }

    /**
     * The operation field as a value; numbers other than request and reply round-trip.
     *
     * @param value 0 to 0xffff
     */
    public record Operation(int value) {
        public static final Operation REQUEST = new Operation(1);
        public static final Operation REPLY = new Operation(2);

        public Operation {
            if (value < 0 || value > 0xffff) {
                throw new IllegalArgumentException("ARP operation " + value + " is not 16 bits");
            }
        }

        /** The constant for a known number (no allocation), else a new value. */
        public static Operation of(int value) {
            return value == 1 ? REQUEST : value == 2 ? REPLY : new Operation(value);
        }

        @Override
        public String toString() {
            return value == 1 ? "Request" : value == 2 ? "Reply" : "Unknown(" + value + ")";
        }
    }

    /** A view of an Ethernet/IPv4 ARP packet. */
    public static final class Packet extends View {
        /**
         * Checked constructor for untrusted bytes: null when they are an Ethernet/IPv4 ARP packet; bytes after the
         * 28 (Ethernet padding) are not part of it.
         */
        public Malformed wrap(ByteBuffer buffer, int from, int to) {
            if (to - from < FIXED_LEN) {
                return Malformed.TRUNCATED;
            }
            if (Bytes.u16(buffer, from + HARDWARE_TYPE) != HARDWARE_ETHERNET
                    || Bytes.u16(buffer, from + PROTOCOL_TYPE) != Ethernet.EtherType.IPV4.value()
                    || Bytes.u8(buffer, from + HARDWARE_LEN) != 6 || Bytes.u8(buffer, from + PROTOCOL_LEN) != 4) {
                return Malformed.UNSUPPORTED;
            }
            if (to - from < PACKET_LEN) {
                return Malformed.TRUNCATED;
            }
            bind(buffer, from, from + PACKET_LEN);
            return null;
        }

        /** Binds a range about to be written; it must hold 28 bytes. */
        public Packet wrapForEmit(ByteBuffer buffer, int from, int to) {
            requireRoom("an ARP packet", buffer, from, to, PACKET_LEN);
            bind(buffer, from, from + PACKET_LEN);
            return this;
        }

        public Operation operation() {
            return Operation.of(operationValue());
        }

        public int operationValue() {
            return Bytes.u16(buf, start + OPERATION);
        }

        public MacAddress senderHardware() {
            return macAt(SENDER_HARDWARE);
        }

        public int senderProtocol() {
            return Bytes.u32(buf, start + SENDER_PROTOCOL);
        }

        public MacAddress targetHardware() {
            return macAt(TARGET_HARDWARE);
        }

        public int targetProtocol() {
            return Bytes.u32(buf, start + TARGET_PROTOCOL);
        }

        /** Whether the sender's hardware address is {@code mac}, without making a MacAddress. */
        public boolean senderHardwareIs(MacAddress mac) {
            return macAtIs(SENDER_HARDWARE, mac);
        }

        /** Writes the fixed Ethernet/IPv4 fields: hardware type, protocol type and both lengths. */
        public void setEthernetIpv4() {
            Bytes.put16(buf, start + HARDWARE_TYPE, HARDWARE_ETHERNET);
            Bytes.put16(buf, start + PROTOCOL_TYPE, Ethernet.EtherType.IPV4.value());
            Bytes.put8(buf, start + HARDWARE_LEN, 6);
            Bytes.put8(buf, start + PROTOCOL_LEN, 4);
        }

        public void setOperation(Operation op) {
            Bytes.put16(buf, start + OPERATION, op.value());
        }

        public void setSenderHardware(MacAddress mac) {
            putMacAt(SENDER_HARDWARE, mac);
        }

        public void setSenderProtocol(int address) {
            Bytes.put32(buf, start + SENDER_PROTOCOL, address);
        }

        public void setTargetHardware(MacAddress mac) {
            putMacAt(TARGET_HARDWARE, mac);
        }

        public void setTargetProtocol(int address) {
            Bytes.put32(buf, start + TARGET_PROTOCOL, address);
        }
    }

    /**
     * An Ethernet/IPv4 ARP packet as a value.
     *
     * @param operation request, reply or another number
     * @param senderHardware the sender's MAC
     * @param senderProtocol the sender's IPv4 address
     * @param targetHardware the target's MAC (zero in a request)
     * @param targetProtocol the IPv4 address asked about
     */
    public record Repr(Operation operation, MacAddress senderHardware, Ipv4Address senderProtocol,
            MacAddress targetHardware, Ipv4Address targetProtocol) {
        /** The all-zero hardware address a request carries as its target. */
        public static final MacAddress UNKNOWN = MacAddress.of(new byte[6]);

        public static Repr parse(Packet p) {
            return new Repr(p.operation(), p.senderHardware(), new Ipv4Address(p.senderProtocol()),
                    p.targetHardware(), new Ipv4Address(p.targetProtocol()));
        }

        public void emit(Packet p) {
            p.setEthernetIpv4();
            p.setOperation(operation);
            p.setSenderHardware(senderHardware);
            p.setSenderProtocol(senderProtocol.value());
            p.setTargetHardware(targetHardware);
            p.setTargetProtocol(targetProtocol.value());
        }

        public int bufferLength() {
            return PACKET_LEN;
        }
    }
}

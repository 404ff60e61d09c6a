package org.devrt.network.internal.wire;

import java.nio.ByteBuffer;

import org.devrt.device.MacAddress;

/** Ethernet II (DIX) framing: destination, source, EtherType, payload; no FCS (the NIC strips and adds it). */
public final class Ethernet {
    public static final int DESTINATION = 0;
    public static final int SOURCE = 6;
    public static final int ETHER_TYPE = 12;
    public static final int HEADER_LEN = 14;
    /** The shortest frame on the wire without its FCS; shorter ones are padded with zeros. */
    public static final int MIN_FRAME_LEN = 60;

    private Ethernet() {
    }

    /**
     * The EtherType field as a value: the known types are constants, any other number is a value too and
     * round-trips ({@code Unknown(0x88b5)}).
     *
     * @param value 0 to 0xffff
     */
    public record EtherType(int value) {
        public static final EtherType IPV4 = new EtherType(0x0800);
        public static final EtherType ARP = new EtherType(0x0806);
        public static final EtherType VLAN = new EtherType(0x8100);
        public static final EtherType IPV6 = new EtherType(0x86dd);

        public EtherType {
            if (value < 0 || value > 0xffff) {
                throw new IllegalArgumentException("EtherType " + value + " is not 16 bits");
            }
        }

        /** The constant for a known number (no allocation), else a new value. */
        public static EtherType of(int value) {
            return switch (value) {
                case 0x0800 -> IPV4;
                case 0x0806 -> ARP;
                case 0x8100 -> VLAN;
                case 0x86dd -> IPV6;
                default -> new EtherType(value);
            };
        }

        public boolean isKnown() {
            return this == of(value);
        }

        @Override
        public String toString() {
            return switch (value) {
                case 0x0800 -> "IPv4";
                case 0x0806 -> "ARP";
                case 0x8100 -> "VLAN";
                case 0x86dd -> "IPv6";
                default -> String.format("Unknown(0x%04x)", value);
            };
        }
    }

    /** A view of an Ethernet II frame. */
    public static final class Frame extends View {
        /** Checked constructor: binds {@code [from, to)} of untrusted bytes; null when well-formed. */
        public Malformed wrap(ByteBuffer buffer, int from, int to) {
            if (to - from < HEADER_LEN) {
                return Malformed.TRUNCATED;
            }
            bind(buffer, from, to);
            return null;
        }

        /** Binds the buffer's position to limit. */
        public Malformed wrap(ByteBuffer buffer) {
            return wrap(buffer, buffer.position(), buffer.limit());
        }

        /** Binds a range about to be written; it must hold at least the header. */
        public Frame wrapForEmit(ByteBuffer buffer, int from, int to) {
            requireRoom("an Ethernet frame", buffer, from, to, HEADER_LEN);
            bind(buffer, from, to);
            return this;
        }

        public MacAddress destination() {
            return macAt(DESTINATION);
        }

        public MacAddress source() {
            return macAt(SOURCE);
        }

        public boolean destinationIs(MacAddress mac) {
            return macAtIs(DESTINATION, mac);
        }

        public boolean sourceIs(MacAddress mac) {
            return macAtIs(SOURCE, mac);
        }

        /** Whether the destination is a group address (multicast or broadcast). */
        public boolean destinationIsMulticast() {
            return (Bytes.u8(buf, start + DESTINATION) & 1) != 0;
        }

        public boolean destinationIsBroadcast() {
            return macAtIs(DESTINATION, MacAddress.BROADCAST);
        }

        public EtherType etherType() {
            return EtherType.of(etherTypeValue());
        }

        public int etherTypeValue() {
            return Bytes.u16(buf, start + ETHER_TYPE);
        }

        public int payloadOffset() {
            return start + HEADER_LEN;
        }

        public void setDestination(MacAddress mac) {
            putMacAt(DESTINATION, mac);
        }

        public void setSource(MacAddress mac) {
            putMacAt(SOURCE, mac);
        }

        public void setEtherType(EtherType type) {
            Bytes.put16(buf, start + ETHER_TYPE, type.value());
        }
    }

    /**
     * An Ethernet II header as a value.
     *
     * @param source the sender
     * @param destination the receiver, or a group address
     * @param etherType what the payload is
     */
    public record Repr(MacAddress source, MacAddress destination, EtherType etherType) {
        public static Repr parse(Frame frame) {
            return new Repr(frame.source(), frame.destination(), frame.etherType());
        }

        public void emit(Frame frame) {
            frame.setDestination(destination);
            frame.setSource(source);
            frame.setEtherType(etherType);
        }

        public int headerLength() {
            return HEADER_LEN;
        }
    }
}

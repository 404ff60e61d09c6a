package org.devrt.network.internal.wire;

/**
 * Why untrusted bytes are not a well-formed packet of a protocol. A checked view returns one of these instead of
 * binding; the stack counts it and drops the packet. Nothing here is thrown on the data path.
 */
public enum Malformed {
    /** The buffer is shorter than the protocol's fixed header. */
    TRUNCATED,
    /** A version field other than the one this format reads (IPv4's version is not 4). */
    BAD_VERSION,
    /** A header-length field below the minimum or beyond the buffer (IPv4's IHL). */
    BAD_HEADER_LENGTH,
    /** A length field that lies: larger than the bytes present, or smaller than the header (IPv4, UDP). */
    BAD_LENGTH,
    /** An option whose length is below 2 or runs past the header's end (IPv4's options, RFC 791 3.1). */
    BAD_OPTIONS,
    /** A well-formed packet of a kind this format does not read (ARP for other than Ethernet and IPv4). */
    UNSUPPORTED,
    /** The checksum does not match the content; reported by the value types' {@code parse}, not by the views. */
    BAD_CHECKSUM
}

package org.devrt.emulator.internal.net;

import java.util.Arrays;

/**
 * A switch's forwarding table: 48-bit MAC address to port, open addressing with linear probing, no allocation per
 * lookup or update. It holds at most {@link #MAX_ENTRIES}; when full, new addresses are not learnt (their frames
 * are flooded), as a real switch's CAM does. Not thread-safe: the switch guards it.
 */
final class MacTable<P> {
    static final int MAX_ENTRIES = 4096;
    private static final int SLOTS = 8192;
    private static final long EMPTY = -1L;

    private final long[] keys = new long[SLOTS];
    private final Object[] ports = new Object[SLOTS];
    private int size;

    MacTable() {
        Arrays.fill(keys, EMPTY);
    }

    /** The port {@code mac} was learnt on, or null. */
    @SuppressWarnings("unchecked")
    P get(long mac) {
        for (int i = slot(mac); keys[i] != EMPTY; i = (i + 1) & (SLOTS - 1)) {
            if (keys[i] == mac) {
                return (P) ports[i];
            }
        }
        return null;
    }

    /** Learns (or moves) {@code mac} to {@code port}; returns false when the table is full. */
    boolean put(long mac, P port) {
        int i = slot(mac);
        for (; keys[i] != EMPTY; i = (i + 1) & (SLOTS - 1)) {
            if (keys[i] == mac) {
                ports[i] = port;
                return true;
            }
        }
        if (size == MAX_ENTRIES) {
            return false;
        }
        keys[i] = mac;
        ports[i] = port;
        size++;
        return true;
    }

    /** Forgets every address learnt on {@code port} (rebuilds the table; ports leave rarely). */
    @SuppressWarnings("unchecked")
    void removePort(P port) {
        long[] oldKeys = keys.clone();
        Object[] oldPorts = ports.clone();
        Arrays.fill(keys, EMPTY);
        Arrays.fill(ports, null);
        size = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (oldKeys[i] != EMPTY && oldPorts[i] != port) {
                put(oldKeys[i], (P) oldPorts[i]);
            }
        }
    }

    int size() {
        return size;
    }

    private static int slot(long mac) {
        long h = mac * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 51) & (SLOTS - 1);
    }
}

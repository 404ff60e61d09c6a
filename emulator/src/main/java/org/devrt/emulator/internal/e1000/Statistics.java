package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.GORCH;
import static org.devrt.emulator.internal.e1000.E1000Registers.GORCL;
import static org.devrt.emulator.internal.e1000.E1000Registers.GOTCH;
import static org.devrt.emulator.internal.e1000.E1000Registers.GOTCL;
import static org.devrt.emulator.internal.e1000.E1000Registers.STATS_FIRST;
import static org.devrt.emulator.internal.e1000.E1000Registers.STATS_LAST;
import static org.devrt.emulator.internal.e1000.E1000Registers.TORH;
import static org.devrt.emulator.internal.e1000.E1000Registers.TORL;
import static org.devrt.emulator.internal.e1000.E1000Registers.TOTH;
import static org.devrt.emulator.internal.e1000.E1000Registers.TOTL;

import java.util.Arrays;

/**
 * The statistics registers, 4000h-40FCh (8254x SDM 13.7): read-only, cleared on read, sticking at their maximum.
 * The 64-bit counters (GORCL/H, GOTCL/H, TORL/H, TOTL/H) clear when their high half is read, so a driver reads low
 * then high. Not thread-safe: the model's lock guards it.
 */
final class Statistics {
    private final int[] counters = new int[(STATS_LAST - STATS_FIRST) / 4 + 1];

    static boolean covers(int offset) {
        return offset >= STATS_FIRST && offset <= STATS_LAST;
    }

    void reset() {
        Arrays.fill(counters, 0);
    }

    /** Clear-on-read (a low half of a 64-bit counter is not cleared). */
    int read(int offset) {
        int i = index(offset);
        int value = counters[i];
        switch (offset) {
            case GORCL, GOTCL, TORL, TOTL -> {
                return value;
            }
            case GORCH, GOTCH, TORH, TOTH -> counters[i - 1] = 0;
            default -> {
            }
        }
        counters[i] = 0;
        return value;
    }

    /** Counts one, sticking at FFFF_FFFFh. */
    void increment(int offset) {
        int i = index(offset);
        if (counters[i] != -1) {
            counters[i]++;
        }
    }

    /** Adds to a 64-bit counter given by its low half, sticking at its maximum. */
    void add64(int low, long amount) {
        int i = index(low);
        long value = (counters[i + 1] & 0xFFFF_FFFFL) << 32 | (counters[i] & 0xFFFF_FFFFL);
        long sum = value + amount;
        if (Long.compareUnsigned(sum, value) < 0) {
            sum = -1L;
        }
        counters[i] = (int) sum;
        counters[i + 1] = (int) (sum >>> 32);
    }

    /**
     * Counts a packet of {@code length} bytes (with FCS) in the size buckets that start at {@code first} (PRC64 or
     * PTC64): 64, 65-127, 128-255, 256-511, 512-1023, 1024-1522. Longer and shorter ones are in no bucket.
     */
    void countSize(int first, int length) {
        int bucket;
        if (length < 64 || length > 1522) {
            return;
        } else if (length == 64) {
            bucket = 0;
        } else if (length < 128) {
            bucket = 1;
        } else if (length < 256) {
            bucket = 2;
        } else if (length < 512) {
            bucket = 3;
        } else if (length < 1024) {
            bucket = 4;
        } else {
            bucket = 5;
        }
        increment(first + 4 * bucket);
    }

    private static int index(int offset) {
        return (offset - STATS_FIRST) / 4;
    }
}

package org.devrt.vfs.internal.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The FAT32 FSInfo sector (FAT spec, section 5): a hint of the free cluster count and of the next free one. */
final class FsInfo {
    static final int FSI_LEAD_SIG = 0;
    static final int FSI_STRUC_SIG = 484;
    static final int FSI_FREE_COUNT = 488;
    static final int FSI_NXT_FREE = 492;
    static final int FSI_TRAIL_SIG = 508;
    static final int LEAD_SIG = 0x41615252;
    static final int STRUC_SIG = 0x61417272;
    static final int TRAIL_SIG = 0xAA550000;
    /** "Unknown" for either field. */
    static final int UNKNOWN = 0xFFFFFFFF;
    static final int SIZE = 512;

    private FsInfo() {
    }

    static boolean valid(ByteBuffer sector) {
        ByteBuffer b = sector.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(FSI_LEAD_SIG) == LEAD_SIG && b.getInt(FSI_STRUC_SIG) == STRUC_SIG
                && b.getInt(FSI_TRAIL_SIG) == TRAIL_SIG;
    }

    static long freeCount(ByteBuffer sector) {
        return Integer.toUnsignedLong(sector.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(FSI_FREE_COUNT));
    }

    static long nextFree(ByteBuffer sector) {
        return Integer.toUnsignedLong(sector.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(FSI_NXT_FREE));
    }

    /** A fresh FSInfo sector. */
    static ByteBuffer emit(long freeCount, long nextFree) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FSI_LEAD_SIG, LEAD_SIG);
        b.putInt(FSI_STRUC_SIG, STRUC_SIG);
        b.putInt(FSI_FREE_COUNT, (int) freeCount);
        b.putInt(FSI_NXT_FREE, (int) nextFree);
        b.putInt(FSI_TRAIL_SIG, TRAIL_SIG);
        return b;
    }
}

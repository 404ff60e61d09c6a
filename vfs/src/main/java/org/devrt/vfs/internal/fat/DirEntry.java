package org.devrt.vfs.internal.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDateTime;

/**
 * A 32-byte short directory entry (FAT spec, section 6), as a view over its bytes with the specification's
 * field names. Every accessor is total: any 32 bytes are a DirEntry.
 */
final class DirEntry {
    static final int SIZE = 32;
    static final int DIR_NAME = 0;
    static final int DIR_ATTR = 11;
    static final int DIR_NT_RES = 12;
    static final int DIR_CRT_TIME_TENTH = 13;
    static final int DIR_CRT_TIME = 14;
    static final int DIR_CRT_DATE = 16;
    static final int DIR_LST_ACC_DATE = 18;
    static final int DIR_FST_CLUS_HI = 20;
    static final int DIR_WRT_TIME = 22;
    static final int DIR_WRT_DATE = 24;
    static final int DIR_FST_CLUS_LO = 26;
    static final int DIR_FILE_SIZE = 28;

    static final int ATTR_READ_ONLY = 0x01;
    static final int ATTR_HIDDEN = 0x02;
    static final int ATTR_SYSTEM = 0x04;
    static final int ATTR_VOLUME_ID = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int ATTR_ARCHIVE = 0x20;
    static final int ATTR_LONG_NAME = 0x0F;
    static final int ATTR_LONG_NAME_MASK = 0x3F;

    /** DIR_NTRes bits (Windows NT and Linux): the base name, or the extension, is shown in lower case. */
    static final int NT_LOWER_BASE = 0x08;
    static final int NT_LOWER_EXT = 0x10;

    /** DIR_Name[0]: this entry and every one after it are free. */
    static final int END = 0x00;
    /** DIR_Name[0]: this entry is free (deleted). */
    static final int FREE = 0xE5;
    /** DIR_Name[0] of a name whose first character really is 0xE5. */
    static final int KANJI_E5 = 0x05;

    final ByteBuffer b;
    /**
     * Whether DIR_FstClusHI is the cluster number's high word: on FAT32 only. On FAT12/16 it is 0, or on volumes OS/2
     * and Windows NT wrote an extended-attribute handle, which Linux's fat_get_start and dosfstools ignore and keep.
     */
    private final boolean clusterHigh;

    /** An entry of a FAT32 volume (or a new one, whose high word is 0 on FAT12/16 anyway). */
    DirEntry(byte[] raw) {
        this(raw, true);
    }

    DirEntry(byte[] raw, boolean clusterHigh) {
        if (raw.length != SIZE) {
            throw new IllegalArgumentException("a directory entry has 32 bytes, not " + raw.length);
        }
        this.b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        this.clusterHigh = clusterHigh;
    }

    /** A copy of these 32 bytes, read as this entry is. */
    DirEntry copy() {
        return new DirEntry(b.array().clone(), clusterHigh);
    }

    static DirEntry blank() {
        return new DirEntry(new byte[SIZE]);
    }

    byte[] bytes() {
        return b.array();
    }

    byte[] name11() {
        byte[] n = new byte[11];
        System.arraycopy(b.array(), DIR_NAME, n, 0, 11);
        return n;
    }

    void name11(byte[] name) {
        System.arraycopy(name, 0, b.array(), DIR_NAME, 11);
    }

    int attr() {
        return b.get(DIR_ATTR) & 0xFF;
    }

    void attr(int a) {
        b.put(DIR_ATTR, (byte) a);
    }

    boolean isDirectory() {
        return (attr() & ATTR_DIRECTORY) != 0;
    }

    int ntRes() {
        return b.get(DIR_NT_RES) & 0xFF;
    }

    void ntRes(int v) {
        b.put(DIR_NT_RES, (byte) v);
    }

    int firstCluster() {
        int low = b.getShort(DIR_FST_CLUS_LO) & 0xFFFF;
        return clusterHigh ? (b.getShort(DIR_FST_CLUS_HI) & 0xFFFF) << 16 | low : low;
    }

    /** Sets the first cluster; on FAT12/16 DIR_FstClusHI is left as it is. */
    void firstCluster(int c) {
        if (clusterHigh) {
            b.putShort(DIR_FST_CLUS_HI, (short) (c >>> 16));
        }
        b.putShort(DIR_FST_CLUS_LO, (short) c);
    }

    long size() {
        return Integer.toUnsignedLong(b.getInt(DIR_FILE_SIZE));
    }

    void size(long s) {
        b.putInt(DIR_FILE_SIZE, (int) s);
    }

    LocalDateTime created() {
        return DosTime.decode(u16(DIR_CRT_DATE), u16(DIR_CRT_TIME), b.get(DIR_CRT_TIME_TENTH) & 0xFF);
    }

    void created(LocalDateTime t) {
        b.putShort(DIR_CRT_DATE, (short) DosTime.date(t));
        b.putShort(DIR_CRT_TIME, (short) DosTime.time(t));
        b.put(DIR_CRT_TIME_TENTH, (byte) DosTime.tenths(t));
    }

    LocalDateTime modified() {
        return DosTime.decode(u16(DIR_WRT_DATE), u16(DIR_WRT_TIME), 0);
    }

    void modified(LocalDateTime t) {
        b.putShort(DIR_WRT_DATE, (short) DosTime.date(t));
        b.putShort(DIR_WRT_TIME, (short) DosTime.time(t));
    }

    LocalDateTime accessed() {
        return DosTime.decode(u16(DIR_LST_ACC_DATE), 0, 0);
    }

    /** Sets the access date; returns whether it changed. */
    boolean accessed(LocalDateTime t) {
        int d = DosTime.date(t);
        if (u16(DIR_LST_ACC_DATE) == d) {
            return false;
        }
        b.putShort(DIR_LST_ACC_DATE, (short) d);
        return true;
    }

    private int u16(int at) {
        return b.getShort(at) & 0xFFFF;
    }
}

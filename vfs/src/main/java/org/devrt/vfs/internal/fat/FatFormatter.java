package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Locale;

import org.devrt.vfs.internal.cache.BlockCache;

/**
 * Writes a new, empty FAT volume (mkfs): boot sector, FSInfo and backup boot sector on FAT32, zeroed FATs with
 * their reserved entries, an empty root directory with the label entry, as mkfs.fat lays them out. The data area is
 * left as it was.
 */
public final class FatFormatter {
    /** x86 code that stops the machine: cli; hlt; jmp back to hlt. A devrt volume is not bootable. */
    private static final byte[] BOOT_CODE = {(byte) 0xFA, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
    private static final String OEM_NAME = "MSWIN4.1";
    private static final int BACKUP_BOOT_SECTOR = 6;

    /**
     * What to make.
     *
     * @param type FAT12, FAT16 or FAT32; null to choose by size
     * @param sectorsPerCluster a power of two up to 128; 0 to choose
     * @param label up to 11 characters, stored in upper case; "" for none
     * @param volumeId the serial number; null for one from the clock
     * @param hiddenSectors the partition's first block (BPB_HiddSec)
     */
    public record Options(FatType type, int sectorsPerCluster, String label, Long volumeId, long hiddenSectors) {
        public Options {
            label = label == null ? "" : label.toUpperCase(Locale.ROOT);
            String bad = invalidLabel(label);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
        }

        public static Options defaults() {
            return new Options(null, 0, "", null, 0);
        }
    }

    private FatFormatter() {
    }

    /** Formats the region of {@code cache} and syncs it; returns the layout written. */
    public static FatLayout format(BlockCache cache, int sectorSize, Options o, Clock clock) throws IOException {
        FatLayout l = FatLayout.choose(cache.size(), Math.max(512, sectorSize), o.type(), o.sectorsPerCluster());
        int ss = l.bytesPerSector();
        long volumeId = o.volumeId() != null ? o.volumeId() : (clock.millis() * 2654435761L) >>> 16 & 0xFFFFFFFFL;
        cache.zero(0, (long) l.reservedSectors() * ss);
        ByteBuffer boot = bootSector(l, o, volumeId);
        cache.write(0, boot.duplicate());
        if (l.type() == FatType.FAT32) {
            cache.write(ss, FsInfo.emit(l.clusterCount() - 1, 3));
            cache.write((long) BACKUP_BOOT_SECTOR * ss, boot.duplicate());
        }
        long fatStart = (long) l.reservedSectors() * ss;
        long fatBytes = l.fatSectors() * ss;
        ByteBuffer head = reservedEntries(l.type());
        for (int i = 0; i < l.numFats(); i++) {
            cache.zero(fatStart + i * fatBytes, fatBytes);
            cache.write(fatStart + i * fatBytes, head.duplicate());
        }
        long rootStart = fatStart + l.numFats() * fatBytes;
        long rootBytes = l.type() == FatType.FAT32 ? (long) l.sectorsPerCluster() * ss : l.rootEntries() * 32L;
        cache.zero(rootStart, rootBytes);
        if (!o.label().isEmpty()) {
            DirEntry e = DirEntry.blank();
            e.name11(padded(o.label()));
            e.attr(DirEntry.ATTR_VOLUME_ID);
            LocalDateTime now = LocalDateTime.now(clock);
            e.modified(now);
            cache.write(rootStart, ByteBuffer.wrap(e.bytes()));
        }
        cache.sync();
        return l;
    }

    private static ByteBuffer bootSector(FatLayout l, Options o, long volumeId) {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        boolean fat32 = l.type() == FatType.FAT32;
        int code = fat32 ? 90 : 62;
        b.put(BootSector.BS_JMP_BOOT, (byte) 0xEB).put(1, (byte) (code - 2)).put(2, (byte) 0x90);
        b.put(BootSector.BS_OEM_NAME, OEM_NAME.getBytes(StandardCharsets.US_ASCII));
        b.putShort(BootSector.BPB_BYTS_PER_SEC, (short) l.bytesPerSector());
        b.put(BootSector.BPB_SEC_PER_CLUS, (byte) l.sectorsPerCluster());
        b.putShort(BootSector.BPB_RSVD_SEC_CNT, (short) l.reservedSectors());
        b.put(BootSector.BPB_NUM_FATS, (byte) l.numFats());
        b.putShort(BootSector.BPB_ROOT_ENT_CNT, (short) l.rootEntries());
        boolean small = l.totalSectors() < 65536;
        b.putShort(BootSector.BPB_TOT_SEC16, (short) (small ? l.totalSectors() : 0));
        b.put(BootSector.BPB_MEDIA, (byte) 0xF8);
        b.putShort(BootSector.BPB_FAT_SZ16, (short) (fat32 ? 0 : l.fatSectors()));
        b.putShort(BootSector.BPB_SEC_PER_TRK, (short) l.sectorsPerTrack());
        b.putShort(BootSector.BPB_NUM_HEADS, (short) l.heads());
        b.putInt(BootSector.BPB_HIDD_SEC, (int) o.hiddenSectors());
        b.putInt(BootSector.BPB_TOT_SEC32, (int) (small ? 0 : l.totalSectors()));
        if (fat32) {
            b.putInt(BootSector.BPB_FAT_SZ32, (int) l.fatSectors());
            b.putInt(BootSector.BPB_ROOT_CLUS, 2);
            b.putShort(BootSector.BPB_FS_INFO, (short) 1);
            b.putShort(BootSector.BPB_BK_BOOT_SEC, (short) BACKUP_BOOT_SECTOR);
        }
        int ext = fat32 ? BootSector.BS32_DRV_NUM : BootSector.BS_DRV_NUM;
        b.put(ext, (byte) 0x80);
        b.put(ext + 2, (byte) BootSector.EXTENDED_BOOT_SIGNATURE);
        b.putInt(ext + 3, (int) volumeId);
        b.put(ext + 7, padded(o.label().isEmpty() ? "NO NAME" : o.label()));
        b.put(ext + 18, String.format("%-8s", l.type().name()).getBytes(StandardCharsets.US_ASCII));
        b.put(code, BOOT_CODE);
        b.putShort(BootSector.SIGNATURE, (short) 0xAA55);
        return b.clear();
    }

    /** FAT[0] = the media byte with the other bits set, FAT[1] = end of chain (clean), FAT32's FAT[2] = the root. */
    private static ByteBuffer reservedEntries(FatType type) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FAT12 -> b.put(new byte[] {(byte) 0xF8, (byte) 0xFF, (byte) 0xFF}).flip();
            case FAT16 -> b.putShort((short) 0xFFF8).putShort((short) 0xFFFF).flip();
            case FAT32 -> b.putInt(0x0FFFFFF8).putInt(0x0FFFFFFF).putInt(0x0FFFFFFF).flip();
        }
        return b;
    }

    private static byte[] padded(String label) {
        return String.format("%-11s", label).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Why a label cannot be used, or null. */
    static String invalidLabel(String label) {
        if (label.length() > 11) {
            return "the label '" + label + "' is longer than 11 characters";
        }
        if (label.startsWith(" ")) {
            return "the label cannot start with a space";
        }
        for (char c : label.toCharArray()) {
            if (c < 0x20 || c > 0x7E || "*?.,;:/\\|+=<>[]\"".indexOf(c) >= 0) {
                return "the label has a character FAT does not allow: '" + c + "'";
            }
        }
        return null;
    }
}

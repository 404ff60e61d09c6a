package org.devrt.vfs.internal.shell;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.devrt.vfs.internal.mount.Disks.BlockVolume;
import org.junit.Test;

/** lsblk's layout, compared with what util-linux's lsblk prints for the same disks. */
public class LsblkTableTest {
    private static final LsblkTable.Style DEFAULT = new LsblkTable.Style(false, false, false);
    private static final LsblkTable.Style FS = new LsblkTable.Style(true, false, false);

    /** 128 MiB with an MBR: a FAT16 partition mounted, a FAT32 one with a label mounted, a third with nothing known. */
    private static final LsblkTable.DiskView SATA = new LsblkTable.DiskView(512, false, "DEVRT SATA DISK", "DEVRT-0001",
            List.of(new BlockVolume("sda", 0, 0, 262_144, "disk", "", "", ""),
                    new BlockVolume("sda1", 1, 2048, 81_920, "part", "vfat", "", "/mnt/sda1"),
                    new BlockVolume("sda2", 2, 83_968, 163_840, "part", "vfat", "DEVRT DATA", "/mnt/sda2"),
                    new BlockVolume("sda3", 3, 247_808, 14_336, "part", "", "", "")));
    /** A read-only whole-disk volume, no partition table. */
    private static final LsblkTable.DiskView WHOLE = new LsblkTable.DiskView(512, true, "DEVRT HARDDISK", "",
            List.of(new BlockVolume("sdb", 0, 0, 20_480, "disk", "vfat", "WHOLE", "/mnt/sdb")));

    @Test
    public void partitionsAreListedUnderTheirDiskWithLinuxTreePrefixes() {
        assertEquals(""
                + "NAME   SIZE RO TYPE MODEL           SERIAL     FSTYPE LABEL      MOUNTPOINTS\n"
                + "sda    128M  0 disk DEVRT SATA DISK DEVRT-0001\n"
                + "\u251c\u2500sda1  40M  0 part                            vfat              /mnt/sda1\n"
                + "\u251c\u2500sda2  80M  0 part                            vfat   DEVRT DATA /mnt/sda2\n"
                + "\u2514\u2500sda3   7M  0 part\n"
                + "sdb     10M  1 disk DEVRT HARDDISK             vfat   WHOLE      /mnt/sdb",
                LsblkTable.format(List.of(SATA, WHOLE), DEFAULT));
    }

    @Test
    public void filesystemsOptionShowsNameFstypeLabelAndMountpointsAsLsblkF() {
        assertEquals(""
                + "NAME   FSTYPE LABEL      MOUNTPOINTS\n"
                + "sda\n"
                + "\u251c\u2500sda1 vfat              /mnt/sda1\n"
                + "\u251c\u2500sda2 vfat   DEVRT DATA /mnt/sda2\n"
                + "\u2514\u2500sda3\n"
                + "sdb    vfat   WHOLE      /mnt/sdb", LsblkTable.format(List.of(SATA, WHOLE), FS));
    }

    @Test
    public void asciiTreeAndSizesInBytes() {
        assertEquals(""
                + "NAME   FSTYPE LABEL      MOUNTPOINTS\n"
                + "sda\n"
                + "|-sda1 vfat              /mnt/sda1\n"
                + "|-sda2 vfat   DEVRT DATA /mnt/sda2\n"
                + "`-sda3", LsblkTable.format(List.of(SATA), new LsblkTable.Style(true, false, true)));
        String bytes = LsblkTable.format(List.of(SATA), new LsblkTable.Style(false, true, true));
        assertEquals(bytes, "|-sda1  41943040  0 part", bytes.lines().skip(2).findFirst().orElseThrow().substring(0, 24));
    }

    @Test
    public void aPartitionShownWithoutItsDiskHasNoTreePrefix() {
        LsblkTable.DiskView alone = new LsblkTable.DiskView(512, false, "M", "S", SATA.volumes().subList(2, 3));
        assertEquals(""
                + "NAME FSTYPE LABEL      MOUNTPOINTS\n"
                + "sda2 vfat   DEVRT DATA /mnt/sda2", LsblkTable.format(List.of(alone), FS));
    }

    @Test
    public void theOnlyPartitionIsTheLastBranch() {
        LsblkTable.DiskView one = new LsblkTable.DiskView(512, false, "M", "S", SATA.volumes().subList(0, 2));
        assertEquals(""
                + "NAME   FSTYPE LABEL MOUNTPOINTS\n"
                + "sda\n"
                + "\u2514\u2500sda1 vfat         /mnt/sda1", LsblkTable.format(List.of(one), FS));
    }

    @Test
    public void noDisksIsTheHeaderAlone() {
        assertEquals("NAME SIZE RO TYPE MODEL SERIAL FSTYPE LABEL MOUNTPOINTS", LsblkTable.format(List.of(), DEFAULT));
    }
}

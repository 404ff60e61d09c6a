package org.devrt.vfs.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.devrt.vfs.internal.mount.DiskNames;
import org.devrt.vfs.internal.mount.Disks;
import org.devrt.vfs.internal.mount.MountTable;
import org.junit.Test;

public class BlockCommandsTest {
    /** A disk in memory; reads of {@code failAt} fail with a two-line message. */
    static final class RamDisk implements BlockDevice {
        final byte[] data;
        final String model;
        final String serial;
        long failAt = -1;

        RamDisk(int blocks, String model, String serial) {
            this.data = new byte[blocks * 512];
            this.model = model;
            this.serial = serial;
        }

        @Override
        public int blockSize() {
            return 512;
        }

        @Override
        public long blockCount() {
            return data.length / 512;
        }

        @Override
        public boolean isReadOnly() {
            return false;
        }

        @Override
        public String model() {
            return model;
        }

        @Override
        public String serial() {
            return serial;
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            if (lba == failAt) {
                throw new IOException("port 0: READ DMA EXT failed\n  PxIS = 0x40000000");
            }
            dst.put(data, (int) lba * 512, dst.remaining());
        }

        @Override
        public void write(long lba, ByteBuffer src) {
            src.get(data, (int) lba * 512, src.remaining());
        }

        @Override
        public void flush() {
        }
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-17T10:20:30Z"), ZoneOffset.UTC);
    private final MountTable table = new MountTable(CLOCK, 1 << 20);
    private final DiskNames names = new DiskNames((java.nio.file.Path) null);
    private final Disks volumes = new Disks(table, names);
    private final BlockCommands commands = new BlockCommands(names, volumes);
    private final RamDisk small = new RamDisk(32768, "DEVRT HARDDISK", "DR0001");
    private final RamDisk big = new RamDisk(3 * 1024, "DEVRT SSD", "");

    private static Map<String, Object> props(String id) {
        return Map.of(DeviceService.DEVICE_ID, id, DeviceService.DEVICE_TYPE, "block");
    }

    /** Binds a disk as SCR does, to both components, and waits until the automounter has looked at it. */
    private void add(RamDisk disk, String id) throws InterruptedException {
        volumes.addDisk(disk, props(id));
        commands.addDisk(disk, props(id));
        volumes.settle();
    }

    /** An MBR with {start, blocks, FAT bits or 0 for none, label} partitions, formatted by devrt's mkfs. */
    private static void partition(RamDisk disk, Object[]... parts) throws IOException {
        ByteBuffer mbr = ByteBuffer.wrap(disk.data, 0, 512).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < parts.length; i++) {
            long start = (Long) parts[i][0];
            long blocks = (Long) parts[i][1];
            int bits = (Integer) parts[i][2];
            int at = 0x1BE + 16 * i;
            mbr.put(at + 4, (byte) 0x0C).putInt(at + 8, (int) start).putInt(at + 12, (int) blocks);
            if (bits != 0) {
                FatFormatter.format(new BlockCache(disk, start, blocks, 1 << 20), 512, new FatFormatter.Options(
                        FatType.valueOf("FAT" + bits), 1, (String) parts[i][3], 7L, start), CLOCK);
            }
        }
        mbr.putShort(510, (short) 0xAA55);
    }

    @Test(timeout = 10000)
    public void lsblkListsDisksByNameInArrivalOrderWithLinuxColumns() throws Exception {
        add(small, "emulated/0000:00:1f.2/port0");
        add(big, "emulated/0000:00:1f.2/port1");
        assertEquals(""
                + "NAME SIZE RO TYPE MODEL          SERIAL FSTYPE LABEL MOUNTPOINTS\n"
                + "sda   16M  0 disk DEVRT HARDDISK DR0001\n"
                + "sdb  1.5M  0 disk DEVRT SSD", commands.lsblk());
    }

    @Test(timeout = 10000)
    public void lsblkBytesOptionPrintsExactSizes() throws Exception {
        add(small, "d0");
        assertTrue(commands.lsblk("-b"), commands.lsblk("-b").contains("sda  16777216  0 disk DEVRT HARDDISK DR0001"));
    }

    @Test(timeout = 10000)
    public void lsblkShowsThePartitionsTheAutomounterFoundWithFilesystemLabelAndMountPoint() throws Exception {
        partition(small, new Object[] {2048L, 12_288L, 16, "boot"}, new Object[] {14_336L, 18_432L, 0, ""});
        add(small, "d0");
        assertEquals(""
                + "NAME   SIZE RO TYPE MODEL          SERIAL FSTYPE LABEL MOUNTPOINTS\n"
                + "sda     16M  0 disk DEVRT HARDDISK DR0001\n"
                + "\u251c\u2500sda1   6M  0 part                       vfat   BOOT  /mnt/sda1\n"
                + "\u2514\u2500sda2   9M  0 part", commands.lsblk());
        assertEquals(""
                + "NAME   FSTYPE LABEL MOUNTPOINTS\n"
                + "sda\n"
                + "|-sda1 vfat   BOOT  /mnt/sda1\n"
                + "`-sda2", commands.lsblk("-fi"));
        assertEquals(""
                + "NAME FSTYPE LABEL MOUNTPOINTS\n"
                + "sda1 vfat   BOOT  /mnt/sda1", commands.lsblk("-f", "/dev/sda1"));
        assertEquals(commands.lsblk("-f"), commands.lsblk("--fs", "d0"));
        table.unmount("/mnt/sda1", false);
        assertEquals("sda1 vfat   BOOT", commands.lsblk("-f", "sda1").lines().skip(1).findFirst().orElseThrow());
    }

    @Test(timeout = 10000)
    public void aDiskTheAutomounterHasNotSeenIsListedAlone() {
        commands.addDisk(small, props("d0"));
        assertEquals(""
                + "NAME FSTYPE LABEL MOUNTPOINTS\n"
                + "sda", commands.lsblk("-f"));
    }

    @Test(timeout = 10000)
    public void aDiskThatGoesIsNoLongerListedAndKeepsItsNameWhenItComesBack() throws Exception {
        add(small, "d0");
        add(big, "d1");
        commands.removeDisk(small);
        volumes.removeDisk(small, props("d0"));
        assertFalse(commands.lsblk().contains("sda"));
        add(small, "d0");
        assertTrue(commands.lsblk().contains("sda"));
    }

    @Test
    public void wrongArgumentsGiveOneLineAndTheUsage() {
        assertEquals("lsblk: unknown option -x\n" + BlockCommands.LSBLK_USAGE, commands.lsblk("-x"));
        assertEquals("lsblk: unknown option -fx\n" + BlockCommands.LSBLK_USAGE, commands.lsblk("-fx"));
        assertEquals("lsblk: no block device sda9\n" + BlockCommands.LSBLK_USAGE, commands.lsblk("sda9"));
        assertEquals(BlockCommands.LSBLK_USAGE, commands.lsblk("--help"));
        assertEquals("blkdump: missing name\n" + BlockCommands.BLKDUMP_USAGE, commands.blkdump());
        assertEquals("blkdump: no block device sdq ('lsblk' lists them)\n" + BlockCommands.BLKDUMP_USAGE,
                commands.blkdump("sdq", "0"));
        commands.addDisk(small, props("d0"));
        assertEquals("blkdump: lba 'x' is not a non-negative number\n" + BlockCommands.BLKDUMP_USAGE,
                commands.blkdump("sda", "x"));
        assertEquals("blkdump: blocks 32767..32768 are outside sda (32768 blocks)", commands.blkdump("sda", "32767", "2"));
        assertEquals("the range past Long.MAX_VALUE wrapped to a negative number",
                "blkdump: blocks from 9223372036854775807 on are outside sda (32768 blocks)",
                commands.blkdump("sda", "0x7fffffffffffffff", "2"));
    }

    /** blkdump of a partition lsblk lists said "no block device sda1 ('lsblk' lists them)". */
    @Test(timeout = 10000)
    public void blkdumpOfAPartitionSaysItReadsWholeDisks() throws Exception {
        partition(small, new Object[] {2048L, 12_288L, 16, "boot"});
        add(small, "d0");
        assertEquals("blkdump: sda1 is a partition; blkdump reads whole disks (its blocks are those of the disk that"
                + " holds it)\n" + BlockCommands.BLKDUMP_USAGE, commands.blkdump("sda1", "0"));
    }

    @Test
    public void blkdumpPrintsBlocksAtTheirByteOffset() {
        small.data[512] = 'h';
        small.data[513] = 'i';
        commands.addDisk(small, props("d0"));
        assertEquals(""
                + "00000200  68 69 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |hi..............|\n"
                + "00000210  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
                + "*\n"
                + "00000400", commands.blkdump("/dev/sda", "0x1"));
    }

    @Test
    public void readErrorIsOneLineWithoutStackTraceOrRegisterDump() {
        small.failAt = 3;
        commands.addDisk(small, props("d0"));
        assertEquals("blkdump: reading sda failed: port 0: READ DMA EXT failed", commands.blkdump("sda", "3"));
    }
}

package org.devrt.vfs.internal.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.devrt.vfs.internal.mount.DiskNames;
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

    private final BlockCommands commands = new BlockCommands(new DiskNames((java.nio.file.Path) null));
    private final RamDisk small = new RamDisk(32768, "DEVRT HARDDISK", "DR0001");
    private final RamDisk big = new RamDisk(3 * 1024, "DEVRT SSD", "");

    private static Map<String, Object> props(String id) {
        return Map.of(DeviceService.DEVICE_ID, id, DeviceService.DEVICE_TYPE, "block");
    }

    @Test
    public void lsblkListsDisksByNameInArrivalOrderWithLinuxColumns() {
        commands.addDisk(small, props("emulated/0000:00:1f.2/port0"));
        commands.addDisk(big, props("emulated/0000:00:1f.2/port1"));
        assertEquals(""
                + "NAME SIZE RO TYPE MODEL          SERIAL MOUNTPOINTS\n"
                + "sda   16M  0 disk DEVRT HARDDISK DR0001\n"
                + "sdb  1.5M  0 disk DEVRT SSD", commands.lsblk());
    }

    @Test
    public void lsblkBytesOptionPrintsExactSizes() {
        commands.addDisk(small, props("d0"));
        assertTrue(commands.lsblk("-b"), commands.lsblk("-b").contains("sda  16777216  0 disk DEVRT HARDDISK DR0001"));
    }

    @Test
    public void lsblkShowsMountPointsFromTheVfsHook() {
        commands.addDisk(small, props("d0"));
        commands.vfs = new MountsOnly(List.of(new MountInfo("/mnt/sda1", "sda1", "d0", "vfat", "FAT16", "", false, 1, 1)));
        assertTrue(commands.lsblk(), commands.lsblk().endsWith("DR0001 /mnt/sda1"));
    }

    @Test
    public void aDiskThatGoesIsNoLongerListedAndKeepsItsNameWhenItComesBack() {
        commands.addDisk(small, props("d0"));
        commands.addDisk(big, props("d1"));
        commands.removeDisk(small);
        assertFalse(commands.lsblk().contains("sda"));
        commands.addDisk(small, props("d0"));
        assertTrue(commands.lsblk().contains("sda"));
    }

    @Test
    public void wrongArgumentsGiveOneLineAndTheUsage() {
        assertEquals("lsblk: unknown option -x\n" + BlockCommands.LSBLK_USAGE, commands.lsblk("-x"));
        assertEquals(BlockCommands.LSBLK_USAGE, commands.lsblk("--help"));
        assertEquals("blkdump: missing name\n" + BlockCommands.BLKDUMP_USAGE, commands.blkdump());
        assertEquals("blkdump: no block device sdq ('lsblk' lists them)\n" + BlockCommands.BLKDUMP_USAGE,
                commands.blkdump("sdq", "0"));
        commands.addDisk(small, props("d0"));
        assertEquals("blkdump: lba 'x' is not a non-negative number\n" + BlockCommands.BLKDUMP_USAGE,
                commands.blkdump("sda", "x"));
        assertEquals("blkdump: blocks 32767..32768 are outside sda (32768 blocks)", commands.blkdump("sda", "32767", "2"));
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

    /** A VFS that only knows its mounts. */
    private record MountsOnly(List<MountInfo> mounts) implements Vfs {
        @Override
        public java.nio.channels.SeekableByteChannel open(String path, java.nio.file.OpenOption... options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<org.devrt.vfs.FileInfo> list(String directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public org.devrt.vfs.FileInfo stat(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createDirectory(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rename(String source, String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sync() {
        }
    }
}

package org.devrt.vfs.internal.mount;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceGoneException;
import org.devrt.device.DeviceService;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.devrt.vfs.internal.fakes.RecordingEventAdmin;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.junit.After;
import org.junit.Test;

public class DisksTest {
    private final MountTable table = new MountTable();
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final Disks disks;

    public DisksTest() {
        table.events = events;
        table.clock = Volumes.CLOCK;
        disks = new Disks(table, new DiskNames((java.nio.file.Path) null));
        disks.clock = Volumes.CLOCK;
    }

    @After
    public void stop() {
        disks.deactivate();
    }

    private static Map<String, Object> props(String id) {
        return Map.of(DeviceService.DEVICE_ID, id, DeviceService.DEVICE_TYPE, DeviceService.TYPE_BLOCK);
    }

    private List<String> points() {
        return table.mounts().stream().map(MountInfo::mountPoint).toList();
    }

    @Test(timeout = 10000)
    public void everyFatVolumeOfAnArrivingDiskIsMountedAndAnnounced() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(80_000, new long[] {2048, 20_000, 12}, new long[] {22_048, 20_000, 0},
                new long[] {42_048, 30_000, 16});
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT16), props("pci/b"));
        disks.settle();
        assertEquals(List.of("/mnt/sda1", "/mnt/sda3", "/mnt/sdb"), points());
        assertEquals(List.of(DeviceEvents.MOUNTED + " /mnt/sda1", DeviceEvents.MOUNTED + " /mnt/sda3",
                DeviceEvents.MOUNTED + " /mnt/sdb"), events.summary(DeviceEvents.MOUNT_POINT));
        assertEquals("pci/a", events.events.get(0).getProperty(DeviceEvents.DEVICE_ID));
        assertEquals(List.of(new Disks.BlockVolume("sda", 0, 0, 80_000, "disk", "", "", ""),
                new Disks.BlockVolume("sda1", 1, 2048, 20_000, "part", "vfat", "PART1", "/mnt/sda1"),
                new Disks.BlockVolume("sda2", 2, 22_048, 20_000, "part", "", "", ""),
                new Disks.BlockVolume("sda3", 3, 42_048, 30_000, "part", "vfat", "PART3", "/mnt/sda3")),
                disks.volumes("pci/a"));
        assertEquals(List.of(new Disks.BlockVolume("sdb", 0, 0, 10_000, "disk", "vfat", "WHOLE", "/mnt/sdb")),
                disks.volumes("pci/b"));
        assertEquals(List.of("sda", "sdb"), disks.names());
    }

    @Test(timeout = 10000)
    public void aCorruptVolumeIsLeftOutAndNothingElseBreaks() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(60_000, new long[] {2048, 20_000, 16}, new long[] {22_048, 30_000, 16});
        a.image()[2048 * 512 + 16] = 9; // BPB_NumFATs of the first partition
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda2"), points());
        assertEquals("vfat", disks.volumes("pci/a").get(1).fsType());
        assertEquals("", disks.volumes("pci/a").get(1).mountPoint());
    }

    @Test(timeout = 10000)
    public void aDepartingDiskIsFlushedAndUnmountedBeforeTheUnbindReturns() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        SeekableByteChannel c = table.open("/mnt/sda/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(new byte[100]));
        int writes = a.writes.get();
        disks.removeDisk(a, props("pci/a"));
        assertEquals(List.of(), points());
        assertEquals(DeviceEvents.UNMOUNTED + " /mnt/sda", events.summary(DeviceEvents.MOUNT_POINT).get(1));
        assertEquals(true, a.writes.get() > writes);
        assertEquals("/mnt/sda: the volume is gone (disk sda was removed)",
                assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1))).getMessage());
        assertEquals(List.of(), disks.volumes("pci/a"));
    }

    @Test(timeout = 10000)
    public void aSurpriseRemovalStillUnmounts() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        SeekableByteChannel c = table.open("/mnt/sda/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(new byte[100]));
        a.unplug();
        disks.removeDisk(a, props("pci/a"));
        assertEquals(List.of(), points());
        assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1)));
    }

    @Test(timeout = 10000)
    public void namesStickToDeviceIds() throws Exception {
        MemoryBlockDevice a = Volumes.whole(10_000, FatType.FAT16);
        disks.addDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT16), props("pci/b"));
        disks.settle();
        disks.removeDisk(a, props("pci/a"));
        disks.addDisk(Volumes.whole(10_000, FatType.FAT12), props("pci/c"));
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals(List.of("/mnt/sda", "/mnt/sdb", "/mnt/sdc"), points());
        assertEquals("pci/c", table.mountAt("/mnt/sdc").deviceId());
    }

    @Test(timeout = 10000)
    public void mountAndFormatByName() throws Exception {
        MemoryBlockDevice a = Volumes.partitioned(60_000, new long[] {2048, 20_000, 0}, new long[] {22_048, 30_000, 16});
        disks.addDisk(a, props("pci/a"));
        disks.settle();
        assertEquals("sda2: is mounted on /mnt/sda2: umount it first", assertThrows(FileSystemException.class,
                () -> disks.format("sda2", FatFormatter.Options.defaults())).getMessage());
        assertEquals("sda1: no FAT filesystem there", assertThrows(FileSystemException.class,
                () -> disks.mount("sda1", "/mnt/x", false)).getMessage());
        disks.format("sda1", new FatFormatter.Options(FatType.FAT16, 0, "fresh", null, 0));
        disks.mount("sda1", "/mnt/x", true);
        assertEquals(new Disks.BlockVolume("sda1", 1, 2048, 20_000, "part", "vfat", "FRESH", "/mnt/x"),
                disks.volumes("pci/a").get(1));
        assertEquals(true, table.mountAt("/mnt/x").readOnly());
        assertEquals("sdz9: no such disk (disks: sda)", assertThrows(FileSystemException.class,
                () -> disks.mount("sdz9", "/mnt/y", false)).getMessage());
        assertEquals("sda7: no such partition on sda", assertThrows(FileSystemException.class,
                () -> disks.mount("sda7", "/mnt/y", false)).getMessage());
    }
}

package org.devrt.vfs.internal.mount;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.devrt.vfs.internal.fakes.RecordingEventAdmin;
import org.devrt.vfs.internal.fat.FatType;
import org.junit.Test;

public class MountTableTest {
    private final MountTable table = new MountTable();
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final MemoryBlockDevice disk;

    public MountTableTest() throws Exception {
        table.events = events;
        table.clock = Volumes.CLOCK;
        disk = Volumes.partitioned(60_000, new long[] {2048, 20_000, 16}, new long[] {22_048, 30_000, 16});
        assertTrue(table.mount("/mnt/sda1", "sda1", "dev-a", disk, 2048, 20_000, false));
        assertTrue(table.mount("/mnt/sda2/", "sda2", "dev-a", disk, 22_048, 30_000, true));
    }

    private void write(String path, String text) throws Exception {
        try (SeekableByteChannel c = table.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(text.getBytes()));
        }
    }

    /** A change reached the disk only at a sync, an unmount or an eviction: a disk pulled a minute later lost it. */
    @Test(timeout = 5000)
    public void theWriteBackWritesChangedVolumesToTheirDisksAndOnlyThose() throws Exception {
        write("/mnt/sda1/late.txt", "written back");
        byte[] before = disk.image().clone();
        assertEquals("sda1 changed, sda2 is read-only", 1, table.writeBack());
        assertFalse("the disk holds the change", Arrays.equals(before, disk.image()));
        MemoryBlockDevice copy = new MemoryBlockDevice(512, 60_000);
        System.arraycopy(disk.image(), 0, copy.image(), 0, disk.image().length);
        MountTable other = new MountTable();
        other.clock = Volumes.CLOCK;
        assertTrue(other.mount("/mnt/copy", "sda1", "dev-copy", copy, 2048, 20_000, true));
        try (SeekableByteChannel c = other.open("/mnt/copy/late.txt")) {
            assertEquals("the file, as a disk pulled now would keep it", 12, c.size());
        }
        assertEquals("nothing changed since", 0, table.writeBack());
    }

    @Test(timeout = 5000)
    public void pathsResolveToTheVolumeThatHoldsThem() throws Exception {
        table.createDirectory("/mnt/sda1/docs");
        write("/mnt/sda1/docs/../docs/./a.txt", "hello");
        assertEquals(5, table.stat("//mnt/sda1/DOCS/A.TXT").size());
        assertEquals(List.of("a.txt"), table.list("/mnt/sda1/docs").stream().map(FileInfo::name).toList());
        assertEquals(List.of("mnt"), table.list("/").stream().map(FileInfo::name).toList());
        assertEquals(List.of("sda1", "sda2"), table.list("/mnt").stream().map(FileInfo::name).toList());
        FileInfo point = table.stat("/mnt/sda1");
        assertEquals("sda1", point.name());
        assertTrue(point.directory());
        assertTrue(table.stat("/mnt").directory());
        assertThrows(NoSuchFileException.class, () -> table.stat("/nope"));
        assertThrows(NoSuchFileException.class, () -> table.list("/mnt/sda3"));
        assertThrows(NoSuchFileException.class, () -> table.open("/mnt/sda3/a.txt"));
        assertEquals("/mnt: is a directory", assertThrows(FileSystemException.class, () -> table.open("/mnt")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> table.stat("relative"));
    }

    @Test(timeout = 5000)
    public void theTreeAboveTheMountsAndTheMountPointsThemselvesCannotBeChanged() throws Exception {
        assertEquals("/mnt/x: cannot create a directory outside a mounted volume",
                assertThrows(FileSystemException.class, () -> table.createDirectory("/mnt/x")).getMessage());
        assertEquals("/mnt/sda1: is a mount point: unmount it",
                assertThrows(FileSystemException.class, () -> table.delete("/mnt/sda1")).getMessage());
        write("/mnt/sda1/f", "x");
        assertTrue(assertThrows(FileSystemException.class, () -> table.rename("/mnt/sda1/f", "/mnt/sda2/f"))
                .getMessage().contains("cannot move across volumes (/mnt/sda1 and /mnt/sda2)"));
        assertEquals("/mnt/sda2/f: the volume is mounted read-only",
                assertThrows(FileSystemException.class, () -> write("/mnt/sda2/f", "x")).getMessage());
    }

    @Test(timeout = 5000)
    public void mountPointsMayNotOverlap() throws Exception {
        assertEquals("/mnt/sda1: already a mount point (sda1)", assertThrows(FileSystemException.class,
                () -> table.mount("/mnt/sda1", "sdb", "dev-b", disk, 2048, 20_000, false)).getMessage());
        assertEquals("/mnt/sda1/x: overlaps the mount point /mnt/sda1", assertThrows(FileSystemException.class,
                () -> table.mount("/mnt/sda1/x", "sdb", "dev-b", disk, 2048, 20_000, false)).getMessage());
        assertFalse("blank blocks are no FAT volume", table.mount("/mnt/blank", "sdb", "dev-b",
                new MemoryBlockDevice(512, 100), 0, 100, false));
    }

    @Test(timeout = 5000)
    public void aMountPointOnceUnmountedIsNamedWhenItIsAskedFor() throws Exception {
        table.unmount("/mnt/sda1", false);
        table.unmount("/mnt/sda2", false);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> table.stat("/mnt/sda1"));
        assertEquals("'ls /mnt/sda1' said /mnt", "/mnt/sda1: no such file or directory: not on a mounted volume",
                e.getMessage());
    }

    @Test(timeout = 5000)
    public void unmountRefusesWhileFilesAreOpenUnlessForced() throws Exception {
        write("/mnt/sda1/f", "x");
        SeekableByteChannel c = table.open("/mnt/sda1/f");
        assertEquals("/mnt/sda1: busy: 1 open file: /mnt/sda1/f",
                assertThrows(FileSystemException.class, () -> table.unmount("/mnt/sda1", false)).getMessage());
        table.unmount("/mnt/sda1", true);
        assertArrayEquals("the forced unmount names the file it closed", new String[] {"/mnt/sda1/f"},
                (String[]) events.events.get(2).getProperty(MountTable.CLOSED_FILES));
        assertThrows(FileSystemException.class, () -> c.read(ByteBuffer.allocate(1)));
        assertEquals(List.of("/mnt/sda2"), table.mounts().stream().map(MountInfo::mountPoint).toList());
        assertEquals(List.of(DeviceEvents.MOUNTED + " /mnt/sda1", DeviceEvents.MOUNTED + " /mnt/sda2",
                DeviceEvents.UNMOUNTED + " /mnt/sda1"), events.summary(DeviceEvents.MOUNT_POINT));
        assertThrows(FileSystemException.class, () -> table.unmount("/mnt/sda1", false));
    }

    @Test(timeout = 5000)
    public void detachingADiskFlushesAndOpenFilesSayTheVolumeIsGone() throws Exception {
        SeekableByteChannel c = table.open("/mnt/sda1/f", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        table.createDirectory("/mnt/sda1/logs");
        table.open("/mnt/sda1/logs/g", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        table.detach("dev-a", "disk sda was removed");
        assertEquals("each volume's event names the files it closed under their users (a job writing to one goes on,"
                + " its writes lost)", List.of("[/mnt/sda1/f, /mnt/sda1/logs/g]", "null"), events.events.stream()
                .filter(ev -> ev.getTopic().equals(DeviceEvents.UNMOUNTED))
                .map(ev -> Arrays.toString((String[]) ev.getProperty(MountTable.CLOSED_FILES))).toList());
        DeviceGoneException e = assertThrows(DeviceGoneException.class, () -> c.write(ByteBuffer.allocate(1)));
        assertEquals("/mnt/sda1: the volume is gone (disk sda was removed)", e.getMessage());
        assertEquals(List.of(), table.mounts());
        assertTrue(table.mount("/mnt/sda1", "sda1", "dev-a", disk, 2048, 20_000, false));
        assertEquals("what was written before the detach was flushed", 3, table.stat("/mnt/sda1/f").size());
    }

    @Test(timeout = 5000)
    public void mountsDescribeTheVolumes() throws Exception {
        MountInfo m = table.mounts().get(0);
        assertEquals(new MountInfo("/mnt/sda1", "sda1", "dev-a", "vfat", "FAT16", "PART1", false, m.totalBytes(),
                m.freeBytes()), m);
        assertTrue(m.freeBytes() > 0 && m.freeBytes() <= m.totalBytes());
        assertTrue(table.mounts().get(1).readOnly());
    }
}

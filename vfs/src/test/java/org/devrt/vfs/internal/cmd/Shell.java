package org.devrt.vfs.internal.cmd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.devrt.device.DeviceService;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatType;
import org.devrt.vfs.internal.mount.DiskNames;
import org.devrt.vfs.internal.mount.Disks;
import org.devrt.vfs.internal.mount.MountTable;

/** The command components wired to a real mount table, with one disk: sda1 (FAT16, label DATA) and sda2 (blank). */
final class Shell implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-17T10:20:30Z"), ZoneOffset.UTC);
    final MountTable table = new MountTable(CLOCK, 1 << 20);
    final Disks disks = new Disks(table, new DiskNames((java.nio.file.Path) null));
    final FileCommands files = new FileCommands();
    final VolumeCommands volumes = new VolumeCommands();
    final MemoryBlockDevice disk = new MemoryBlockDevice(512, 60_000);

    Shell() throws IOException, InterruptedException {
        ByteBuffer mbr = ByteBuffer.wrap(disk.image(), 0, 512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.put(0x1BE + 4, (byte) 0x0E).putInt(0x1BE + 8, 2048).putInt(0x1BE + 12, 30_000);
        mbr.put(0x1CE + 4, (byte) 0x0E).putInt(0x1CE + 8, 32_048).putInt(0x1CE + 12, 20_000);
        mbr.putShort(510, (short) 0xAA55);
        FatFormatter.format(new BlockCache(disk, 2048, 30_000, 1 << 20), 512,
                new FatFormatter.Options(FatType.FAT16, 0, "DATA", 1L, 2048), CLOCK);
        files.vfs = table;
        files.zone = ZoneOffset.UTC;
        files.activate();
        volumes.table = table;
        volumes.disks = disks;
        disks.addDisk(disk, Map.of(DeviceService.DEVICE_ID, "pci/0000:00:1f.2/port0"));
        disks.settle();
    }

    @Override
    public void close() {
        disks.removeDisk(disk, Map.of(DeviceService.DEVICE_ID, "pci/0000:00:1f.2/port0"));
    }
}

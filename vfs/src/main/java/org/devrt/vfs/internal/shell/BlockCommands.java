package org.devrt.vfs.internal.shell;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.devrt.vfs.internal.mount.DiskNames;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Block device shell commands (scope {@code devrt}): {@code lsblk} lists the {@link BlockDevice} services,
 * {@code blkdump} prints blocks in hex. Disks are tracked whiteboard-style: every BlockDevice service binds here
 * as it comes and unbinds as it goes. Names ({@code sda}, ...) come from {@link DiskNames}, the bundle's one
 * naming of block devices, which the mount points use too.
 */
@Component(service = BlockCommands.class, property = {"osgi.command.scope=devrt", "osgi.command.function=lsblk",
        "osgi.command.function=blkdump"})
public final class BlockCommands {
    static final String LSBLK_USAGE = """
            usage: lsblk [-b] [name...]
              list block devices: NAME SIZE RO TYPE MODEL SERIAL MOUNTPOINTS
              -b    sizes in bytes""";
    static final String BLKDUMP_USAGE = """
            usage: blkdump <name> <lba> [count]
              print 'count' blocks (default 1, at most %d) from block 'lba' as hexdump -C does;
              numbers are decimal or 0x hex""".formatted(BlockCommands.MAX_DUMP_BLOCKS);
    static final int MAX_DUMP_BLOCKS = 64;

    /** A bound disk and the properties it was registered with. */
    private record Disk(String name, String id, BlockDevice device) {
    }

    private final DiskNames names;
    private final Map<BlockDevice, Disk> disks = new ConcurrentHashMap<>();

    /** The hook for MOUNTPOINTS: the VFS service, once there is one; without it the column is empty. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Vfs vfs;

    @Activate
    public BlockCommands(@Reference DiskNames names) {
        this.names = names;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDisk(BlockDevice device, Map<String, Object> properties) {
        Object id = properties.get(DeviceService.DEVICE_ID);
        String deviceId = id != null ? id.toString() : "service-" + properties.get(Constants.SERVICE_ID);
        disks.put(device, new Disk(names.nameOf(deviceId), deviceId, device));
    }

    void removeDisk(BlockDevice device) {
        disks.remove(device);
    }

    @Descriptor("list block devices, as Linux's lsblk does")
    public String lsblk(@Descriptor("[-b] [name...]; --help for usage") String... args) {
        boolean bytes = false;
        List<String> wanted = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--help", "-h" -> {
                    return LSBLK_USAGE;
                }
                case "-b", "--bytes" -> bytes = true;
                default -> {
                    if (arg.startsWith("-")) {
                        return "lsblk: unknown option " + arg + "\n" + LSBLK_USAGE;
                    }
                    if (find(arg) == null) {
                        return "lsblk: no block device " + arg + "\n" + LSBLK_USAGE;
                    }
                    wanted.add(arg);
                }
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "SIZE", "RO", "TYPE", "MODEL", "SERIAL", "MOUNTPOINTS"});
        for (Disk d : sorted()) {
            if (!wanted.isEmpty() && !wanted.contains(d.name())) {
                continue;
            }
            BlockDevice dev = d.device();
            long size = dev.blockCount() * dev.blockSize();
            rows.add(new String[] {d.name(), bytes ? Long.toString(size) : Sizes.human(size),
                    dev.isReadOnly() ? "1" : "0", "disk", dev.model(), dev.serial(), mountpoints(d.id())});
        }
        return table(rows);
    }

    @Descriptor("print blocks of a block device in hex, as hexdump -C does")
    public String blkdump(@Descriptor("<name> <lba> [count]; --help for usage") String... args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            return BLKDUMP_USAGE;
        }
        if (args.length < 2 || args.length > 3) {
            return "blkdump: " + (args.length < 2 ? "missing " + (args.length == 0 ? "name" : "lba")
                    : "unexpected argument " + args[3]) + "\n" + BLKDUMP_USAGE;
        }
        Disk disk = find(args[0]);
        if (disk == null) {
            return "blkdump: no block device " + args[0] + " ('lsblk' lists them)\n" + BLKDUMP_USAGE;
        }
        long lba;
        long count;
        try {
            lba = number(args[1], "lba");
            count = args.length == 3 ? number(args[2], "count") : 1;
        } catch (IllegalArgumentException e) {
            return "blkdump: " + e.getMessage() + "\n" + BLKDUMP_USAGE;
        }
        BlockDevice dev = disk.device();
        if (count < 1 || count > MAX_DUMP_BLOCKS) {
            return "blkdump: count " + count + " must be 1.." + MAX_DUMP_BLOCKS + "\n" + BLKDUMP_USAGE;
        }
        if (lba >= dev.blockCount() || count > dev.blockCount() - lba) {
            return "blkdump: blocks " + lba + ".." + (lba + count - 1) + " are outside " + disk.name() + " ("
                    + dev.blockCount() + " blocks)";
        }
        ByteBuffer data = ByteBuffer.allocate((int) count * dev.blockSize());
        try {
            dev.read(lba, data);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int eol = message.indexOf('\n');
            return "blkdump: reading " + disk.name() + " failed: " + (eol < 0 ? message : message.substring(0, eol));
        }
        return HexDump.format(lba * dev.blockSize(), data.flip());
    }

    private List<Disk> sorted() {
        return disks.values().stream()
                .sorted(Comparator.comparingInt((Disk d) -> d.name().length()).thenComparing(Disk::name)).toList();
    }

    /** By short name ({@code sda}, also {@code /dev/sda}) or device id. */
    private Disk find(String nameOrId) {
        String name = nameOrId.startsWith("/dev/") ? nameOrId.substring(5) : nameOrId;
        return disks.values().stream().filter(d -> d.name().equals(name) || d.id().equals(nameOrId)).findFirst()
                .orElse(null);
    }

    /** Mount points of the volumes on the device (whole disk or its partitions), comma-separated. */
    private String mountpoints(String deviceId) {
        Vfs fs = vfs;
        if (fs == null) {
            return "";
        }
        return String.join(",", fs.mounts().stream().filter(m -> m.deviceId().equals(deviceId))
                .map(MountInfo::mountPoint).toList());
    }

    private static long number(String text, String what) {
        try {
            long value = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a non-negative number");
        }
    }

    /** Columns left-aligned but the numbers (SIZE, RO) right-aligned, as lsblk does; the last column unpadded. */
    private static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        rows.forEach(r -> {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String cell = i == cols - 1 ? r[i] : String.format((i == 1 || i == 2 ? "%" : "%-") + width[i] + "s", r[i]);
                line.append(i == 0 ? "" : " ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}

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
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.devrt.vfs.internal.mount.DiskNames;
import org.devrt.vfs.internal.mount.Disks;
import org.devrt.vfs.internal.mount.Disks.BlockVolume;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Block device shell commands (scope {@code devrt}): {@code lsblk} lists the {@link BlockDevice} services with
 * their partitions, filesystems, labels and mount points, {@code blkdump} prints blocks in hex. Disks are tracked
 * whiteboard-style: every BlockDevice service binds here as it comes and unbinds as it goes. Names ({@code sda},
 * ...) come from {@link DiskNames}, the bundle's one naming of block devices, which the mount points use too; what
 * is on a disk comes from the automounter ({@link Disks#volumes}).
 */
@Component(service = BlockCommands.class, property = {"osgi.command.scope=devrt", "osgi.command.function=lsblk",
        "osgi.command.function=blkdump"})
public final class BlockCommands {
    static final String LSBLK_USAGE = """
            usage: lsblk [-f] [-b] [-i] [name...]
              list block devices, partitions under their disk:
              NAME SIZE RO TYPE MODEL SERIAL FSTYPE LABEL MOUNTPOINTS
              -f, --fs      filesystems only: NAME FSTYPE LABEL MOUNTPOINTS
              -b, --bytes   sizes in bytes
              -i, --ascii   tree in ASCII characters
              name          a disk or partition: sda, /dev/sda1, or a device id""";
    static final String BLKDUMP_USAGE = """
            usage: blkdump <name> <lba> [count]
              print 'count' blocks (default 1, at most %d) from block 'lba' as hexdump -C does;
              numbers are decimal or 0x hex""".formatted(BlockCommands.MAX_DUMP_BLOCKS);
    static final int MAX_DUMP_BLOCKS = 64;

    /** A bound disk and the properties it was registered with. */
    private record Disk(String name, String id, BlockDevice device) {
    }

    private final DiskNames names;
    private final Disks volumes;
    private final Map<BlockDevice, Disk> disks = new ConcurrentHashMap<>();

    @Activate
    public BlockCommands(@Reference(name = "names") DiskNames names, @Reference(name = "volumes") Disks volumes) {
        this.names = names;
        this.volumes = volumes;
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

    @Descriptor("list block devices and their partitions, as Linux's lsblk does")
    public String lsblk(@Descriptor("[-f] [-b] [-i] [name...]; --help for usage") String... args) {
        return CommandOutput.of(lsblkText(Arguments.present(args)));
    }

    private String lsblkText(String... args) {
        boolean filesystems = false;
        boolean bytes = false;
        boolean ascii = false;
        List<String> wanted = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return LSBLK_USAGE;
            } else if (arg.equals("--fs")) {
                filesystems = true;
            } else if (arg.equals("--bytes")) {
                bytes = true;
            } else if (arg.equals("--ascii")) {
                ascii = true;
            } else if (arg.matches("-[fbi]+")) {
                filesystems |= arg.indexOf('f') > 0;
                bytes |= arg.indexOf('b') > 0;
                ascii |= arg.indexOf('i') > 0;
            } else if (arg.startsWith("-")) {
                return CommandOutput.error("lsblk: unknown option " + arg + "\n" + LSBLK_USAGE);
            } else {
                String name = nameOf(arg);
                if (name == null) {
                    return CommandOutput.error("lsblk: no block device " + arg + "\n" + LSBLK_USAGE);
                }
                wanted.add(name);
            }
        }
        List<LsblkTable.DiskView> views = new ArrayList<>();
        for (Disk d : sorted()) {
            List<BlockVolume> rows = volumes(d);
            if (!wanted.isEmpty() && !wanted.contains(d.name())) {
                rows = rows.stream().filter(v -> wanted.contains(v.name())).toList();
            }
            if (!rows.isEmpty()) {
                BlockDevice dev = d.device();
                views.add(new LsblkTable.DiskView(dev.blockSize(), dev.isReadOnly(), dev.model(), dev.serial(), rows));
            }
        }
        return LsblkTable.format(views, new LsblkTable.Style(filesystems, bytes, ascii));
    }

    @Descriptor("print blocks of a block device in hex, as hexdump -C does")
    public String blkdump(@Descriptor("<name> <lba> [count]; --help for usage") String... args) {
        return CommandOutput.of(blkdumpText(Arguments.present(args)));
    }

    private String blkdumpText(String... args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            return BLKDUMP_USAGE;
        }
        if (args.length < 2 || args.length > 3) {
            return CommandOutput.error("blkdump: " + (args.length < 2 ? "missing " + (args.length == 0 ? "name"
                    : "lba") : "unexpected argument " + args[3]) + "\n" + BLKDUMP_USAGE);
        }
        Disk disk = find(args[0]);
        if (disk == null) {
            String name = nameOf(args[0]); // a partition lsblk lists: say that blkdump reads whole disks
            return CommandOutput.error("blkdump: " + (name != null ? name + " is a partition; blkdump reads whole"
                    + " disks (its blocks are those of the disk that holds it)" : "no block device " + args[0]
                    + " ('lsblk' lists them)") + "\n" + BLKDUMP_USAGE);
        }
        long lba;
        long count;
        try {
            lba = number(args[1], "lba");
            count = args.length == 3 ? number(args[2], "count") : 1;
        } catch (IllegalArgumentException e) {
            return CommandOutput.error("blkdump: " + e.getMessage() + "\n" + BLKDUMP_USAGE);
        }
        BlockDevice dev = disk.device();
        if (count < 1 || count > MAX_DUMP_BLOCKS) {
            return CommandOutput.error("blkdump: count " + count + " must be 1.." + MAX_DUMP_BLOCKS + "\n"
                    + BLKDUMP_USAGE);
        }
        if (lba >= dev.blockCount() || count > dev.blockCount() - lba) {
            long last = lba + count - 1; // past Long.MAX_VALUE it wrapped: "blocks 9223372036854775807..-9223..."
            String range = count == 1 ? "block " + lba + " is" : last < lba ? "blocks from " + lba + " on are"
                    : "blocks " + lba + ".." + last + " are";
            return CommandOutput.error("blkdump: " + range + " outside " + disk.name() + " (" + dev.blockCount()
                    + " blocks)");
        }
        ByteBuffer data = ByteBuffer.allocate((int) count * dev.blockSize());
        try {
            dev.read(lba, data);
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int eol = message.indexOf('\n');
            return CommandOutput.error("blkdump: reading " + disk.name() + " failed: " + (eol < 0 ? message
                    : message.substring(0, eol)));
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

    /** The name of a disk (by name, {@code /dev/} name or device id) or of a partition ({@code sda1}); null if none. */
    private String nameOf(String arg) {
        Disk disk = find(arg);
        if (disk != null) {
            return disk.name();
        }
        String name = arg.startsWith("/dev/") ? arg.substring(5) : arg;
        for (Disk d : disks.values()) {
            if (volumes(d).stream().anyMatch(v -> v.name().equals(name))) {
                return name;
            }
        }
        return null;
    }

    /**
     * The disk's rows from the automounter (disk, then partitions, with filesystem, label and mount point); only the
     * disk row while the automounter has not seen it yet.
     */
    private List<BlockVolume> volumes(Disk d) {
        List<BlockVolume> rows = volumes.volumes(d.id());
        return rows.isEmpty()
                ? List.of(new BlockVolume(d.name(), 0, 0, Math.max(1, d.device().blockCount()), "disk", "", "", ""))
                : rows;
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
}

package org.devrt.vfs.internal.cmd;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.felix.service.command.Descriptor;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatLayout;
import org.devrt.vfs.internal.fat.FatType;
import org.devrt.vfs.internal.mount.Disks;
import org.devrt.vfs.internal.mount.MountTable;
import org.devrt.vfs.internal.mount.VfsPaths;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The volume shell commands (scope {@code devrt}): {@code mount}, {@code umount}, {@code df}, {@code sync}, {@code mkfs}. */
@Component(service = VolumeCommands.class, property = {"osgi.command.scope=devrt", "osgi.command.function=mount",
        "osgi.command.function=umount", "osgi.command.function=df", "osgi.command.function=sync",
        "osgi.command.function=mkfs"})
public final class VolumeCommands {
    static final String MOUNT = """
            usage: mount [-r] [<source> <mount-point>]
              without arguments: list the mounted volumes
              <source>       a disk or partition: sda1, or sda for a disk without a partition table
              <mount-point>  an absolute path, e.g. /mnt/usb
              -r, -o ro      read-only
            """;
    static final String UMOUNT = """
            usage: umount [-f] <mount-point | source>
              sync and unmount a volume; -f: even with files open (they fail from then on) or the shell's
              working directory in it
            """;
    static final String DF = """
            usage: df [-h] [path|source...]
              space on the mounted volumes (or on those that hold the paths, or are mounted from the sources, such
              as sda1), in 1K blocks; -h: in K, M, G
            """;
    static final String SYNC = """
            usage: sync
              write every volume's cached changes to its disk
            """;
    static final String MKFS = """
            usage: mkfs [-F 12|16|32] [-s sectors-per-cluster] [-n label] [-I] <source>
              make a new, empty FAT filesystem on a disk or partition that is not mounted; the type and cluster
              size are chosen from its size as mkfs.fat chooses them, unless given; -I formats a whole disk that
              holds a partition table, over the table
            """;

    @Reference
    MountTable table;

    /** The current session's working directory (a field so that tests can give one). */
    Supplier<Path> workingDirectory = WorkingDirectory::ofSession;

    @Reference
    Disks disks;

    @Descriptor("list mounted volumes, or mount one")
    public String mount(@Descriptor("[-r] [<source> <mount-point>]") String... args) {
        return Commands.run("mount", MOUNT, () -> {
            Args a = Args.parse(args, Set.of("-r", "-h", "--help"), Set.of("-o"));
            if (a.wantsHelp()) {
                return MOUNT;
            }
            String o = a.options.getOrDefault("-o", "rw");
            if (!o.equals("ro") && !o.equals("rw")) {
                throw new Args.UsageException("option -o " + o + ": only ro and rw are known");
            }
            if (a.operands.isEmpty()) {
                StringBuilder out = new StringBuilder();
                for (MountInfo m : table.mounts()) {
                    out.append(m.source()).append(" on ").append(m.mountPoint()).append(" type ").append(m.type())
                            .append(" (").append(m.readOnly() ? "ro" : "rw").append(',').append(m.variant())
                            .append(m.label().isEmpty() ? "" : ",label=" + m.label()).append(")\n");
                }
                return out.toString();
            }
            a.operands(2, 2, "<mount-point>");
            disks.mount(a.operands.get(0), a.operands.get(1), a.has("-r") || o.equals("ro"));
            return "";
        });
    }

    @Descriptor("unmount a volume")
    public String umount(@Descriptor("[-f] <mount-point | source>") String... args) {
        return Commands.run("umount", UMOUNT, () -> {
            Args a = Args.parse(args, Set.of("-f", "-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return UMOUNT;
            }
            a.operands(1, 1, "<mount-point> or <source>");
            String which = a.operands.get(0);
            String point = table.mounts().stream().filter(m -> m.source().equals(which)).map(MountInfo::mountPoint)
                    .findFirst().orElse(which);
            if (!point.startsWith("/")) {
                throw new FileSystemException(which, null, "not mounted");
            }
            String normal = VfsPaths.join(VfsPaths.split(point));
            if (table.mounts().stream().noneMatch(m -> m.mountPoint().equals(normal))) {
                // before the working directory's check: 'umount /' said "busy: the shell's working directory / is in it"
                throw new FileSystemException(normal, null, "not a mount point");
            }
            Path cwd = workingDirectory.get();
            if (!a.has("-f") && WorkingDirectory.inVfs(cwd) && VfsPaths.startsWith(VfsPaths.split(cwd.toString()),
                    VfsPaths.split(point))) { // as Linux's EBUSY: the shell would be left in a directory that is gone
                throw new FileSystemException(point, null, "busy: the shell's working directory " + cwd + " is in it"
                        + " ('cd /' first, or -f)");
            }
            table.unmount(point, a.has("-f"));
            return "";
        });
    }

    @Descriptor("show the space on mounted volumes")
    public String df(@Descriptor("[-h] [path|source...]") String... args) {
        return Commands.run("df", DF, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.has("--help")) {
                return DF;
            }
            boolean human = a.has("-h");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"Filesystem", human ? "Size" : "1K-blocks", "Used", human ? "Avail" : "Available",
                "Use%", "Mounted on"});
            List<MountInfo> mounts = table.mountsCounted(); // statfs: counted from the FAT once per mount
            List<MountInfo> shown = new ArrayList<>(a.operands.isEmpty() ? mounts : List.of());
            StringBuilder errors = new StringBuilder();
            for (String operand : a.operands) {
                try {
                    shown.add(volumeOf(operand, mounts));
                } catch (IOException e) {
                    errors.append(Commands.error("df", e)).append('\n');
                }
            }
            if (shown.isEmpty() && !a.operands.isEmpty()) {
                return errors.substring(0, errors.length() - 1);
            }
            for (MountInfo m : shown) {
                long used = m.totalBytes() - m.freeBytes();
                long percent = m.totalBytes() == 0 ? 0 : (used * 100 + m.totalBytes() - 1) / m.totalBytes();
                rows.add(new String[] {m.source(), size(m.totalBytes(), human), size(used, human),
                    size(m.freeBytes(), human), percent + "%", m.mountPoint()});
            }
            return errors + table(rows);
        });
    }

    /** The volume a df operand names: mounted from it ({@code sda1}), or holding it (any path inside one). */
    private MountInfo volumeOf(String operand, List<MountInfo> mounts) throws IOException {
        for (MountInfo m : mounts) {
            if (m.source().equals(operand)) {
                return m;
            }
        }
        Path cwd = workingDirectory.get();
        if (!operand.startsWith("/") && !WorkingDirectory.inVfs(cwd)) {
            throw new FileSystemException(operand, null, "neither a mounted source (" + String.join(", ",
                    mounts.stream().map(MountInfo::source).toList()) + ") nor an absolute path");
        }
        String absolute = WorkingDirectory.resolve(cwd, operand); // df . in the working directory
        table.stat(absolute); // NoSuchFileException for a path that is not there
        List<String> path = VfsPaths.split(absolute);
        MountInfo best = null;
        for (MountInfo m : mounts) {
            List<String> point = VfsPaths.split(m.mountPoint());
            if (VfsPaths.startsWith(path, point) && (best == null
                    || point.size() > VfsPaths.split(best.mountPoint()).size())) {
                best = m;
            }
        }
        if (best == null) {
            throw new FileSystemException(operand, null, "not on a mounted volume");
        }
        return best;
    }

    @Descriptor("write cached changes to the disks")
    public String sync(@Descriptor("no arguments") String... args) {
        return Commands.run("sync", SYNC, () -> {
            Args a = Args.parse(args, Set.of("-h", "--help"), Set.of());
            if (a.wantsHelp()) {
                return SYNC;
            }
            a.operands(0, 0, "");
            table.sync();
            return "";
        });
    }

    @Descriptor("make a FAT filesystem")
    public String mkfs(@Descriptor("[-F 12|16|32] [-s n] [-n label] [-I] <source>") String... args) {
        return Commands.run("mkfs", MKFS, () -> {
            Args a = Args.parse(args, Set.of("-I", "-h", "--help"), Set.of("-F", "-s", "-n"));
            if (a.wantsHelp()) {
                return MKFS;
            }
            a.operands(1, 1, "<source>");
            FatType type = null;
            if (a.options.containsKey("-F")) {
                String f = a.options.get("-F");
                if (!Set.of("12", "16", "32").contains(f)) {
                    throw new Args.UsageException("-F " + f + ": the FAT type is 12, 16 or 32");
                }
                type = FatType.valueOf("FAT" + f);
            }
            int spc = 0;
            if (a.options.containsKey("-s")) {
                try {
                    spc = Integer.parseInt(a.options.get("-s"));
                } catch (NumberFormatException e) {
                    throw new Args.UsageException("-s " + a.options.get("-s") + ": not a number");
                }
                if (spc < 1) { // 0 is the formatter's "choose", which the option does not offer
                    throw new Args.UsageException("-s " + spc + ": sectors per cluster are a power of two from 1 to"
                            + " 128");
                }
            }
            FatLayout l = disks.format(a.operands.get(0), new FatFormatter.Options(type, spc,
                    a.options.getOrDefault("-n", ""), null, 0), a.has("-I"));
            String source = a.operands.get(0);
            // as mkfs.fat, it does not mount what it made; it says how (the next command found no /mnt/sda)
            return String.format("%s: %s, %d clusters of %d bytes, %d sectors of %d bytes%n"
                    + "not mounted: 'mount %s /mnt/%s' mounts it%n", source, l.type(), l.clusterCount(),
                    l.sectorsPerCluster() * l.bytesPerSector(), l.totalSectors(), l.bytesPerSector(), source, source);
        });
    }

    /** As df prints sizes: 1K blocks, or with -h one decimal below 10 and whole units above, rounded up. */
    static String size(long bytes, boolean human) {
        if (!human) {
            return Long.toString((bytes + 1023) / 1024);
        }
        String units = "BKMGTPE";
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length() - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return bytes == 0 ? "0" : bytes + "B";
        }
        double up = v < 10 ? Math.ceil(v * 10) / 10 : Math.ceil(v);
        if (up >= 1024 && u < units.length() - 1) {
            return "1.0" + units.charAt(u + 1);
        }
        return (v < 10 && up < 10 ? String.format("%.1f", up) : String.format("%.0f", up)) + units.charAt(u);
    }

    private static String table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = i == r.length - 1 ? r[i] : String.format((i == 0 ? "%-" : "%") + w[i] + "s", r[i]);
                line.append(i == 0 ? "" : " ").append(cell);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}

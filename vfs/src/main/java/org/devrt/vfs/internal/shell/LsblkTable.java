package org.devrt.vfs.internal.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.devrt.vfs.internal.mount.Disks.BlockVolume;

/**
 * What {@code lsblk} prints, as util-linux's lsblk lays it out: one row per disk, its partitions below it with the
 * tree prefix ({@code ├─sda1}, {@code └─sda2}; {@code |-} and {@code `-} in ASCII), columns separated by one space,
 * text left-aligned and the numbers (SIZE, RO) right-aligned, the last column unpadded and no trailing blanks.
 */
final class LsblkTable {
    /** The default columns: util-linux's NAME SIZE RO TYPE, the disk's identity, then what {@code -f} shows. */
    static final List<String> COLUMNS = List.of("NAME", "SIZE", "RO", "TYPE", "MODEL", "SERIAL", "FSTYPE", "LABEL",
            "MOUNTPOINTS");
    /** The columns of {@code lsblk -f}. */
    static final List<String> FS_COLUMNS = List.of("NAME", "FSTYPE", "LABEL", "MOUNTPOINTS");

    /** How a table is printed. */
    record Style(boolean filesystems, boolean bytes, boolean ascii) {
    }

    /**
     * A disk and the rows to show of it.
     *
     * @param volumes rows as {@link org.devrt.vfs.internal.mount.Disks#volumes} gives them: the disk (type
     *        {@code disk}) first, then its partitions; a list without the disk row shows partitions on their own,
     *        without a tree prefix (as {@code lsblk /dev/sda1} does)
     */
    record DiskView(int blockSize, boolean readOnly, String model, String serial, List<BlockVolume> volumes) {
        DiskView {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(serial, "serial");
            volumes = List.copyOf(volumes);
        }
    }

    private LsblkTable() {
    }

    static String format(List<DiskView> disks, Style style) {
        List<String> header = style.filesystems() ? FS_COLUMNS : COLUMNS;
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(String[]::new));
        for (DiskView d : disks) {
            boolean tree = !d.volumes().isEmpty() && "disk".equals(d.volumes().get(0).type());
            for (int i = 0; i < d.volumes().size(); i++) {
                BlockVolume v = d.volumes().get(i);
                String prefix = !tree || i == 0 ? "" : branch(i == d.volumes().size() - 1, style.ascii());
                rows.add(header.stream().map(column -> cell(column, prefix, d, v, style)).toArray(String[]::new));
            }
        }
        return table(rows, header);
    }

    private static String branch(boolean last, boolean ascii) {
        if (ascii) {
            return last ? "`-" : "|-";
        }
        return last ? "\u2514\u2500" : "\u251c\u2500";
    }

    private static String cell(String column, String prefix, DiskView d, BlockVolume v, Style style) {
        boolean disk = "disk".equals(v.type());
        return switch (column) {
            case "NAME" -> prefix + v.name();
            case "SIZE" -> {
                long size = v.blockCount() * d.blockSize();
                yield style.bytes() ? Long.toString(size) : Sizes.human(size);
            }
            case "RO" -> d.readOnly() ? "1" : "0";
            case "TYPE" -> v.type();
            case "MODEL" -> disk ? d.model() : "";
            case "SERIAL" -> disk ? d.serial() : "";
            case "FSTYPE" -> v.fsType();
            case "LABEL" -> v.label();
            case "MOUNTPOINTS" -> v.mountPoint();
            default -> throw new IllegalArgumentException("no column " + column);
        };
    }

    private static String table(List<String[]> rows, List<String> header) {
        int cols = header.size();
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                boolean number = header.get(i).equals("SIZE") || header.get(i).equals("RO");
                String cell = i == cols - 1 ? r[i] : String.format((number ? "%" : "%-") + width[i] + "s", r[i]);
                line.append(i == 0 ? "" : " ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}

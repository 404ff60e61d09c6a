package org.devrt.pci.sysfs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.devrt.pci.BarInfo;

/**
 * The sysfs {@code resource} file: one line per {@code struct resource} of the function, {@code start end flags}
 * each as {@code 0x%016llx} ({@code drivers/pci/pci-sysfs.c}: {@code resource_show}). Lines 0-5 are the BARs,
 * line 6 the expansion ROM, then bridge windows or SR-IOV BARs. An all-zero line is a BAR that is not implemented;
 * the upper half of a 64-bit BAR is such a line.
 */
final class ResourceFile {
    // include/linux/ioport.h: the flags the kernel exposes to userspace in this file.
    static final long IORESOURCE_TYPE_BITS = 0x00001f00L;
    static final long IORESOURCE_IO = 0x00000100L;
    static final long IORESOURCE_MEM = 0x00000200L;
    static final long IORESOURCE_PREFETCH = 0x00002000L;
    static final long IORESOURCE_MEM_64 = 0x00100000L;

    /** PCI_STD_NUM_BARS. */
    static final int BAR_COUNT = 6;

    private ResourceFile() {
    }

    /**
     * The implemented BARs, in index order. A line that cannot be parsed or does not describe a BAR is reported to
     * {@code problems} (with {@code file} and the line number) and left out; the other lines still count.
     */
    static List<BarInfo> bars(List<String> lines, String file, Consumer<String> problems) {
        List<BarInfo> bars = new ArrayList<>();
        for (int index = 0; index < Math.min(BAR_COUNT, lines.size()); index++) {
            String line = lines.get(index).trim();
            String where = file + " line " + (index + 1);
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                problems.accept(where + ": want 'start end flags', got '" + line + "'");
                continue;
            }
            long start;
            long end;
            long flags;
            try {
                start = hex(fields[0]);
                end = hex(fields[1]);
                flags = hex(fields[2]);
            } catch (NumberFormatException e) {
                problems.accept(where + ": not hexadecimal numbers: '" + line + "'");
                continue;
            }
            if (start == 0 && end == 0) {
                continue; // not implemented (or the upper half of a 64-bit BAR)
            }
            String problem = check(start, end, flags);
            if (problem != null) {
                problems.accept(where + ": " + problem + ": '" + line + "'");
                continue;
            }
            bars.add(new BarInfo(index, kind(flags), start, end - start + 1, (flags & IORESOURCE_PREFETCH) != 0));
        }
        return bars;
    }

    private static String check(long start, long end, long flags) {
        long type = flags & IORESOURCE_TYPE_BITS;
        if (type != IORESOURCE_IO && type != IORESOURCE_MEM) {
            return String.format("resource type 0x%x is neither IORESOURCE_IO nor IORESOURCE_MEM", type);
        }
        if (Long.compareUnsigned(end, start) <= 0) {
            return "end is not above start";
        }
        long size = end - start + 1;
        if (Long.bitCount(size) != 1) {
            return String.format("size 0x%x is not a power of two", size);
        }
        return null;
    }

    private static BarInfo.Kind kind(long flags) {
        if ((flags & IORESOURCE_TYPE_BITS) == IORESOURCE_IO) {
            return BarInfo.Kind.IO;
        }
        return (flags & IORESOURCE_MEM_64) != 0 ? BarInfo.Kind.MEMORY64 : BarInfo.Kind.MEMORY32;
    }

    private static long hex(String text) {
        if (!text.startsWith("0x") && !text.startsWith("0X")) {
            throw new NumberFormatException(text);
        }
        return Long.parseUnsignedLong(text.substring(2), 16);
    }
}

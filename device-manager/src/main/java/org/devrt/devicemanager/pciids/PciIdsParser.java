package org.devrt.devicemanager.pciids;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the pci.ids format (https://pci-ids.ucw.cz) the way pciutils does ({@code lib/names-parse.c}), but skips
 * a malformed line instead of giving up on the file.
 *
 * <pre>
 * # comment
 * vendor  vendor_name
 * 	device  device_name
 * 		subvendor subdevice  subsystem_name
 * C class  class_name
 * 	subclass  subclass_name
 * 		prog-if  prog-if_name
 * S subvendor                      (generic subsystems; rarely used)
 * 	subdevice  name
 * </pre>
 *
 * Ids are hexadecimal (4 digits, 2 in the class section); one or more spaces or tabs separate an id from the
 * next field. Other top-level blocks ({@code X ...}, an upper-case letter and a space) are reserved and skipped
 * with their entries. As pciutils does, one trailing space or tab is dropped from a line. The first entry wins
 * over a duplicate. Lines nested under a malformed line are skipped with it: they would otherwise be filed under
 * the wrong parent.
 */
final class PciIdsParser {
    private enum Block {
        NONE, VENDOR, CLASS, GENERIC_SUBSYSTEM, RESERVED
    }

    /** What the parser keeps: names by id, and the malformed lines it skipped. */
    record Tables(Map<Integer, String> vendors, Map<Integer, String> devices, Map<Long, String> subsystems,
            Map<Integer, String> genericSubsystems, Map<Integer, String> classes, Map<Integer, String> subclasses,
            Map<Integer, String> progIfs, int skippedLines, List<String> firstSkipped) {

        static Tables empty() {
            return new PciIdsParser().tables();
        }
    }

    /** How many skipped lines are described in {@link Tables#firstSkipped()}. */
    static final int SKIPPED_EXAMPLES = 3;

    private final Map<Integer, String> vendors = new HashMap<>();
    private final Map<Integer, String> devices = new HashMap<>();
    private final Map<Long, String> subsystems = new HashMap<>();
    private final Map<Integer, String> genericSubsystems = new HashMap<>();
    private final Map<Integer, String> classes = new HashMap<>();
    private final Map<Integer, String> subclasses = new HashMap<>();
    private final Map<Integer, String> progIfs = new HashMap<>();
    private final List<String> firstSkipped = new ArrayList<>();
    private int skippedLines;

    private Block block = Block.NONE;
    private int id1;
    private int id2;
    /** Whether a device (or subclass) line stands above: two-tab lines belong to it. */
    private boolean haveLevel1;
    /** Lines nested deeper than this are skipped: their parent was malformed. Integer.MAX_VALUE: none. */
    private int skipBelow = Integer.MAX_VALUE;

    static Tables parse(BufferedReader in) throws IOException {
        PciIdsParser parser = new PciIdsParser();
        String line;
        for (int number = 1; (line = in.readLine()) != null; number++) {
            parser.line(line, number);
        }
        return parser.tables();
    }

    private Tables tables() {
        return new Tables(vendors, devices, subsystems, genericSubsystems, classes, subclasses, progIfs, skippedLines,
                List.copyOf(firstSkipped));
    }

    private void line(String raw, int number) {
        String line = raw;
        if (!line.isEmpty() && isBlank(line.charAt(line.length() - 1))) {
            line = line.substring(0, line.length() - 1);
        }
        String content = line.strip();
        if (content.isEmpty() || content.startsWith("#")) {
            return;
        }
        int nest = 0;
        while (line.charAt(nest) == '\t') {
            nest++;
        }
        if (nest > skipBelow || (nest > 0 && (block == Block.NONE || block == Block.RESERVED))) {
            if (block != Block.RESERVED) {
                skip(number, raw, "nested under a malformed or missing entry");
            }
            return;
        }
        String problem = nest == 0 ? topLevel(line) : nest == 1 ? firstLevel(line.substring(1))
                : nest == 2 ? secondLevel(line.substring(2)) : "nested more than two tabs deep";
        if (nest == 0) {
            haveLevel1 = false;
        } else if (nest == 1) {
            haveLevel1 = problem == null;
        }
        if (problem != null) {
            skipBelow = nest;
            if (nest == 0) {
                block = Block.NONE;
            }
            skip(number, raw, problem);
        } else {
            skipBelow = Integer.MAX_VALUE;
        }
    }

    private String topLevel(String p) {
        if (p.length() >= 2 && p.charAt(1) == ' ' && p.charAt(0) >= 'A' && p.charAt(0) <= 'Z') {
            if (p.charAt(0) == 'C') {
                int id = hex(p, 2, 2);
                block = Block.CLASS;
                id1 = id;
                return id < 0 ? "want 'C xx  name'" : put(classes, id, name(p, 4));
            }
            if (p.charAt(0) == 'S') {
                id1 = hex(p, 2, 4);
                block = Block.GENERIC_SUBSYSTEM;
                return id1 >= 0 && p.length() == 6 ? null : "want 'S xxxx'";
            }
            block = Block.RESERVED;
            return null;
        }
        int id = hex(p, 0, 4);
        block = Block.VENDOR;
        id1 = id;
        return id < 0 ? "want 'vvvv  vendor name'" : put(vendors, id, name(p, 4));
    }

    private String firstLevel(String p) {
        if (block == Block.CLASS) {
            id2 = hex(p, 0, 2);
            return id2 < 0 ? "want '\\txx  subclass name'" : put(subclasses, id1 << 8 | id2, name(p, 2));
        }
        id2 = hex(p, 0, 4);
        if (id2 < 0) {
            return "want '\\tdddd  device name'";
        }
        if (block == Block.GENERIC_SUBSYSTEM) {
            return put(genericSubsystems, id1 << 16 | id2, name(p, 4));
        }
        return put(devices, id1 << 16 | id2, name(p, 4));
    }

    private String secondLevel(String p) {
        if (!haveLevel1) {
            return "two tabs deep with no device or subclass line above";
        }
        if (block == Block.CLASS) {
            int progIf = hex(p, 0, 2);
            return progIf < 0 ? "want '\\t\\txx  prog-if name'" : put(progIfs, id1 << 16 | id2 << 8 | progIf, name(p, 2));
        }
        if (block != Block.VENDOR) {
            return "a subsystem line outside a vendor's device";
        }
        int subvendor = hex(p, 0, 4);
        int subdevice = p.length() > 5 && isBlank(p.charAt(4)) ? hex(p, 5, 4) : -1;
        if (subvendor < 0 || subdevice < 0) {
            return "want '\\t\\tssss dddd  subsystem name'";
        }
        long key = (long) id1 << 48 | (long) id2 << 32 | (long) subvendor << 16 | subdevice;
        return put(subsystems, key, name(p, 9));
    }

    /** Puts {@code name}, or says why not: null when it went in. */
    private static <K> String put(Map<K, String> table, K key, String name) {
        if (name == null) {
            return "no name after the id";
        }
        return table.putIfAbsent(key, name) == null ? null : "duplicate entry (the first one is kept)";
    }

    /** The name after the id that ends at {@code idEnd}: at least one blank, then the rest; null if none. */
    private static String name(String p, int idEnd) {
        if (p.length() <= idEnd || !isBlank(p.charAt(idEnd))) {
            return null;
        }
        int start = idEnd;
        while (start < p.length() && isBlank(p.charAt(start))) {
            start++;
        }
        return start < p.length() ? p.substring(start) : null;
    }

    /** {@code digits} hexadecimal digits at {@code from}, or -1. */
    private static int hex(String p, int from, int digits) {
        if (p.length() < from + digits) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + digits; i++) {
            char c = p.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private void skip(int number, String raw, String problem) {
        skippedLines++;
        if (firstSkipped.size() < SKIPPED_EXAMPLES) {
            String shown = raw.length() <= 60 ? raw : raw.substring(0, 60) + "...";
            firstSkipped.add("line " + number + ": " + problem + ": '" + shown.replace("\t", "\\t") + "'");
        }
    }
}

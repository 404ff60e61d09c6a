package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.devrt.vfs.internal.cache.BlockCache;

/**
 * One directory: its entries parsed once (long names assembled and checked against their short entry's checksum),
 * names looked up without regard to case, and changes written through to the medium slot by slot. A directory grows
 * by a zeroed cluster when it has no run of free slots long enough; the FAT12/16 root cannot grow. Not thread-safe:
 * the filesystem's lock guards it.
 */
final class Directory {
    private static final byte[] DOT = ".          ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DOTDOT = "..         ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** A file or directory in this directory: its names and where its entries are. */
    static final class Entry {
        final String name;
        final byte[] shortName;
        final int firstSlot;
        final int slot;

        Entry(String name, byte[] shortName, int firstSlot, int slot) {
            this.name = name;
            this.shortName = shortName;
            this.firstSlot = firstSlot;
            this.slot = slot;
        }

        String shortDisplay() {
            return ShortNames.display(shortName, 0);
        }
    }

    private final Volume vol;
    /** First cluster, or 0 for the FAT12/16 root directory area. */
    final int cluster;
    final String path;
    private int[] chain;
    private int slots;
    private int end;
    private final BitSet used = new BitSet();
    private final TreeMap<Integer, Entry> bySlot = new TreeMap<>();
    private final Map<String, Entry> byLongName = new HashMap<>();
    private final Map<String, Entry> byShortName = new HashMap<>();
    private final Set<String> shortNames = new HashSet<>();
    private String label = "";

    private Directory(Volume vol, int cluster, String path) {
        this.vol = vol;
        this.cluster = cluster;
        this.path = path;
    }

    /** Reads a directory: the fixed root area when {@code cluster} is 0, else the chain from {@code cluster}. */
    static Directory load(Volume vol, int cluster, String path) throws IOException {
        Directory d = new Directory(vol, cluster, path);
        d.chain = cluster == 0 ? new int[0] : vol.directoryChain(cluster, path);
        d.slots = cluster == 0 ? vol.bs.rootEntries : d.chain.length * (vol.clusterSize / DirEntry.SIZE);
        byte[] raw = new byte[d.slots * DirEntry.SIZE];
        if (cluster == 0) {
            vol.cache.read(vol.bs.rootDirOffset(), ByteBuffer.wrap(raw));
        } else {
            for (int i = 0; i < d.chain.length; i++) {
                vol.cache.read(vol.clusterOffset(d.chain[i]), ByteBuffer.wrap(raw, i * vol.clusterSize, vol.clusterSize));
            }
        }
        d.parse(raw);
        return d;
    }

    private void parse(byte[] raw) {
        LongNames.Assembler longName = new LongNames.Assembler();
        int sequenceStart = -1;
        end = slots;
        for (int i = 0; i < slots; i++) {
            int at = i * DirEntry.SIZE;
            int first = raw[at] & 0xFF;
            if (first == DirEntry.END) {
                end = i;
                break;
            }
            if (first == DirEntry.FREE) {
                longName.reset();
                continue;
            }
            used.set(i);
            if (LongNames.isLongNameEntry(raw, at)) {
                if ((first & LongNames.LAST_LONG_ENTRY) != 0) {
                    sequenceStart = i;
                }
                longName.add(raw, at);
                continue;
            }
            byte[] name11 = Arrays.copyOfRange(raw, at, at + 11);
            int attr = raw[at + DirEntry.DIR_ATTR] & 0xFF;
            if ((attr & DirEntry.ATTR_VOLUME_ID) != 0) {
                if (isRoot() && (attr & DirEntry.ATTR_DIRECTORY) == 0) {
                    label = new String(name11, java.nio.charset.StandardCharsets.ISO_8859_1).stripTrailing();
                }
                longName.reset();
                continue;
            }
            if (Arrays.equals(name11, DOT) || Arrays.equals(name11, DOTDOT)) {
                longName.reset();
                continue;
            }
            String lfn = longName.finish(name11);
            if (lfn != null && i - sequenceStart != longName.entries()) {
                lfn = null;
            }
            int nt = raw[at + DirEntry.DIR_NT_RES] & 0xFF;
            register(new Entry(lfn != null ? lfn : ShortNames.display(name11, nt), name11,
                    lfn != null ? sequenceStart : i, i));
        }
    }

    boolean isRoot() {
        return cluster == 0 || cluster == vol.bs.rootCluster;
    }

    /** The cluster that a subdirectory's ".." names for this directory: 0 for the root, as the spec asks. */
    int clusterForDotDot() {
        return isRoot() ? 0 : cluster;
    }

    /** The volume label entry's text (root only), "" if there is none. */
    String label() {
        return label;
    }

    Collection<Entry> entries() {
        return bySlot.values();
    }

    boolean isEmpty() {
        return bySlot.isEmpty();
    }

    /**
     * A name as FAT compares names: each UTF-16 unit upper-cased on its own, as Windows' up-case table maps them.
     * Not {@link String#toUpperCase}, which folds one character into several ({@code ß} into {@code SS}): that made
     * {@code straße.txt} and {@code STRASSE.TXT}, two files on FAT, one name here, and rm delete the other one.
     */
    static String key(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toUpperCase(chars[i]);
        }
        return new String(chars);
    }

    /** The entry called {@code name} (its long name or its short name, in any case), or null. */
    Entry find(String name) {
        String key = key(name);
        Entry e = byLongName.get(key);
        return e != null ? e : byShortName.get(key);
    }

    /**
     * Adds an entry named {@code name} whose other fields come from {@code template}: long-name entries when the
     * name needs them, and a short name unique in this directory.
     */
    Entry add(String name, DirEntry template) throws IOException {
        ShortNames.Plan plan = ShortNames.plan(name);
        byte[] shortName = ShortNames.choose(name, plan, shortNames);
        boolean needsLong = plan.needsLongName() || !Arrays.equals(shortName, plan.basis());
        byte[][] longEntries = needsLong ? LongNames.encode(name, shortName) : new byte[0][];
        int first = allocateSlots(longEntries.length + 1);
        for (int i = 0; i < longEntries.length; i++) {
            writeSlot(first + i, longEntries[i]);
        }
        DirEntry e = template.copy();
        e.name11(shortName);
        e.ntRes(needsLong ? 0 : plan.ntRes());
        if ((shortName[0] & 0xFF) == DirEntry.FREE) {
            e.b.put(0, (byte) DirEntry.KANJI_E5);
        }
        int slot = first + longEntries.length;
        writeSlot(slot, e.bytes());
        Entry entry = new Entry(needsLong ? name : ShortNames.display(shortName, e.ntRes()), shortName, first, slot);
        register(entry);
        return entry;
    }

    /**
     * Makes sure an entry named {@code name} can be added once the entries {@code leaving} are removed, growing the
     * directory by a cluster if it must: a rename calls this before it removes anything, so that a full fixed root
     * or a full volume fails it with both names and the data as they were.
     *
     * @throws IOException what growing the directory threw: the root directory is full, the directory has its
     *                     most entries, or no cluster is free
     */
    void ensureRoom(String name, Entry... leaving) throws IOException {
        // A name that is its own short name takes one slot: its basis can be held only by an entry the name finds
        // (the one renamed, or the one replaced, both leaving). Counting a long name's slots for it made a rename over
        // an 8.3 file in a full directory fail, where the replaced entry frees the one slot needed.
        int n = ShortNames.plan(name).needsLongName() ? LongNames.entriesFor(name) + 1 : 1;
        while (true) {
            BitSet free = (BitSet) used.clone();
            for (Entry e : leaving) {
                if (e != null) {
                    free.clear(e.firstSlot, e.slot + 1);
                }
            }
            for (int i = free.nextClearBit(0); i + n <= slots; i = free.nextClearBit(i)) {
                int nextUsed = free.nextSetBit(i);
                if (nextUsed < 0 || nextUsed >= i + n) {
                    return;
                }
                i = nextUsed;
            }
            grow();
        }
    }

    /** Marks an entry's slots free (0xE5), long-name entries included. */
    void remove(Entry e) throws IOException {
        for (int s = e.firstSlot; s <= e.slot; s++) {
            vol.cache.write(slotOffset(s), ByteBuffer.wrap(new byte[] {(byte) DirEntry.FREE}), BlockCache.DIRECTORY);
            used.clear(s);
        }
        bySlot.remove(e.slot);
        byLongName.remove(key(e.name), e);
        byShortName.remove(key(e.shortDisplay()), e);
        shortNames.remove(ShortNames.key(e.shortName));
    }

    DirEntry read(Entry e) throws IOException {
        return readAt(vol, slotOffset(e.slot));
    }

    static DirEntry readAt(Volume vol, long offset) throws IOException {
        byte[] raw = new byte[DirEntry.SIZE];
        vol.cache.read(offset, ByteBuffer.wrap(raw));
        return new DirEntry(raw, vol.bs.type == FatType.FAT32);
    }

    static void writeAt(Volume vol, long offset, DirEntry e) throws IOException {
        vol.cache.write(offset, ByteBuffer.wrap(e.bytes()), BlockCache.DIRECTORY);
    }

    /** Where slot {@code s}'s 32 bytes are on the volume. */
    long slotOffset(int s) {
        if (s < 0 || s >= slots) {
            throw new IllegalArgumentException("slot (" + s + ") must be 0.." + (slots - 1));
        }
        long byteInDir = (long) s * DirEntry.SIZE;
        return cluster == 0 ? vol.bs.rootDirOffset() + byteInDir
                : vol.clusterOffset(chain[(int) (byteInDir / vol.clusterSize)]) + byteInDir % vol.clusterSize;
    }

    /** The cluster this directory's ".." entry names, or -1 when its second entry is not "..". */
    int dotDotCluster() throws IOException {
        if (slots < 2) {
            return -1;
        }
        DirEntry dotdot = readAt(vol, slotOffset(1));
        return Arrays.equals(dotdot.name11(), DOTDOT) ? dotdot.firstCluster() : -1;
    }

    /** Points this directory's ".." entry at {@code parentCluster} (after a move). */
    void setParent(int parentCluster) throws IOException {
        long at = slotOffset(1);
        DirEntry dotdot = readAt(vol, at);
        if (!Arrays.equals(dotdot.name11(), DOTDOT)) {
            throw vol.corrupt(path, "the directory's second entry is not \"..\"");
        }
        dotdot.firstCluster(parentCluster);
        writeAt(vol, at, dotdot);
    }

    /** Writes "." and ".." into the fresh (zeroed) first cluster of a new directory. */
    static void writeDots(Volume vol, int cluster, int parentCluster, LocalDateTime now) throws IOException {
        for (int i = 0; i < 2; i++) {
            DirEntry e = DirEntry.blank();
            e.name11(i == 0 ? DOT : DOTDOT);
            e.attr(DirEntry.ATTR_DIRECTORY);
            e.firstCluster(i == 0 ? cluster : parentCluster);
            e.created(now);
            e.modified(now);
            e.accessed(now);
            writeAt(vol, vol.clusterOffset(cluster) + (long) i * DirEntry.SIZE, e);
        }
        // a new directory's first cluster is on the disk, dots and all, before its entry in the parent links it
        vol.cache.writeThrough(vol.clusterOffset(cluster), vol.clusterSize);
    }

    /** The clusters of this directory (empty for the fixed root). */
    int[] chain() {
        return chain.clone();
    }

    private void register(Entry e) {
        bySlot.put(e.slot, e);
        byLongName.putIfAbsent(key(e.name), e);
        byShortName.putIfAbsent(key(e.shortDisplay()), e);
        shortNames.add(ShortNames.key(e.shortName));
    }

    /** Finds {@code n} consecutive free slots, growing the directory when there are none; marks them used. */
    private int allocateSlots(int n) throws IOException {
        while (true) {
            int i = used.nextClearBit(0);
            while (i + n <= slots) {
                int nextUsed = used.nextSetBit(i);
                if (nextUsed < 0 || nextUsed >= i + n) {
                    used.set(i, i + n);
                    if (i + n > end) {
                        end = i + n;
                        if (end < slots) {
                            writeSlot(end, new byte[DirEntry.SIZE]); // the new end mark
                        }
                    }
                    return i;
                }
                i = used.nextClearBit(nextUsed);
            }
            grow();
        }
    }

    private void grow() throws IOException {
        if (cluster == 0) {
            throw new NoSpaceException(vol.name + path + ": the root directory is full (" + slots + " entries)");
        }
        int perCluster = vol.clusterSize / DirEntry.SIZE;
        if (slots + perCluster > Volume.MAX_DIR_ENTRIES) {
            throw new NoSpaceException(vol.name + path + ": the directory is full (" + slots + " entries)");
        }
        int[] added = vol.allocateZeroed(1, chain[chain.length - 1]);
        chain = Arrays.copyOf(chain, chain.length + 1);
        chain[chain.length - 1] = added[0];
        slots += perCluster; // the zeroed cluster is all free: an end mark if the old end was at the last slot
    }

    private void writeSlot(int s, byte[] raw) throws IOException {
        vol.cache.write(slotOffset(s), ByteBuffer.wrap(raw), BlockCache.DIRECTORY);
    }
}

package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.devrt.vfs.CorruptFilesystemException;

/**
 * What a read-write mount does to a volume that was left dirty (a pulled disk, a crash): the repairs fsck.fat would
 * make for the states that devrt's write order can leave, and only those, as Windows' autochk checks a dirty FAT
 * volume before using it.
 *
 * <p>The block cache writes file data, then the FAT entries of new clusters, then the links onto existing chains,
 * then the directory entries with the sizes, then the FAT entries that free clusters (see {@code BlockCache}). A
 * disk that goes between two of those leaves:
 * <ul>
 * <li>a file whose chain is longer than its size needs (its link reached the disk, its new size did not; or its
 *     smaller size did and the cut did not): the chain is cut to the size, as fsck.fat does, and the rest freed;</li>
 * <li>clusters allocated on no chain (their FAT entries reached the disk, the link did not): they are freed;</li>
 * <li>FAT copies that differ (one copy's write reached the disk, the other's did not): the active one is copied
 *     over the others, as fsck.fat does;</li>
 * <li>a file or directory with two entries on one chain (a rename writes its new entry to the disk, and flushes
 *     it, before it removes the old one): the entry met second is removed, so the rename is either done or not,
 *     never lost;</li>
 * <li>a moved directory whose ".." still names its old parent (its new entry and the old one's removal reached
 *     the disk, the ".." did not): it is pointed at the parent it is found in, as fsck.fat fixes it.</li>
 * </ul>
 * Everything else is left alone: if the walk meets anything the write order cannot explain (a chain shorter than its
 * file, two chains sharing a cluster, a loop, a directory it cannot read), it changes nothing at all, and the volume
 * stays dirty for fsck.fat. The walk follows every directory and chain once: its cost grows with the volume's
 * metadata, as a mount of a dirty volume does on Windows.
 */
final class DirtyRecovery {
    /** What the recovery found and did; {@link #repaired} false when it changed nothing and gave up. */
    record Result(boolean repaired, int filesCut, int lostClustersFreed, int fatSectorsCopied, int twinsRemoved,
            int dotDotsFixed, String problem) {
        String describe() {
            if (!repaired) {
                return problem;
            }
            return filesCut + (filesCut == 1 ? " file cut to its size, " : " files cut to their size, ") + lostClustersFreed
                    + " lost " + (lostClustersFreed == 1 ? "cluster" : "clusters") + " freed, " + fatSectorsCopied
                    + " FAT " + (fatSectorsCopied == 1 ? "sector" : "sectors") + " copied from the active FAT"
                    + (twinsRemoved == 0 ? "" : ", " + twinsRemoved + " second "
                            + (twinsRemoved == 1 ? "entry" : "entries") + " of an interrupted rename removed")
                    + (dotDotsFixed == 0 ? "" : ", " + dotDotsFixed + " \"..\" "
                            + (dotDotsFixed == 1 ? "entry" : "entries") + " pointed at the parent");
        }
    }

    /** The entry that claimed a chain's first cluster, to tell a rename's two entries from a cross-link. */
    private record Claim(String path, boolean directory, long size) {
    }

    /** An entry to remove: the second of a rename's two. */
    private record Twin(Directory dir, Directory.Entry entry) {
    }

    /** A directory whose ".." is to name {@code parentCluster}. */
    private record DotDot(Directory dir, int parentCluster) {
    }

    /** A file to cut: where its directory entry is, its chain, and the clusters its size needs. */
    private record Cut(long entryOffset, int[] chain, int keep) {
    }

    private final Volume vol;
    private final Fat fat;
    private final BitSet used = new BitSet();
    private final Map<Integer, Claim> heads = new HashMap<>();

    private DirtyRecovery(Volume vol) {
        this.vol = vol;
        this.fat = vol.fat;
    }

    /** Walks the volume from {@code root} and repairs what the write order explains; writes nothing otherwise. */
    static Result run(Volume vol, Directory root) throws IOException {
        return new DirtyRecovery(vol).walk(root);
    }

    private Result walk(Directory root) throws IOException {
        List<Cut> cuts = new ArrayList<>();
        List<Twin> twins = new ArrayList<>();
        List<DotDot> dotDots = new ArrayList<>();
        Deque<Directory> pending = new ArrayDeque<>();
        pending.push(root);
        try {
            if (root.cluster != 0) {
                markDirectory(root.cluster, "/"); // FAT32's root is a chain too, the first marked: nothing to meet
            }
            while (!pending.isEmpty()) {
                Directory dir = pending.pop();
                for (Directory.Entry e : dir.entries()) {
                    DirEntry d = dir.read(e);
                    String path = (dir.isRoot() ? "/" : dir.path + "/") + e.name;
                    Claim earlier = d.firstCluster() == 0 ? null : heads.get(d.firstCluster());
                    if (earlier != null) {
                        if (earlier.directory() != d.isDirectory() || !d.isDirectory() && earlier.size() != d.size()) {
                            return giveUp(path + ": its clusters are " + earlier.path() + "'s as well");
                        }
                        twins.add(new Twin(dir, e)); // a rename's new entry and its old one: this one goes
                        continue;
                    }
                    if (d.firstCluster() != 0) {
                        heads.put(d.firstCluster(), new Claim(path, d.isDirectory(), d.size()));
                    }
                    if (d.isDirectory()) {
                        if (!markDirectory(d.firstCluster(), path)) {
                            return giveUp(path + ": the directory's clusters are on another chain as well");
                        }
                        Directory sub = Directory.load(vol, d.firstCluster(), path);
                        int dotDot = sub.dotDotCluster();
                        if (dotDot >= 0 && dotDot != dir.clusterForDotDot()) {
                            dotDots.add(new DotDot(sub, dir.clusterForDotDot()));
                        }
                        pending.push(sub);
                        continue;
                    }
                    String problem = markFile(d, dir.slotOffset(e.slot), path, cuts);
                    if (problem != null) {
                        return giveUp(problem);
                    }
                }
            }
        } catch (CorruptFilesystemException e) {
            return giveUp(e.getMessage());
        }
        for (Cut cut : cuts) {
            DirEntry d = Directory.readAt(vol, cut.entryOffset);
            if (cut.keep == 0) {
                d.firstCluster(0);
                Directory.writeAt(vol, cut.entryOffset, d); // the entry stops using the chain, then it is freed
            } else {
                fat.cut(cut.chain[cut.keep - 1]);
            }
            fat.release(cut.chain, cut.keep);
        }
        for (Twin twin : twins) {
            twin.dir().remove(twin.entry());
        }
        for (DotDot fix : dotDots) {
            fix.dir().setParent(fix.parentCluster());
        }
        int[] lost = lostClusters();
        fat.release(lost, 0);
        fat.clearHardError(); // checked: a hard error the last mount met is answered
        int copied = fat.mirror();
        vol.cache.sync();
        return new Result(true, cuts.size(), lost.length, copied, twins.size(), dotDots.size(), null);
    }

    /** Marks a directory's chain; false when a cluster of it is already on another chain. */
    private boolean markDirectory(int first, String path) throws IOException {
        int[] chain = vol.directoryChain(first, path);
        for (int c : chain) {
            if (used.get(c)) {
                return false;
            }
        }
        for (int c : chain) {
            used.set(c);
        }
        return true;
    }

    /**
     * Follows a file's whole chain to its end mark; marks all its clusters and, when the chain is longer than its
     * size needs, plans the cut. Returns what it cannot explain, or null.
     */
    private String markFile(DirEntry d, long entryOffset, String path, List<Cut> cuts) throws IOException {
        long needed = (d.size() + vol.clusterSize - 1) / vol.clusterSize;
        int first = d.firstCluster();
        if (first == 0) {
            return needed == 0 ? null : path + ": " + d.size() + " bytes but no clusters";
        }
        List<Integer> chain = new ArrayList<>();
        BitSet mine = new BitSet();
        for (long c = first;;) {
            if (!vol.validCluster(c)) {
                return path + ": the cluster chain reaches cluster " + Long.toUnsignedString(c)
                        + ", outside the volume";
            }
            if (mine.get((int) c)) {
                return path + ": the cluster chain loops back to cluster " + c;
            }
            if (used.get((int) c)) {
                return path + ": cluster " + c + " is on another chain as well";
            }
            mine.set((int) c);
            chain.add((int) c);
            int next = fat.get(c);
            if (fat.type().isEndOfChain(next)) {
                break;
            }
            if (next == 0 || next == fat.type().bad()) {
                return path + ": the cluster chain runs into a " + (next == 0 ? "free" : "bad") + " cluster after "
                        + c;
            }
            c = next;
        }
        if (chain.size() < needed) {
            return path + ": " + d.size() + " bytes need " + needed + " clusters, the chain has " + chain.size();
        }
        int[] clusters = chain.stream().mapToInt(Integer::intValue).toArray();
        // The whole chain is claimed, the tail beyond the size too: a chain met later on one of its clusters shares it,
        // and the repair must give up. Claiming only what the size needs, the cut freed a tail that another file or
        // a directory still used, and the next write took it (a directory's only cluster, overwritten).
        for (int c : clusters) {
            used.set(c);
        }
        if (clusters.length > needed) {
            cuts.add(new Cut(entryOffset, clusters, (int) needed));
        }
        return null;
    }

    /** Clusters that are neither free nor bad nor on any chain the walk kept. */
    private int[] lostClusters() throws IOException {
        int[] lost = new int[16];
        int count = 0;
        for (long c = 2; c <= vol.bs.maxCluster(); c++) {
            int v = fat.get(c);
            if (v != 0 && v != fat.type().bad() && !used.get((int) c)) {
                if (count == lost.length) {
                    lost = Arrays.copyOf(lost, count * 2);
                }
                lost[count++] = (int) c;
            }
        }
        return Arrays.copyOf(lost, count);
    }

    private static Result giveUp(String problem) {
        return new Result(false, 0, 0, 0, 0, 0, problem);
    }
}

package org.devrt.vfs.internal.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.internal.cache.BlockCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mounted FAT12/16/32 volume: files and directories by path (a list of names below the volume's root). Every
 * operation takes the volume's lock; changes go to the block cache and reach the disk at {@link #sync} or
 * {@link #unmount}. Mounting read-write sets the dirty flag on the medium; a clean unmount clears it. A volume that
 * was dirty already is first put right by {@link DirtyRecovery} when it is mounted read-write; if that finds damage
 * the write order cannot explain, the flag stays set for fsck.fat.
 */
public final class FatFileSystem {
    private static final Logger LOG = LoggerFactory.getLogger(FatFileSystem.class);
    private static final int DIRECTORY_CACHE = 1024;

    private enum State { MOUNTED, UNMOUNTED, GONE }

    private final Object lock = new Object();
    private final Volume vol;
    private final boolean readOnly;
    private final Clock clock;
    private final Directory root;
    private final boolean wasDirty;
    /** What the mount did about a dirty volume; null when it was clean or mounted read-only. */
    private final DirtyRecovery.Result recovery;
    /** Damage met since the mount and left for a check (a removed file's damaged chain); null if none. */
    private String damageLeft;
    /**
     * The I/O error that cut a change of the volume short, or null: from then on the volume is read-only, its syncs
     * fail, and it stays dirty on the disk, so that the next mount repairs what the change left half done (as
     * Linux's errors=remount-ro). Going on writing, a rename cut short left two names on one chain, and removing
     * one freed the other's clusters for the next file.
     */
    private String failure;
    private final Map<Integer, Directory> directories = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Directory> eldest) {
            return size() > DIRECTORY_CACHE;
        }
    };
    private final Map<Long, FatFile> open = new HashMap<>();
    private final FileData data;
    private volatile State state = State.MOUNTED;
    private volatile String goneReason = "";

    private FatFileSystem(Volume vol, boolean readOnly, Clock clock, Directory root, boolean wasDirty,
            DirtyRecovery.Result recovery) {
        this.vol = vol;
        this.recovery = recovery;
        this.readOnly = readOnly;
        this.clock = clock;
        this.root = root;
        this.wasDirty = wasDirty;
        this.data = new FileData(vol, clock);
    }

    /**
     * Mounts the FAT volume in {@code cache}'s region.
     *
     * @param name how messages name the volume, e.g. {@code /mnt/sda1}
     * @return null if the region holds no FAT volume
     * @throws org.devrt.vfs.CorruptFilesystemException if it holds a damaged one
     */
    public static FatFileSystem mount(BlockCache cache, String name, boolean readOnly, Clock clock) throws IOException {
        Volume vol = Volume.open(cache, name);
        if (vol == null) {
            return null;
        }
        Directory root = Directory.load(vol, vol.bs.type == FatType.FAT32 ? vol.bs.rootCluster : 0, "/");
        boolean wasDirty = vol.dirty();
        DirtyRecovery.Result recovery = null;
        boolean ro = readOnly;
        if (!readOnly) {
            vol.dirty(true);
            cache.sync();
            if (wasDirty) {
                recovery = DirtyRecovery.run(vol, root);
                // damage it does not repair stays out of reach of writes: allocating from a FAT it does not trust
                // gave a new file the clusters of another, and rewrote the good second FAT to match
                ro = !recovery.repaired();
            }
        }
        return new FatFileSystem(vol, ro, clock, root, wasDirty, recovery);
    }

    public FatType type() {
        return vol.bs.type;
    }

    public boolean readOnly() {
        return readOnly || failure != null;
    }

    /** Whether the medium said it had not been unmounted cleanly when it was mounted. */
    public boolean wasDirty() {
        return wasDirty;
    }

    /**
     * For a volume that {@link #wasDirty()}: what the mount did about it, e.g. {@code repaired: 1 file cut to its
     * size, 12 lost clusters freed}, or why it left the volume for fsck.fat; "" for a clean volume.
     */
    public String recovery() {
        if (!wasDirty) {
            return "";
        }
        if (recovery == null) {
            return "mounted read-only, so not repaired: run fsck.fat on it";
        }
        return recovery.repaired() ? "repaired: " + recovery.describe() : "not repaired, so mounted read-only: run"
                + " fsck.fat on it, with the volume unmounted: " + recovery.describe();
    }

    /** Whether the volume was not unmounted cleanly and the mount did not repair it: it is left for fsck.fat. */
    public boolean leftForFsck() {
        return wasDirty && (recovery == null || !recovery.repaired());
    }

    /**
     * Whether the volume is dirty still: it was, and the mount did not repair it; or a damaged file was removed
     * since, its clusters left for a check to free.
     */
    private boolean stillDirty() {
        return leftForFsck() || damageLeft != null || failure != null;
    }

    /** The volume label: the root directory's label entry, else the boot sector's; "" if neither has one. */
    public String label() {
        String label = root.label().isEmpty() ? vol.bs.label : root.label();
        return label.equals("NO NAME") ? "" : label;
    }

    public long totalBytes() {
        return vol.totalBytes();
    }

    /**
     * Bytes in free clusters, as statfs tells them: the FAT is counted at the first call after the mount (a FAT32
     * volume's FSInfo count is only a hint), then the count is kept as clusters are taken and freed.
     */
    public long freeBytes() throws IOException {
        synchronized (lock) {
            usable();
            return vol.freeBytes(true);
        }
    }

    /**
     * Bytes in free clusters as far as known without reading the FAT: FSInfo's hint until {@link #freeBytes} or a
     * write counted them. For {@code Vfs.mounts()}, which callers may poll.
     */
    public long freeBytesKnown() throws IOException {
        synchronized (lock) {
            usable();
            return vol.freeBytes(false);
        }
    }

    public int clusterSize() {
        return vol.clusterSize;
    }

    /** The open files, by their paths in the volume ("/logs/ping.txt"), sorted. */
    public List<String> openFiles() {
        synchronized (lock) {
            return open.values().stream().map(f -> f.path).sorted().toList();
        }
    }

    public FileInfo stat(List<String> path) throws IOException {
        synchronized (lock) {
            usable();
            if (path.isEmpty()) {
                LocalDateTime epoch = DosTime.EPOCH;
                return new FileInfo("", "", true, 0, instant(epoch), instant(epoch), instant(epoch), readOnly, false);
            }
            Directory parent = directory(path.subList(0, path.size() - 1));
            Directory.Entry e = existing(parent, path);
            return info(e, parent.read(e));
        }
    }

    /** Sets the times given (null: left as it is) of a file or directory; the root has none and is left. */
    public void setTimes(List<String> path, Instant modified, Instant accessed, Instant created)
            throws IOException {
        synchronized (lock) {
            try {
                usable();
                if (path.isEmpty()) {
                    return;
                }
                writable(path);
                Directory parent = directory(path.subList(0, path.size() - 1));
                long at = parent.slotOffset(existing(parent, path).slot);
                DirEntry d = Directory.readAt(vol, at);
                if (modified != null) {
                    d.modified(local(modified));
                }
                if (accessed != null) {
                    d.accessed(local(accessed));
                }
                if (created != null) {
                    d.created(local(created));
                }
                Directory.writeAt(vol, at, d);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private LocalDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, clock.getZone());
    }

    public List<FileInfo> list(List<String> path) throws IOException {
        synchronized (lock) {
            usable();
            Directory d = directory(path);
            List<FileInfo> out = new ArrayList<>();
            for (Directory.Entry e : d.entries()) {
                out.add(info(e, d.read(e)));
            }
            return out;
        }
    }

    public void createDirectory(List<String> path) throws IOException {
        synchronized (lock) {
            try {
                createDirectoryLocked(path);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private void createDirectoryLocked(List<String> path) throws IOException {
        usable();
        if (path.isEmpty()) { // the volume's root: there, as 'mkdir /mnt/sda1' finds it
            throw new FileAlreadyExistsException(vol.name);
        }
        writable(path);
        Directory parent = directory(path.subList(0, path.size() - 1));
        String name = newName(parent, path);
        LocalDateTime now = now();
        int cluster = vol.allocateZeroed(1, 0)[0];
        try {
            Directory.writeDots(vol, cluster, parent.clusterForDotDot(), now);
            DirEntry d = DirEntry.blank();
            d.attr(DirEntry.ATTR_DIRECTORY);
            d.firstCluster(cluster);
            d.created(now);
            d.modified(now);
            d.accessed(now);
            parent.add(name, d);
        } catch (IOException | RuntimeException e) {
            vol.fat.release(new int[] {cluster}, 0);
            throw e;
        }
    }

    public void delete(List<String> path) throws IOException {
        synchronized (lock) {
            try {
                deleteLocked(path);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private void deleteLocked(List<String> path) throws IOException {
        writable(path);
        Directory parent = directory(path.subList(0, path.size() - 1));
        Directory.Entry e = existing(parent, path);
        DirEntry d = parent.read(e);
        int[] chain;
        if (d.isDirectory()) {
            Directory sub = directory(d.firstCluster(), text(path));
            if (!sub.isEmpty()) {
                throw new DirectoryNotEmptyException(vol.name + text(path));
            }
            chain = sub.chain();
            directories.remove(sub.cluster);
        } else {
            long at = parent.slotOffset(e.slot);
            if (open.containsKey(at)) {
                throw new FileSystemException(vol.name + text(path), null, "the file is open");
            }
            try {
                chain = vol.fileChain(d.firstCluster(), d.size(), text(path));
            } catch (CorruptFilesystemException damaged) {
                // As Linux removes such a file: its entry goes, but its clusters stay allocated (a damaged chain
                // may run into another file's) and the volume stays dirty, so the next mount's repair, or
                // fsck.fat, frees them. Refused before, a damaged file could not be removed at all.
                chain = new int[0];
                damageLeft = damaged.getMessage();
                LOG.warn("{}: removed, but its clusters stay allocated until the volume is checked (the next"
                        + " mount repairs it, or fsck.fat): {}", vol.name + text(path), damaged.getMessage());
            }
        }
        // The entry goes first: the frees may force a flush of the cache (a write-order barrier), which must then
        // carry the removal, or the disk could hold an entry whose clusters are free.
        parent.remove(e);
        vol.fat.release(chain, 0);
    }

    /** Renames or moves within this volume; replaces an existing file at the target, never a directory. */
    public void rename(List<String> from, List<String> to) throws IOException {
        synchronized (lock) {
            try {
                renameLocked(from, to);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    private void renameLocked(List<String> from, List<String> to) throws IOException {
        writable(from);
        writable(to);
        Directory srcParent = directory(from.subList(0, from.size() - 1));
        Directory.Entry src = existing(srcParent, from);
        DirEntry d = srcParent.read(src);
        long oldOffset = srcParent.slotOffset(src.slot);
        Directory dstParent = directory(to.subList(0, to.size() - 1));
        if (d.isDirectory() && (dstParent.cluster == d.firstCluster() || ancestors(to).contains(d.firstCluster()))) {
            throw new FileSystemException(vol.name + text(from), vol.name + text(to),
                    "a directory cannot move into itself");
        }
        String name = to.get(to.size() - 1);
        invalidName(name, to);
        Directory.Entry existing = dstParent.find(name);
        boolean sameEntry = existing != null && dstParent == srcParent && existing.slot == src.slot;
        if (sameEntry && !Directory.key(name).equals(Directory.key(src.name))) {
            return; // its own short alias (LONGNA~1.BIN): one file, and rename(2) then does nothing
        }
        int[] replaced = existing != null && !sameEntry ? replaceable(dstParent, existing, d, to) : null;
        // Room for the new name first: nothing is removed (the entry renamed, a file replaced) until the new
        // entry is sure to fit, as rename(2) leaves both names as they were when it fails (ENOSPC). Removed
        // before the room was made, a case-only rename into a full directory lost the file, or a whole tree.
        dstParent.ensureRoom(name, sameEntry ? src : existing);
        if (replaced != null) {
            dstParent.remove(existing); // in the cache before the frees: a flush they force carries it too
            vol.fat.release(replaced, 0);
        }
        Directory.Entry moved;
        if (sameEntry) {
            srcParent.remove(src);
            moved = dstParent.add(name, d);
        } else {
            moved = dstParent.add(name, d);
            // The new entry is on the medium before the old one goes: a disk pulled in between leaves both, and
            // the next mount's repair removes one (DirtyRecovery). Both in the cache, the removal could land
            // first (the pages are written in block order), leaving neither: the repair freed the chain, a synced
            // file or a whole tree, as lost clusters.
            vol.cache.sync();
            srcParent.remove(src);
        }
        if (d.isDirectory() && dstParent != srcParent) {
            directory(d.firstCluster(), text(to)).setParent(dstParent.clusterForDotDot());
            directories.remove(d.firstCluster()); // its cached path is stale
        }
        FatFile f = open.remove(oldOffset);
        if (f != null) {
            f.entryOffset = dstParent.slotOffset(moved.slot);
            f.path = text(to);
            open.put(f.entryOffset, f);
        }
    }

    /** Opens a file with {@link StandardOpenOption}s, as {@link org.devrt.vfs.Vfs#open} describes. */
    public SeekableByteChannel open(List<String> path, Set<? extends OpenOption> options) throws IOException {
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean write = append || options.contains(StandardOpenOption.WRITE);
        boolean read = options.contains(StandardOpenOption.READ) || !write;
        boolean createNew = options.contains(StandardOpenOption.CREATE_NEW);
        boolean create = createNew || options.contains(StandardOpenOption.CREATE);
        boolean sync = options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
        for (OpenOption o : options) {
            if (!(o instanceof StandardOpenOption) || o == StandardOpenOption.DELETE_ON_CLOSE
                    || o == StandardOpenOption.SPARSE) {
                throw new UnsupportedOperationException("open option " + o + " is not supported");
            }
        }
        synchronized (lock) {
            try {
                return openLocked(path, options, read, write, append, create, createNew, sync);
            } catch (IOException e) {
                throw write ? failed(e) : e; // a read error of an open for reading changed nothing
            }
        }
    }

    private SeekableByteChannel openLocked(List<String> path, Set<? extends OpenOption> options, boolean read,
            boolean write, boolean append, boolean create, boolean createNew, boolean sync) throws IOException {
        usable();
        if (path.isEmpty()) {
            throw new FileSystemException(vol.name + "/", null, "is a directory");
        }
        if (write) {
            writable(path);
        }
        Directory parent = directory(path.subList(0, path.size() - 1));
        Directory.Entry e = parent.find(path.get(path.size() - 1));
        if (e == null) {
            if (!create || !write) {
                throw new NoSuchFileException(vol.name + text(path));
            }
            String name = newName(parent, path);
            LocalDateTime now = now();
            DirEntry d = DirEntry.blank();
            d.attr(DirEntry.ATTR_ARCHIVE);
            d.created(now);
            d.modified(now);
            d.accessed(now);
            e = parent.add(name, d);
        } else if (createNew) {
            throw new FileAlreadyExistsException(vol.name + text(path));
        }
        DirEntry d = parent.read(e);
        if (d.isDirectory()) {
            throw new FileSystemException(vol.name + text(path), null, "is a directory");
        }
        if (write && (d.attr() & DirEntry.ATTR_READ_ONLY) != 0) {
            throw new AccessDeniedException(vol.name + text(path), null, "the file has the read-only attribute");
        }
        long at = parent.slotOffset(e.slot);
        FatFile f = open.computeIfAbsent(at, k -> new FatFile(k, text(path), d.firstCluster(), d.size()));
        f.opens++;
        if (write && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            try {
                data.truncate(f, 0);
            } catch (IOException | RuntimeException failed) { // no channel to close: it stayed open for good
                if (--f.opens == 0) {
                    open.remove(at, f);
                }
                throw failed;
            }
        }
        return new FatChannel(this, f, read, write, append, sync);
    }

    /** Whether the volume is mounted read-write and its cache holds changes not written to the disk yet. */
    public boolean hasUnwrittenChanges() {
        synchronized (lock) {
            // a failed volume is written at its sync and unmount only: the write-back would fail and warn every time
            return state == State.MOUNTED && !readOnly && failure == null && vol.cache.hasDirtyPages();
        }
    }

    /**
     * Writes the FSInfo hints and every cached change, then flushes the disk. After an I/O error ({@link #failure})
     * it still writes what it can, but fails: what was written before the error may not be on the disk.
     */
    public void sync() throws IOException {
        synchronized (lock) {
            usable();
            if (readOnly) {
                return;
            }
            try {
                if (failure == null) {
                    vol.writeFsInfo();
                }
                vol.cache.sync();
            } catch (IOException e) {
                throw failed(e);
            }
            if (failure != null) {
                throw new IOException(vol.name + ": the volume had an I/O error (" + failure + "); what was written"
                        + " before it may not be on the disk, and it is read-only until it is mounted again");
            }
        }
    }

    /** Syncs, clears the dirty flag (unless the volume is dirty still) and closes the volume; open channels fail after. */
    public void unmount() throws IOException {
        unmount(true);
    }

    /**
     * Unmounts, as {@link #unmount()}; unless {@code force}, only if no file is open, decided under the volume's lock
     * that every open takes: a file opened between a caller's look at the open files and this is not closed under its
     * user.
     *
     * @throws BusyException if a file is open and {@code force} is false; the volume stays mounted
     */
    public void unmount(boolean force) throws IOException {
        synchronized (lock) {
            if (state != State.MOUNTED) {
                return;
            }
            if (!force && !open.isEmpty()) {
                throw new BusyException(vol.name, openFiles());
            }
            try {
                if (!readOnly && failure != null) {
                    try {
                        vol.cache.sync(); // what it can; the dirty flag stays
                    } catch (IOException e) {
                        LOG.debug("{}: sync at unmount after the I/O error: {}", vol.name, e.getMessage());
                    }
                    LOG.warn("{}: unmounted dirty after an I/O error ({}): the next mount checks it", vol.name,
                            failure);
                } else if (!readOnly) {
                    vol.writeFsInfo();
                    if (!stillDirty()) {
                        vol.cache.flush();
                        vol.dirty(false);
                    }
                    vol.cache.sync();
                }
            } finally {
                state = State.UNMOUNTED;
                open.clear();
                vol.cache.discard();
            }
        }
    }

    /** An unmount refused because files are open: they are named. */
    public static final class BusyException extends FileSystemException {
        private final transient List<String> files;

        BusyException(String volume, List<String> files) {
            super(volume, null, "busy: " + files.size() + " open file" + (files.size() == 1 ? "" : "s"));
            this.files = files;
        }

        /** The open files, by their paths in the volume. */
        public List<String> files() {
            return files;
        }
    }

    /**
     * The volume's disk has gone: every call from now on says so. Takes no lock, so that it works while another
     * thread is stuck in the driver; the cache goes with the last reference to this object.
     */
    public void gone(String reason) {
        goneReason = reason;
        state = State.GONE;
    }

    // ---- file data, for FatChannel: the checks and the lock here, the cluster work in FileData

    int read(FatFile f, long pos, ByteBuffer dst) throws IOException {
        synchronized (lock) {
            usable();
            int n = data.read(f, pos, dst);
            f.read |= n > 0;
            return n;
        }
    }

    /** Writes at {@code pos} (-1: at the end); returns the position after the bytes written. */
    long write(FatFile f, long pos, ByteBuffer src) throws IOException {
        synchronized (lock) {
            writable(f.path);
            try {
                return data.write(f, pos < 0 ? f.size : pos, src);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    long size(FatFile f) throws IOException {
        synchronized (lock) {
            usable();
            return f.size;
        }
    }

    void truncate(FatFile f, long size) throws IOException {
        synchronized (lock) {
            writable(f.path);
            try {
                data.truncate(f, size);
            } catch (IOException e) {
                throw failed(e);
            }
        }
    }

    void close(FatFile f) throws IOException {
        synchronized (lock) {
            if (--f.opens == 0) {
                open.remove(f.entryOffset, f);
            }
            if (state == State.MOUNTED && !readOnly && failure == null && f.read) {
                f.read = false;
                DirEntry d = Directory.readAt(vol, f.entryOffset);
                if (d.accessed(now())) {
                    Directory.writeAt(vol, f.entryOffset, d);
                }
            }
        }
    }

    // ---- paths

    private Directory directory(List<String> path) throws IOException {
        Directory d = root;
        java.util.Set<Integer> above = new java.util.HashSet<>();
        above.add(root.cluster);
        for (int i = 0; i < path.size(); i++) {
            Directory.Entry e = d.find(path.get(i));
            String sub = text(path.subList(0, i + 1));
            if (e == null) {
                throw new NoSuchFileException(vol.name + sub);
            }
            DirEntry de = d.read(e);
            if (!de.isDirectory()) {
                throw new NotDirectoryException(vol.name + sub);
            }
            if (!above.add(de.firstCluster()) || de.firstCluster() == 0) {
                throw vol.corrupt(sub, "the directory entry points at cluster " + de.firstCluster()
                        + ", which is this directory's own ancestor: a directory loop");
            }
            d = directory(de.firstCluster(), sub);
        }
        return d;
    }

    private Directory directory(int cluster, String path) throws IOException {
        if (cluster == root.cluster || (cluster == 0 && vol.bs.type != FatType.FAT32)) {
            return root;
        }
        Directory d = directories.get(cluster);
        if (d == null) {
            d = Directory.load(vol, cluster, path);
            directories.put(cluster, d);
        }
        return d;
    }

    /** The clusters of the directories on the way to {@code path}'s parent. */
    private List<Integer> ancestors(List<String> path) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < path.size(); i++) {
            out.add(directory(path.subList(0, i)).cluster);
        }
        return out;
    }

    private Directory.Entry existing(Directory parent, List<String> path) throws NoSuchFileException {
        Directory.Entry e = parent.find(path.get(path.size() - 1));
        if (e == null) {
            throw new NoSuchFileException(vol.name + text(path));
        }
        return e;
    }

    private String newName(Directory parent, List<String> path) throws IOException {
        String name = path.get(path.size() - 1);
        invalidName(name, path);
        if (parent.find(name) != null) {
            throw new FileAlreadyExistsException(vol.name + text(path));
        }
        return name;
    }

    private void invalidName(String name, List<String> path) throws FileSystemException {
        String reason = ShortNames.invalidReason(name);
        if (reason != null) {
            throw new FileSystemException(vol.name + text(path), null, reason);
        }
    }

    /** Checks that a rename may replace {@code existing}; returns its cluster chain, for freeing once it is gone. */
    private int[] replaceable(Directory dir, Directory.Entry existing, DirEntry moving, List<String> to)
            throws IOException {
        DirEntry target = dir.read(existing);
        if (target.isDirectory() || moving.isDirectory()) {
            throw new FileAlreadyExistsException(vol.name + text(to));
        }
        long at = dir.slotOffset(existing.slot);
        if (open.containsKey(at)) {
            throw new FileSystemException(vol.name + text(to), null, "the file is open");
        }
        return vol.fileChain(target.firstCluster(), target.size(), text(to));
    }

    private FileInfo info(Directory.Entry e, DirEntry d) {
        int attr = d.attr();
        return new FileInfo(e.name, e.shortDisplay(), d.isDirectory(), d.isDirectory() ? 0 : d.size(),
                instant(d.created()), instant(d.modified()), instant(d.accessed()),
                readOnly || (attr & DirEntry.ATTR_READ_ONLY) != 0, (attr & DirEntry.ATTR_HIDDEN) != 0);
    }

    private Instant instant(LocalDateTime t) {
        return t.atZone(clock.getZone()).toInstant();
    }

    private LocalDateTime now() {
        return LocalDateTime.now(clock);
    }

    private static String text(List<String> path) {
        return "/" + String.join("/", path);
    }

    private void usable() throws IOException {
        if (state == State.GONE) {
            throw new DeviceGoneException(vol.name + ": the volume is gone (" + goneReason + ")");
        }
        if (state == State.UNMOUNTED) {
            throw new FileSystemException(vol.name, null, "the volume is not mounted any more");
        }
    }

    /** Checks that {@code path} can be changed: the volume is mounted read-write and the path is not the root. */
    private void writable(List<String> path) throws IOException {
        writable(text(path));
        if (path.isEmpty()) {
            throw new FileSystemException(vol.name + "/", null, "the root directory cannot be changed");
        }
    }

    private void writable(String path) throws IOException {
        usable();
        if (readOnly) {
            throw new FileSystemException(vol.name + path, null, "the volume is mounted read-only");
        }
        if (failure != null) {
            throw new FileSystemException(vol.name + path, null, "the volume is read-only after an I/O error ("
                    + failure + "); unmount it and mount it again, which checks it");
        }
    }

    /**
     * Notes {@code e}, which cut a change short, as the volume's {@link #failure} unless it is a refusal made before
     * anything changed (no such file, no space, ...) or the disk has gone; returns it. Caller holds the lock.
     */
    private IOException failed(IOException e) {
        if (failure == null && state == State.MOUNTED && !readOnly && !(e instanceof FileSystemException)
                && !(e instanceof NoSpaceException) && !(e instanceof DeviceGoneException)) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("{}: an I/O error cut a change short; the volume is read-only until it is mounted again, which"
                    + " repairs it: {}", vol.name, failure);
        }
        return e;
    }
}

package org.devrt.vfs.internal.mount;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceEvents;
import org.devrt.vfs.FileInfo;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.fat.FatFileSystem;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount table, and the {@link Vfs} behind the service ({@link BundleVfs}, one per bundle that uses it): volumes by
 * mount point, paths resolved to the volume that holds them (the longest mount point that is a prefix), and the
 * directories above the mount points ({@code /}, {@code /mnt}) as a read-only tree of their own. Mounting and
 * unmounting post {@code devrt/mount/MOUNTED} and {@code UNMOUNTED}. Thread-safe: the table has its own lock, each volume its own.
 */
@Component(service = MountTable.class)
public final class MountTable implements Vfs {
    /** Event property: the disk and partition name, e.g. {@code sda1}. */
    public static final String SOURCE = "devrt.mount.source";
    /**
     * Event property of an {@code UNMOUNTED} event: the files that were open on the volume (String[], their full
     * paths), present when there were any. Their channels fail from then on, so what their users write after is lost.
     */
    public static final String CLOSED_FILES = "devrt.mount.closed.files";
    private static final Logger LOG = LoggerFactory.getLogger(MountTable.class);

    /** One mounted volume. */
    record Mount(String point, List<String> segments, String source, String deviceId, long startLba, long blockCount,
            FatFileSystem fs, boolean readOnly) {
        boolean overlaps(String otherDevice, long otherStart, long otherCount) {
            return deviceId.equals(otherDevice) && startLba < otherStart + otherCount
                    && otherStart < startLba + blockCount;
        }
    }

    /**
     * Held for a whole mount, from the checks through reading (and for a dirty volume, repairing) the volume to its
     * entry in the table: two mounts of one region must not both read and repair it.
     */
    private final Object mounting = new Object();

    private final Map<String, Mount> mounts = new TreeMap<>();
    /** Volumes {@link #detach} took out of the table and not unmounted yet, by device; {@link #drop} takes them. */
    private final Map<String, List<Mount>> detaching = new HashMap<>();
    /** How often changes are written back to the disks. */
    static final Duration WRITEBACK_INTERVAL = Duration.ofSeconds(5);
    private ScheduledExecutorService writeback;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin events;

    Clock clock;
    final int cacheBytes;

    public MountTable() {
        this(Clock.systemDefaultZone(), BlockCache.DEFAULT_CAPACITY_BYTES);
    }

    /**
     * @param clock the time files get, in its zone (FAT keeps local time)
     * @param cacheBytes the block cache size of each volume
     */
    public MountTable(Clock clock, int cacheBytes) {
        this.clock = clock;
        this.cacheBytes = cacheBytes;
    }

    /**
     * Mounts the FAT volume in blocks {@code startLba}..+{@code blockCount} of {@code device}.
     *
     * @param mountPoint an absolute path that is neither inside nor above another mount point
     * @param source the disk and partition name, e.g. {@code sda1}
     * @return false if the region holds no FAT volume
     * @throws org.devrt.vfs.CorruptFilesystemException if it holds a damaged one
     * @throws FileSystemException if the mount point is taken, or the region (or one overlapping it) is mounted
     *                             already: two caches of one volume would each write their own FAT and lose the
     *                             other's files
     */
    public boolean mount(String mountPoint, String source, String deviceId, BlockDevice device, long startLba,
            long blockCount, boolean readOnly) throws IOException {
        List<String> segments = VfsPaths.split(mountPoint);
        String point = VfsPaths.join(segments);
        boolean ro = readOnly || device.isReadOnly();
        FatFileSystem fs;
        synchronized (mounting) {
            checkFree(segments, point);
            MountInfo already = mountOver(deviceId, startLba, blockCount);
            if (already != null) {
                throw new FileSystemException(source, null, (already.source().equals(source) ? "already mounted on "
                        : "overlaps " + already.source() + ", mounted on ") + already.mountPoint());
            }
            BlockCache cache = new BlockCache(device, startLba, blockCount, cacheBytes);
            fs = FatFileSystem.mount(cache, point, ro, clock);
            if (fs == null) {
                return false;
            }
            ro = fs.readOnly(); // also when the mount found damage it did not repair
            synchronized (this) {
                mounts.put(point, new Mount(point, segments, source, deviceId, startLba, blockCount, fs, ro));
            }
        }
        if (fs.wasDirty()) {
            LOG.warn("{} ({}): the volume was not unmounted cleanly; {}", point, source, fs.recovery());
        }
        LOG.info("mounted {} ({}, {}{}) on {}", source, fs.type(), ro ? "read-only" : "read-write",
                fs.label().isEmpty() ? "" : ", label " + fs.label(), point);
        post(DeviceEvents.MOUNTED, point, source, deviceId, List.of());
        return true;
    }

    /**
     * Why the volume mounted on {@code point} is left for fsck.fat (not unmounted cleanly, and not repaired, so
     * read-only), or null if it is not, or nothing is mounted there.
     */
    public synchronized String leftForFsck(String point) {
        Mount m = mounts.get(point);
        return m == null || !m.fs().leftForFsck() ? null : m.fs().recovery();
    }

    /**
     * Syncs and unmounts a volume.
     *
     * @param force also when files are open: they fail from then on
     * @throws FileSystemException if it is not a mount point, or (without force) files are open
     */
    public void unmount(String mountPoint, boolean force) throws IOException {
        String point = VfsPaths.join(VfsPaths.split(mountPoint));
        Mount m;
        synchronized (this) {
            m = mounts.get(point);
        }
        if (m == null) {
            throw new FileSystemException(point, null, "not a mount point");
        }
        // The open files are asked for outside the table's lock: the volume's lock may be held for seconds by a
        // sync to a slow disk, and every path of every volume resolves under the table's lock.
        List<String> open = openFiles(m);
        if (!open.isEmpty() && !force) {
            throw new FileSystemException(point, null, "busy: " + listed(open));
        }
        synchronized (this) {
            if (!mounts.remove(point, m)) {
                throw new FileSystemException(point, null, "not a mount point (unmounted meanwhile)");
            }
        }
        boolean refused = false;
        try {
            m.fs().unmount(force); // decides again, under the volume's lock: a file opened since the look above
        } catch (FatFileSystem.BusyException busy) {
            refused = true;
            synchronized (this) {
                mounts.putIfAbsent(point, m); // still mounted: before, that file was closed under its user
            }
            throw new FileSystemException(point, null, "busy: " + listed(inMount(m, busy.files())));
        } finally { // unmounted, also when its sync failed
            if (refused) {
                LOG.debug("{}: a file was opened as it was to be unmounted; it stays mounted", point);
            } else {
                if (open.isEmpty()) {
                    LOG.info("unmounted {} ({})", point, m.source());
                } else {
                    LOG.warn("unmounted {} ({}) with {}: their later reads and writes fail", point, m.source(),
                            listed(open));
                }
                post(DeviceEvents.UNMOUNTED, point, m.source(), m.deviceId(), open);
            }
        }
    }

    /**
     * The volumes of a disk that is going away: each is synced if the disk still answers, then unmounted; open
     * files fail from then on with an error that says the volume is gone.
     */
    public void detach(String deviceId, String reason) {
        List<Mount> gone = new ArrayList<>();
        List<Mount> left;
        synchronized (this) {
            mounts.values().removeIf(m -> m.deviceId().equals(deviceId) && gone.add(m));
            left = new ArrayList<>(gone);
            detaching.put(deviceId, left);
        }
        try {
            for (Mount m : gone) {
                detach(m, reason, left);
            }
        } finally {
            synchronized (this) {
                detaching.remove(deviceId, left);
            }
        }
    }

    private void detach(Mount m, String reason, List<Mount> left) {
        synchronized (this) {
            if (!left.contains(m)) {
                return; // dropped meanwhile
            }
        }
        boolean unwritten = m.fs().hasUnwrittenChanges();
        List<String> open = openFiles(m);
        String failure = null;
        try {
            m.fs().unmount();
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
        }
        synchronized (this) {
            if (!left.remove(m)) {
                return; // dropped while it flushed: drop said so
            }
        }
        m.fs().gone(reason);
        if (!open.isEmpty()) { // a job writing to one of them goes on, its writes refused (Gogo's output stream
                               // keeps such errors to itself): this line is how its user learns the rest is lost
            LOG.warn("{} ({}) is gone with {}: {}; their later reads and writes fail", m.point(), m.source(),
                    listed(open), reason);
        }
        if (failure == null) {
            LOG.info("unmounted {} ({}): {}; flushed", m.point(), m.source(), reason);
        } else if (unwritten) { // what was written since the last write-back is lost: as loud as a failed sync
            LOG.warn("unmounted {} ({}): {}; changes not yet written back are lost: {}", m.point(), m.source(),
                    reason, failure);
        } else { // nothing was pending but the unmount's own mark of a clean volume
            LOG.info("unmounted {} ({}): {}; nothing was pending, but the volume could not be marked clean ({}):"
                    + " it is checked at its next mount", m.point(), m.source(), reason, failure);
        }
        post(DeviceEvents.UNMOUNTED, m.point(), m.source(), m.deviceId(), open);
    }

    /** The open files of a mounted volume, by their full paths. */
    private static List<String> openFiles(Mount m) {
        return inMount(m, m.fs().openFiles());
    }

    /** Paths in a volume as paths of the tree, under its mount point. */
    private static List<String> inMount(Mount m, List<String> files) {
        String prefix = m.point().equals("/") ? "" : m.point();
        return files.stream().map(f -> prefix + f).toList();
    }

    /** "1 open file: /mnt/sda1/a", "5 open files: /mnt/sda1/a, /mnt/sda1/b, /mnt/sda1/c and 2 more". */
    static String listed(List<String> files) {
        int shown = Math.min(files.size(), 3);
        return files.size() + " open file" + (files.size() == 1 ? "" : "s") + ": "
                + String.join(", ", files.subList(0, shown))
                + (files.size() > shown ? " and " + (files.size() - shown) + " more" : "");
    }

    /**
     * The volumes of a disk whose driver does not answer: dropped without a flush, also those a {@link #detach} of
     * the disk has taken out of the table and not unmounted yet (it is stuck on one of them). Only the table's
     * were dropped before: the volumes queued behind the stuck one stayed mounted after the disk's removal returned.
     */
    public void drop(String deviceId, String reason) {
        List<Mount> gone = new ArrayList<>();
        synchronized (this) {
            mounts.values().removeIf(m -> m.deviceId().equals(deviceId) && gone.add(m));
            List<Mount> left = detaching.get(deviceId);
            if (left != null) {
                gone.addAll(left);
                left.clear();
            }
        }
        for (Mount m : gone) {
            m.fs().gone(reason);
            LOG.error("unmounted {} ({}) without flushing: {}", m.point(), m.source(), reason);
            post(DeviceEvents.UNMOUNTED, m.point(), m.source(), m.deviceId(), List.of());
        }
    }

    /** The mount at exactly {@code point}, or null. */
    synchronized MountInfo mountAt(String point) {
        Mount m = mounts.get(VfsPaths.join(VfsPaths.split(point)));
        return m == null ? null : info(m, false);
    }

    /**
     * Starts the write-back: every {@link #WRITEBACK_INTERVAL}, each read-write volume with changes in its cache is
     * synced, as Linux's flusher writes dirty pages back (every 5 s, dirty_writeback_centisecs). Without it a change
     * stayed in the cache until a sync, an unmount or an eviction, however old: a disk pulled or a JVM killed lost
     * files written minutes before.
     */
    @Activate
    void activate() {
        writeback = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "devrt-writeback");
            t.setDaemon(true);
            return t;
        });
        long every = WRITEBACK_INTERVAL.toMillis();
        writeback.scheduleWithFixedDelay(this::writeBack, every, every, TimeUnit.MILLISECONDS);
    }

    /** Syncs each read-write volume that has changes not yet on its disk; returns how many it synced. */
    int writeBack() {
        int synced = 0;
        for (Mount m : snapshot()) {
            try {
                if (m.fs().hasUnwrittenChanges()) {
                    m.fs().sync();
                    synced++;
                }
            } catch (IOException | RuntimeException e) { // a disk going away: its detach says what was lost
                LOG.warn("{} ({}): write-back failed: {}", m.point(), m.source(), e.getMessage());
            }
        }
        return synced;
    }

    @Deactivate
    void deactivate() {
        if (writeback != null) {
            writeback.shutdownNow();
        }
        for (MountInfo m : mounts()) {
            try {
                unmount(m.mountPoint(), true);
            } catch (IOException e) {
                LOG.error("{}: could not flush at shutdown: {}", m.mountPoint(), e.getMessage());
            }
        }
    }

    @Override
    public SeekableByteChannel open(String path, OpenOption... options) throws IOException {
        if (path.endsWith("/")) { // names a directory, as POSIX reads it: never a file to open or create
            boolean directory;
            try {
                directory = statOf(path).directory();
            } catch (NoSuchFileException e) {
                directory = false;
            }
            throw new FileSystemException(path, null, directory ? "is a directory" : "not a directory");
        }
        Target t = resolve(path);
        if (t.mount() == null) {
            stat(path); // NoSuchFileException unless it is one of the directories above the mount points
            throw virtual(t, "is a directory");
        }
        return t.mount().fs().open(t.rest(), new LinkedHashSet<>(Arrays.asList(options)));
    }

    @Override
    public List<FileInfo> list(String directory) throws IOException {
        Target t = resolve(directory);
        if (t.mount() != null) {
            return t.mount().fs().list(t.rest());
        }
        Set<String> children = new LinkedHashSet<>();
        synchronized (this) {
            for (Mount m : mounts.values()) {
                if (VfsPaths.startsWith(m.segments(), t.path())) {
                    children.add(m.segments().get(t.path().size()));
                }
            }
        }
        if (children.isEmpty() && !t.path().isEmpty()) {
            throw notOnAVolume(t);
        }
        return children.stream().map(MountTable::directory).toList();
    }

    /** A path outside every mounted volume (its volume may just have gone with its disk): says so. */
    private static NoSuchFileException notOnAVolume(Target t) {
        return new NoSuchFileException(VfsPaths.join(t.path()), null, "no such file or directory: not on a mounted"
                + " volume");
    }

    @Override
    public FileInfo stat(String path) throws IOException {
        FileInfo info = statOf(path);
        if (path.endsWith("/") && !info.directory()) { // as POSIX: 'ls notes.txt/' named the file
            throw new NotDirectoryException(path);
        }
        return info;
    }

    private FileInfo statOf(String path) throws IOException {
        Target t = resolve(path);
        if (t.mount() == null) {
            List<FileInfo> parent;
            try {
                parent = t.path().isEmpty() ? List.of() : list(VfsPaths.join(t.path().subList(0, t.path().size() - 1)));
            } catch (NoSuchFileException e) {
                throw notOnAVolume(t); // the path asked for: 'ls /mnt/sda1' once unmounted named /mnt
            }
            String name = t.path().isEmpty() ? "" : t.path().get(t.path().size() - 1);
            if (!t.path().isEmpty() && parent.stream().noneMatch(i -> i.name().equals(name))) {
                throw notOnAVolume(t);
            }
            return directory(name);
        }
        FileInfo i = t.mount().fs().stat(t.rest());
        if (t.rest().isEmpty()) {
            String name = t.path().get(t.path().size() - 1);
            return new FileInfo(name, "", true, 0, i.created(), i.modified(), i.accessed(), i.readOnly(), false);
        }
        return i;
    }

    @Override
    public void createDirectory(String path) throws IOException {
        Target t = resolve(path);
        if (t.mount() == null) {
            throw virtual(t, "cannot create a directory outside a mounted volume");
        }
        t.mount().fs().createDirectory(t.rest());
    }

    @Override
    public void setTimes(String path, Instant modified, Instant accessed, Instant created) throws IOException {
        Target t = resolve(path);
        if (t.mount() == null) {
            stat(path); // NoSuchFileException unless it is one of the directories above the mount points
            throw virtual(t, "cannot set times outside a mounted volume");
        }
        t.mount().fs().setTimes(t.rest(), modified, accessed, created);
    }

    @Override
    public void delete(String path) throws IOException {
        Target t = resolve(path);
        if (t.mount() == null || t.rest().isEmpty()) {
            throw virtual(t, t.mount() == null ? "not on a mounted volume" : "is a mount point: unmount it");
        }
        t.mount().fs().delete(t.rest());
    }

    @Override
    public void rename(String source, String target) throws IOException {
        Target from = resolve(source);
        Target to = resolve(target);
        if (from.mount() == null || to.mount() == null || from.rest().isEmpty() || to.rest().isEmpty()) {
            throw new FileSystemException(VfsPaths.join(from.path()), VfsPaths.join(to.path()),
                    "only files and directories inside a mounted volume can be renamed");
        }
        if (from.mount() != to.mount()) {
            throw new FileSystemException(VfsPaths.join(from.path()), VfsPaths.join(to.path()),
                    "cannot move across volumes (" + from.mount().point() + " and " + to.mount().point()
                            + "): 'cp' it, then 'rm' it");
        }
        from.mount().fs().rename(from.rest(), to.rest());
    }

    @Override
    public void sync() throws IOException {
        IOException first = null;
        for (Mount m : snapshot()) {
            try {
                m.fs().sync();
            } catch (IOException e) {
                LOG.error("{}: sync failed: {}", m.point(), e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** With the free space as known without reading a FAT (FSInfo's hint until counted): cheap to ask often. */
    @Override
    public List<MountInfo> mounts() {
        return snapshot().stream().map(m -> info(m, false)).toList();
    }

    /**
     * The mounts with their free space counted from the FAT, once per mount, as Linux's first statfs counts (unless
     * mounted usefree): what {@code df} shows. A plausible but wrong FSInfo count was shown, and written back at the
     * unmount. Not {@link #mounts}: a caller polling it to wait for a mount would read the whole FAT (2 MB on a
     * 256 MiB FAT32 disk) at each new mount, through the volume's cache.
     */
    public List<MountInfo> mountsCounted() {
        return snapshot().stream().map(m -> info(m, true)).toList();
    }

    private synchronized List<Mount> snapshot() {
        return new ArrayList<>(mounts.values());
    }

    /** A path split into the volume that holds it and the rest below its mount point; mount null above them. */
    private record Target(Mount mount, List<String> path, List<String> rest) {
    }

    private synchronized Target resolve(String path) {
        List<String> segments = VfsPaths.split(path);
        Mount best = null;
        for (Mount m : mounts.values()) {
            if (VfsPaths.startsWith(segments, m.segments())
                    && (best == null || m.segments().size() > best.segments().size())) {
                best = m;
            }
        }
        return new Target(best, segments, best == null ? List.of()
                : List.copyOf(segments.subList(best.segments().size(), segments.size())));
    }

    /** The mount of a region of {@code deviceId} overlapping blocks {@code startLba}..+{@code blockCount}, or null. */
    public MountInfo mountOver(String deviceId, long startLba, long blockCount) {
        Mount over;
        synchronized (this) {
            over = mounts.values().stream().filter(m -> m.overlaps(deviceId, startLba, blockCount)).findFirst()
                    .orElse(null);
        }
        return over == null ? null : info(over, false);
    }

    private void checkFree(List<String> segments, String point) throws FileSystemException {
        if (segments.isEmpty()) {
            throw new FileSystemException(point, null, "cannot mount on /");
        }
        synchronized (this) {
            for (Mount m : mounts.values()) {
                if (VfsPaths.startsWith(segments, m.segments()) || VfsPaths.startsWith(m.segments(), segments)) {
                    throw new FileSystemException(point, null, m.point().equals(point) ? "already a mount point ("
                            + m.source() + ")" : "overlaps the mount point " + m.point());
                }
            }
        }
    }

    private static FileSystemException virtual(Target t, String why) {
        return new FileSystemException(VfsPaths.join(t.path()), null, why);
    }

    private static FileInfo directory(String name) {
        return new FileInfo(name, "", true, 0, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, true, false);
    }

    private static MountInfo info(Mount m, boolean counted) {
        long free;
        try {
            free = counted ? m.fs().freeBytes() : m.fs().freeBytesKnown();
        } catch (IOException e) {
            free = 0;
        }
        return new MountInfo(m.point(), m.source(), m.deviceId(), "vfat", m.fs().type().name(), m.fs().label(),
                m.readOnly() || m.fs().readOnly(), m.fs().totalBytes(), free); // read-only since an I/O error too
    }

    private void post(String topic, String point, String source, String deviceId, List<String> closedFiles) {
        EventAdmin ea = events;
        if (ea != null) {
            Map<String, Object> props = new HashMap<>();
            props.put(DeviceEvents.MOUNT_POINT, point);
            props.put(DeviceEvents.DEVICE_ID, deviceId);
            props.put(SOURCE, source);
            if (!closedFiles.isEmpty()) {
                props.put(CLOSED_FILES, closedFiles.toArray(String[]::new));
            }
            ea.postEvent(new Event(topic, props));
        }
    }
}

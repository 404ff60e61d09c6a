package org.devrt.vfs.internal.mount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;
import org.devrt.device.DeviceService;
import org.devrt.registry.condition.ConditionPublisher;
import org.devrt.vfs.CorruptFilesystemException;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.internal.cache.BlockCache;
import org.devrt.vfs.internal.cache.Buffers;
import org.devrt.vfs.internal.fat.FatFormatter;
import org.devrt.vfs.internal.fat.FatLayout;
import org.devrt.vfs.internal.nio.Shown;
import org.devrt.vfs.internal.partition.Partition;
import org.devrt.vfs.internal.partition.PartitionTable;
import org.devrt.vfs.internal.partition.PartitionWriter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block devices (whiteboard: every {@link BlockDevice} service binds here as it comes) and the automounter:
 * on arrival a disk's partition table is read and every FAT volume mounted at {@code /mnt/<disk><n>}, on a worker
 * thread so that the driver registering the disk is not held up; on departure, while the driver unregisters, its
 * volumes are flushed and unmounted before the unbind returns (while the disk makes progress, see
 * {@link #awaitFlush}). A
 * damaged disk is logged as one ERROR naming it and the problem and is not mounted. A blank disk that a
 * {@link DiskSetup} names is given its partition table and volumes first. While no disk waits to be looked at,
 * the condition {@code devrt.vfs.settled} is registered, listing the mounted volumes (boot readiness waits for
 * it). Also what {@code lsblk},
 * {@code mount} and {@code mkfs} need: names, regions, filesystem types and labels.
 */
@Component(service = Disks.class, immediate = true)
public final class Disks {
    static final long DETACH_TIMEOUT_MILLIS = 10_000;
    /** The most a departing disk's flush is waited for, even while it makes progress. */
    static final long FLUSH_LIMIT_MILLIS = 60_000;
    /** The condition registered while every disk present has been looked at. */
    static final String SETTLED = "devrt.vfs.settled";
    /** Its property: the mounted volumes. */
    static final String MOUNT_POINTS = "devrt.mount.points";
    /** A disk is blank when its first 34 blocks (MBR, GPT header and entries) are all zeros. */
    static final int BLANK_BLOCKS = 34;
    private static final Logger LOG = LoggerFactory.getLogger(Disks.class);

    /**
     * What lsblk shows for a disk or one of its partitions.
     *
     * @param name {@code sda}, {@code sda1}
     * @param partition 0 for the disk itself
     * @param startLba first block on the disk
     * @param blockCount length in blocks
     * @param type {@code disk} or {@code part}
     * @param fsType {@code vfat}, or "" when no filesystem devrt knows is there
     * @param label the volume label, "" if none
     * @param mountPoint where it is mounted, "" if not
     */
    public record BlockVolume(String name, int partition, long startLba, long blockCount, String type, String fsType,
            String label, String mountPoint) {
    }

    /** A disk, its table (null until read) and what was found in each of its regions. */
    private static final class Disk {
        final String name;
        final String id;
        /** The service as the driver registered it. */
        final BlockDevice given;
        /** The same, counting what it has done: everything here reads and writes through this. */
        final Progress device;
        volatile PartitionTable table;
        final Map<Integer, String[]> found = new ConcurrentHashMap<>(); // partition -> {fsType, label}
        /** Why the disk, or a volume of it, is not mounted: "sda1 not mounted: ...", by partition (-1: the table). */
        final Map<Integer, String> problems = new ConcurrentHashMap<>();
        /** Held while the disk is looked at and while its volumes are flushed on departure: one at a time. */
        final ReentrantLock busy = new ReentrantLock();
        /** Set as the departure begins: a look not begun mounts nothing, one under way stops before the next volume. */
        volatile boolean removed;

        Disk(String name, String id, BlockDevice device) {
            this.name = name;
            this.id = id;
            this.given = device;
            this.device = new Progress(device);
        }
    }

    /**
     * A disk that counts the reads, writes and flushes it has completed: a departing disk's flush is waited for as
     * long as it makes progress, and dropped only when it makes none for {@link #DETACH_TIMEOUT_MILLIS}. Bounded by
     * the total alone, a disk that answers every command late (three seconds, say) had volumes dropped unflushed
     * while it was still writing them.
     */
    static final class Progress implements BlockDevice {
        private final BlockDevice disk;
        private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

        Progress(BlockDevice disk) {
            this.disk = disk;
        }

        long done() {
            return done.get();
        }

        @Override
        public int blockSize() {
            return disk.blockSize();
        }

        @Override
        public long blockCount() {
            return disk.blockCount();
        }

        @Override
        public boolean isReadOnly() {
            return disk.isReadOnly();
        }

        @Override
        public String model() {
            return disk.model();
        }

        @Override
        public String serial() {
            return disk.serial();
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            disk.read(lba, dst);
            done.incrementAndGet();
        }

        @Override
        public void write(long lba, ByteBuffer src) throws IOException {
            disk.write(lba, src);
            done.incrementAndGet();
        }

        @Override
        public void flush() throws IOException {
            disk.flush();
            done.incrementAndGet();
        }
    }

    private final MountTable table;
    private final DiskNames names;
    private final Map<String, Disk> disks = new ConcurrentHashMap<>();
    private final List<DiskSetup> setups = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "devrt-automount");
        t.setDaemon(true);
        return t;
    });
    /**
     * Flushes the volumes of departing disks, each on its own thread: behind the automounter's one thread, a disk
     * that answers slowly made the flush of every other disk leaving with it (a driver stopping) wait past the bound
     * and be dropped.
     */
    private final ExecutorService unmounting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "devrt-unmount");
        t.setDaemon(true);
        return t;
    });
    Clock clock = Clock.systemDefaultZone();
    /** {@link #DETACH_TIMEOUT_MILLIS} and {@link #FLUSH_LIMIT_MILLIS}; shorter in tests. */
    long detachTimeoutMillis = DETACH_TIMEOUT_MILLIS;
    long flushLimitMillis = FLUSH_LIMIT_MILLIS;
    /** Set as the VFS deactivates: the disks unbound after it are not gone, the VFS is. */
    private volatile boolean stopping;

    /** Publishes devrt.vfs.settled; null in tests. */
    private final BundleContext context;
    /** Disks waiting to be looked at (guarded by this). */
    private int pending;
    private final FrameworkListener started = this::frameworkEvent;
    /** devrt.vfs.settled, registered while nothing is pending; null in tests. */
    private final ConditionPublisher settled;

    @Activate
    public Disks(@Reference(name = "table") MountTable table, @Reference(name = "names") DiskNames names,
            BundleContext context) {
        this.table = table;
        this.names = names;
        this.context = context;
        this.settled = context == null ? null : new ConditionPublisher(context, SETTLED);
    }

    /** After the constructor and after DS has bound the disks already there: publishes once those are looked at. */
    @Activate
    void activate() {
        if (context != null) {
            context.addFrameworkListener(started);
        }
        publishSettled();
    }

    /** Without the condition: for tests. */
    public Disks(MountTable table, DiskNames names) {
        this(table, names, null);
    }

    /** A set-up for blank disks arrived: a disk already here that it names is looked at again. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSetup(DiskSetup setup) {
        setups.add(setup);
        DiskSetup.Plan plan = setup.plan();
        Disk d = plan == null ? null : disks.get(plan.device());
        if (d != null) {
            // Looked at again, after any look under way (one worker): that look may have searched the set-ups just
            // before this one came. A look at a disk already set up and mounted changes nothing.
            look(d);
        } else {
            publishSettled();
        }
    }

    void removeSetup(DiskSetup setup) {
        setups.remove(setup);
        publishSettled();
    }

    /** Configuration Admin, to know which blank-disk set-ups are configured (and must be bound before settling). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configurations;

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            publishSettled();
        }
    }

    /**
     * Whether every blank-disk set-up configured has reached this component: the framework has started (File
     * Install's initial scan of conf/ is done by then) and each {@code devrt.vfs.initialize} configuration has its
     * bound {@link DiskSetup}. Until then a disk may still be waiting for its set-up, and the VFS is not settled.
     */
    private boolean setupsKnown() {
        if (context.getBundle(0).getState() != Bundle.ACTIVE) {
            return false;
        }
        ConfigurationAdmin cm = configurations;
        if (cm == null) {
            return true;
        }
        Configuration[] configured;
        try {
            configured = cm.listConfigurations("(service.factoryPid=" + DiskSetup.PID + ")");
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("cannot list the blank-disk set-ups: {}", e.toString());
            return true;
        }
        if (configured == null) {
            return true;
        }
        for (Configuration c : configured) {
            if (setups.stream().noneMatch(s -> c.getPid().equals(s.pid()))) {
                return false;
            }
        }
        return true;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addDisk(BlockDevice device, Map<String, Object> properties) {
        String id = deviceId(properties);
        Disk d = new Disk(names.nameOf(id), id, device);
        disks.put(id, d);
        LOG.info("disk {} ({}): {} blocks of {} bytes, {}", d.name, id, device.blockCount(), device.blockSize(),
                device.model());
        look(d);
    }

    /**
     * Has the worker look at the disk (table, set-up, mounts); {@code devrt.vfs.settled} is withdrawn until every
     * disk handed to it so far has been looked at.
     */
    private void look(Disk d) {
        synchronized (this) {
            pending++;
        }
        if (settled != null) {
            settled.withdraw();
        }
        try {
            worker.execute(() -> {
                try {
                    automount(d);
                } finally {
                    looked();
                }
            });
        } catch (RejectedExecutionException e) { // deactivated
            looked();
        }
    }

    private void looked() {
        boolean idle;
        synchronized (this) {
            idle = --pending == 0;
        }
        if (idle) {
            publishSettled();
        }
    }

    /**
     * Registers {@code devrt.vfs.settled} (or updates it) with the mounted volumes in {@code devrt.mount.points}:
     * {@code /mnt/sda1 (sda1, FAT32, DEVRT)}, unless a disk is pending or a configured set-up has not arrived yet
     * (then it is withdrawn). The device manager's readiness waits for it. No lock of this component is held while
     * the framework calls others about the service; whether a disk is pending is checked under the publisher's.
     */
    private void publishSettled() {
        if (settled == null) {
            return;
        }
        if (!setupsKnown()) {
            settled.withdraw();
            return;
        }
        List<MountInfo> mounted = table.mounts();
        settled.publish(Map.of(MOUNT_POINTS, mounted.stream().map(m -> m.mountPoint() + " (" + m.source()
                + ", " + m.variant() + (m.label().isEmpty() ? "" : ", " + m.label()) + ")").toArray(String[]::new),
                ConditionPublisher.PROBLEMS, problems()), this::idle);
    }

    /**
     * What the disks met that kept volumes from being mounted, but for volumes mounted since ('mount', mkfs); then
     * each volume of theirs mounted read-only because it was not unmounted cleanly and was not repaired: it needs
     * fsck.fat, which only a WARN line said (the banner and diag listed it as a good volume).
     */
    String[] problems() {
        List<MountInfo> mounted = table.mounts();
        return disks.values().stream().sorted(Comparator.comparing((Disk d) -> d.name))
                .flatMap(d -> Stream.concat(d.problems.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .filter(e -> mounted.stream().noneMatch(m -> m.deviceId().equals(d.id)
                                && e.getValue().startsWith(m.source() + " not mounted")))
                        .map(Map.Entry::getValue),
                        mounted.stream().filter(m -> m.deviceId().equals(d.id)).flatMap(m -> {
                            String why = table.leftForFsck(m.mountPoint());
                            return why == null ? Stream.empty()
                                    : Stream.of(m.source() + " was not unmounted cleanly; " + why);
                        })))
                .toArray(String[]::new);
    }

    private synchronized boolean idle() {
        return pending == 0;
    }

    /** Called while the driver unregisters the disk: flushes and unmounts its volumes before returning. */
    public void removeDisk(BlockDevice device, Map<String, Object> properties) {
        String id = deviceId(properties);
        Disk d = disks.get(id);
        if (d == null || d.given != device) {
            return;
        }
        // SCR unbinds the disks after deactivate when the VFS itself stops: the disk is still there
        String reason = stopping ? "devrt.vfs is stopping" : "disk " + d.name + " was removed";
        d.removed = true;
        Runnable unmount = () -> {
            d.busy.lock(); // after a look at this disk under way, which mounts nothing more once it sees removed
            try {
                table.detach(id, reason);
            } finally {
                d.busy.unlock();
            }
        };
        Future<?> detach;
        try {
            detach = unmounting.submit(unmount);
        } catch (RejectedExecutionException e) { // deactivated: SCR unbinds after deactivate
            unmount.run();
            disks.remove(id, d);
            return;
        }
        try {
            awaitFlush(d, detach);
        } catch (TimeoutException e) {
            LOG.error("disk {} ({}): {}; its volumes are dropped", d.name, id, e.getMessage());
            table.drop(id, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            table.drop(id, reason);
        } catch (ExecutionException e) {
            LOG.error("disk {} ({}): unmounting failed: {}", d.name, id, e.getCause().toString());
        } finally {
            disks.remove(id, d);
            LOG.info("disk {} ({}) removed", d.name, id);
            publishSettled();
        }
    }

    /**
     * Waits for a departing disk's volumes to be flushed while the disk makes progress: each
     * {@link #DETACH_TIMEOUT_MILLIS} must see a command of it complete, and all of it at most
     * {@link #FLUSH_LIMIT_MILLIS}.
     */
    private void awaitFlush(Disk d, Future<?> detach)
            throws TimeoutException, InterruptedException, ExecutionException {
        long start = System.nanoTime();
        long seen = d.device.done();
        while (true) {
            try {
                detach.get(detachTimeoutMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                long now = d.device.done();
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (now == seen) {
                    throw new TimeoutException("flushing its volumes made no progress for " + detachTimeoutMillis
                            + " ms (the disk does not answer)");
                }
                if (waited >= flushLimitMillis) {
                    throw new TimeoutException("flushing its volumes took more than " + flushLimitMillis + " ms");
                }
                LOG.info("disk {} ({}): its volumes are still being flushed after {} ms ({} commands done since"
                        + " the last look: a slow disk); waiting", d.name, d.id, waited, now - seen);
                seen = now;
            }
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        if (context != null) {
            context.removeFrameworkListener(started);
        }
        worker.shutdownNow();
        unmounting.shutdown(); // flushes under way go on; later departures flush on the unbinding thread
        if (settled != null) {
            settled.close();
        }
    }

    /** Waits until every disk that has arrived has been looked at (for tests and the shell). */
    public void settle() throws InterruptedException {
        try {
            worker.submit(() -> { }).get(DETACH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the automounter is stuck", e);
        }
    }

    /** The disks and their partitions, as lsblk lists them; empty for an unknown device. */
    public List<BlockVolume> volumes(String deviceId) {
        Disk d = disks.get(deviceId);
        if (d == null) {
            return List.of();
        }
        List<BlockVolume> out = new ArrayList<>();
        PartitionTable t = d.table;
        boolean whole = t == null || t.scheme() == PartitionTable.Scheme.NONE;
        out.add(row(d, new Partition(0, 0, Math.max(1, d.device.blockCount()), "", "", false), "disk", whole));
        if (!whole) {
            for (Partition p : t.partitions()) {
                out.add(row(d, p, "part", true));
            }
        }
        return out;
    }

    /** The names of the disks present, sorted as lsblk sorts them. */
    public List<String> names() {
        return disks.values().stream().map(d -> d.name)
                .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())).toList();
    }

    /**
     * Mounts a disk or partition by name ({@code sda1}, or {@code sda} for a disk without a table).
     *
     * @throws IOException if there is no such device, no FAT volume on it, or it is corrupt
     */
    public void mount(String source, String mountPoint, boolean readOnly) throws IOException {
        Region r = region(source);
        r.disk.busy.lock(); // one at a time with the automount's look and the departure's flush
        try {
            mountLocked(r, source, mountPoint, readOnly);
        } finally {
            r.disk.busy.unlock();
        }
        publishSettled();
    }

    private void mountLocked(Region r, String source, String mountPoint, boolean readOnly) throws IOException {
        present(r, source); // a mount that began as the disk left landed after its departure: mounted for good
        if (r.part.number() == 0 && r.table.scheme() != PartitionTable.Scheme.NONE) {
            // read as a boot sector, the table's sector said "BPB_BytsPerSec (0) must be 512, ..."
            List<String> volumes = r.table.partitions().stream().filter(p -> !p.extended())
                    .map(p -> r.disk.name + p.number()).toList();
            throw new FileSystemException(source, null, "holds a partition table (" + r.table.scheme().name()
                    + (volumes.isEmpty() ? " with no partitions): nothing to mount"
                    : ", " + volumes.size() + " partitions): mount one of them (" + String.join(", ", volumes) + ")"));
        }
        if (!table.mount(mountPoint, source, r.disk.id, r.disk.device, r.part.startLba(), r.part.blockCount(),
                readOnly)) {
            r.disk.found.put(r.part.number(), new String[] {"", ""});
            throw new FileSystemException(source, null, "no FAT filesystem there");
        }
        MountInfo m = table.mountAt(mountPoint);
        r.disk.found.put(r.part.number(), new String[] {"vfat", m == null ? "" : m.label()});
        r.disk.problems.remove(r.part.number()); // mended and mounted by hand: diag and the banner said it still was not
    }

    /**
     * Formats a disk or partition that is not mounted (nor any partition of it); returns the layout written.
     *
     * @param overTable whether a whole disk that holds a partition table may be formatted (mkfs.fat's {@code -I}):
     *                  its partitions and the table go
     */
    public FatLayout format(String source, FatFormatter.Options options, boolean overTable) throws IOException {
        Region r = region(source);
        // one at a time with a mount of the disk (by hand or the automount's): checked unmounted here, a region
        // mounted meanwhile had its cache write its old FAT over the new volume
        r.disk.busy.lock();
        try {
            present(r, source);
            return formatLocked(r, source, options, overTable);
        } finally {
            r.disk.busy.unlock();
        }
    }

    private FatLayout formatLocked(Region r, String source, FatFormatter.Options options, boolean overTable)
            throws IOException {
        MountInfo mounted = table.mountOver(r.disk.id, r.part.startLba(), r.part.blockCount());
        if (mounted != null) {
            throw new FileSystemException(source, null, (mounted.source().equals(source) ? "is mounted on "
                    : "holds " + mounted.source() + ", mounted on ") + mounted.mountPoint() + ": umount it first");
        }
        boolean wholeOverTable = r.part.number() == 0 && r.table.scheme() != PartitionTable.Scheme.NONE;
        if (wholeOverTable && !overTable) {
            throw new FileSystemException(source, null, "holds a partition table (" + r.table.scheme().name()
                    + ", " + r.table.partitions().size() + " partitions): give a partition, or -I to format the"
                    + " whole disk over the table");
        }
        if (r.disk.device.isReadOnly()) {
            throw new FileSystemException(source, null, "the disk is read-only");
        }
        FatFormatter.Options o = new FatFormatter.Options(options.type(), options.sectorsPerCluster(),
                options.label(), options.volumeId(), r.part.startLba());
        BlockCache cache = new BlockCache(r.disk.device, r.part.startLba(), r.part.blockCount(), 1 << 20);
        FatLayout l = FatFormatter.format(cache, r.disk.device.blockSize(), o, clock);
        r.disk.found.put(r.part.number(), new String[] {"vfat", options.label()});
        if (wholeOverTable) {
            r.disk.table = null; // overwritten: read again when next asked
        }
        LOG.info("formatted {} as {} ({} clusters of {} bytes)", source, l.type(), l.clusterCount(),
                l.sectorsPerCluster() * l.bytesPerSector());
        return l;
    }

    /** Throws unless the region's disk is still here; called with the disk's turn ({@code Disk.busy}) held. */
    private static void present(Region r, String source) throws FileSystemException {
        if (r.disk.removed) {
            throw new FileSystemException(source, null, "its disk " + r.disk.name + " was removed");
        }
    }

    /** A disk or partition, with the table read when it was found (a concurrent mkfs -I clears the disk's). */
    private record Region(Disk disk, Partition part, PartitionTable table) {
    }

    private Region region(String source) throws IOException {
        int digit = 0;
        while (digit < source.length() && !Character.isDigit(source.charAt(digit))) {
            digit++;
        }
        String name = source.substring(0, digit);
        Disk d = disks.values().stream().filter(x -> x.name.equals(name)).findFirst().orElse(null);
        if (d == null) {
            throw new FileSystemException(source, null, "no such disk (disks: " + String.join(", ", names()) + ")");
        }
        PartitionTable t = d.table != null ? d.table : PartitionTable.read(d.device);
        d.table = t;
        int number = digit == source.length() ? 0 : Integer.parseInt(source.substring(digit));
        for (Partition p : t.partitions()) {
            if (p.number() == number && !p.extended()) {
                return new Region(d, p, t);
            }
        }
        if (number == 0) {
            return new Region(d, new Partition(0, 0, d.device.blockCount(), "", "", false), t);
        }
        throw new FileSystemException(source, null, "no such partition on " + d.name);
    }

    private void automount(Disk d) {
        d.busy.lock();
        try {
            if (disks.get(d.id) == d && !d.removed) {
                readAndMount(d);
            }
        } finally {
            d.busy.unlock();
        }
    }

    private void readAndMount(Disk d) {
        d.problems.clear(); // looked at anew
        PartitionTable t;
        try {
            t = PartitionTable.read(d.device);
        } catch (IOException | RuntimeException e) {
            if (wentAway(d, e)) {
                return;
            }
            String why = (e instanceof CorruptFilesystemException ? "corrupt partition table"
                    : "cannot read the partition table") + ": " + e.getMessage();
            LOG.error("disk {} ({}): {}; nothing mounted", d.name, d.id, why);
            d.problems.put(-1, d.name + " not mounted: " + why);
            return;
        }
        if (t.scheme() == PartitionTable.Scheme.NONE) {
            t = setUpIfBlank(d, t);
        }
        d.table = t;
        t.problems().forEach(p -> LOG.warn("disk {} ({}): {}", d.name, d.id, p));
        t.problems().forEach(p -> d.problems.merge(-1, d.name + ": " + p, (a, b) -> a + "; " + b));
        for (Partition p : t.partitions()) {
            if (d.removed) { // its departure waits for this look: whatever was mounted so far, it flushes
                return;
            }
            if (!p.extended()) {
                automount(d, p);
            }
        }
    }

    /**
     * Applies the {@link DiskSetup} that names the disk if its first {@link #BLANK_BLOCKS} blocks are all zeros:
     * writes the partition table, formats each volume and returns the new table; otherwise returns {@code t}.
     */
    private PartitionTable setUpIfBlank(Disk d, PartitionTable t) {
        DiskSetup.Plan plan = setups.stream().map(DiskSetup::plan)
                .filter(p -> p != null && p.device().equals(d.id)).findFirst().orElse(null);
        if (plan == null) {
            return t;
        }
        try {
            if (!blank(d.device)) {
                LOG.debug("disk {} ({}) is not blank: its set-up is not applied", d.name, d.id);
                return t;
            }
            List<PartitionWriter.Spec> specs = plan.volumes().stream().map(DiskSetup.Volume::partition).toList();
            List<PartitionWriter.Placed> placed = plan.gpt() ? PartitionWriter.writeGpt(d.device, specs)
                    : PartitionWriter.writeMbr(d.device, specs);
            List<String> made = new ArrayList<>();
            for (int i = 0; i < placed.size(); i++) {
                DiskSetup.Volume v = plan.volumes().get(i);
                PartitionWriter.Placed p = placed.get(i);
                BlockCache cache = new BlockCache(d.device, p.startLba(), p.blockCount(), 1 << 20);
                FatLayout l = FatFormatter.format(cache, d.device.blockSize(),
                        new FatFormatter.Options(v.type(), 0, v.label(), null, p.startLba()), clock);
                made.add(d.name + (i + 1) + " " + l.type() + (v.label().isEmpty() ? "" : " '" + v.label() + "'")
                        + " " + (p.blockCount() * d.device.blockSize() >> 20) + "M");
            }
            d.device.flush();
            LOG.info("disk {} ({}) was blank: made {} and {}", d.name, d.id, plan.gpt() ? "a GPT" : "an MBR",
                    String.join(", ", made));
            return PartitionTable.read(d.device);
        } catch (IOException | RuntimeException e) {
            LOG.error("disk {} ({}): setting up the blank disk failed: {}", d.name, d.id, e.getMessage() == null
                    ? e.toString() : e.getMessage());
            return t;
        }
    }

    /** Whether the first blocks hold nothing: no MBR, no GPT header or entries, no boot sector. */
    private static boolean blank(BlockDevice device) throws IOException {
        int count = (int) Math.min(BLANK_BLOCKS, device.blockCount());
        ByteBuffer b = Buffers.allocate(count * device.blockSize());
        device.read(0, b);
        for (int i = 0; i < b.capacity(); i += 8) {
            if (b.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** What {@code mkfs} would do for a region of {@code bytes}: make a volume, or refuse it as too small. */
    static String mkfsHint(String source, long bytes, int blockSize) {
        try {
            FatLayout.choose(bytes, Math.max(512, blockSize), null, 0);
            return "'mkfs " + source + "' makes one, which replaces what is there";
        } catch (IllegalArgumentException e) { // 'mkfs sdd' was suggested for a 512-byte disk, and then refused it
            return "too small for one: " + e.getMessage();
        }
    }

    private void automount(Disk d, Partition p) {
        String source = d.name + p.suffix();
        if (table.mounts().stream().anyMatch(m -> m.source().equals(source) && m.deviceId().equals(d.id))) {
            return; // looked at again (a set-up came): what is mounted stays
        }
        try {
            boolean fat = table.mount("/mnt/" + source, source, d.id, d.device, p.startLba(), p.blockCount(), false);
            MountInfo m = fat ? table.mountAt("/mnt/" + source) : null;
            d.found.put(p.number(), new String[] {fat ? "vfat" : "", m == null ? "" : m.label()});

            String hint = fat ? "" : mkfsHint(source, p.blockCount() * d.device.blockSize(), d.device.blockSize());
            if (!fat && p.number() == 0) { // a whole disk with neither a table nor a FAT: said, not passed over
                d.problems.put(0, source + " not mounted: neither a partition table nor a FAT filesystem on it ("
                        + hint + ")");
            }
            if (!fat && p.declaresFat()) { // another type without a FAT is someone else's: nothing to say
                LOG.warn("disk {} ({}): {} (type {}) holds no FAT filesystem (its first block is not a FAT boot "
                        + "sector); not mounted ({})", d.name, d.id, source, p.type(), hint);
            }
        } catch (CorruptFilesystemException e) {
            d.found.put(p.number(), new String[] {"vfat", ""});
            notMounted(d, p, source, "corrupt FAT filesystem: " + e.getMessage());
        } catch (IOException e) {
            if (!wentAway(d, e)) {
                notMounted(d, p, source, Shown.of(e).toString()); // no class name
            }
        } catch (RuntimeException e) {
            notMounted(d, p, source, e.toString());
        }
    }

    /**
     * Whether the failure of a look at {@code d} is the disk going away meanwhile (its driver unbound, the device
     * unplugged): then an INFO line, no problem kept. It was an ERROR, though nothing is wrong with the disk.
     */
    private static boolean wentAway(Disk d, Exception e) {
        if (!d.removed && !(e instanceof DeviceGoneException)) {
            return false;
        }
        LOG.info("disk {} ({}) went away while it was looked at: {}", d.name, d.id, e.getMessage());
        return true;
    }

    /** Logs why a volume was not mounted and keeps it for the banner and diag (until it is mounted). */
    private static void notMounted(Disk d, Partition p, String source, String why) {
        LOG.error("disk {} ({}): {} not mounted: {}", d.name, d.id, source, why);
        d.problems.put(p.number(), source + " not mounted: " + why);
    }

    private BlockVolume row(Disk d, Partition p, String type, boolean probed) {
        String name = d.name + p.suffix();
        String[] found = probed ? d.found.getOrDefault(p.number(), new String[] {"", ""}) : new String[] {"", ""};
        String point = "";
        for (MountInfo m : table.mounts()) {
            if (m.source().equals(name)) {
                point = m.mountPoint();
                found = new String[] {"vfat", m.label()};
            }
        }
        return new BlockVolume(name, p.number(), p.startLba(), p.blockCount(), type, found[0], found[1], point);
    }

    private static String deviceId(Map<String, Object> properties) {
        Object id = properties.get(DeviceService.DEVICE_ID);
        return id != null ? id.toString() : "service-" + properties.get(Constants.SERVICE_ID);
    }
}

package org.devrt.itests.vfs;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceStatus;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.itests.RuntimeTestSupport;
import org.devrt.pci.PciAddress;
import org.devrt.vfs.MountInfo;
import org.devrt.vfs.Vfs;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The VFS on AHCI disks that the test plugs into the emulated machine. The machine starts empty (the emulated
 * functions of the runtime's conf/ are left out of this class's copy), so the first disk the test plugs is
 * {@code sda}. Each class makes its disk images with Linux's tools before the framework boots ({@link #makeImages},
 * under target/vfs-images/&lt;TestClass&gt;); the tests plug AHCI controllers with them, and after each test every
 * controller it plugged is unplugged. Events under {@code devrt/mount/} are recorded.
 */
public abstract class VfsTestSupport extends RuntimeTestSupport {
    static final String AHCI_DRIVER_BSN = "devrt.ahci-driver";
    static final String DISK_MODEL = "DEVRT VFS DISK";

    protected Vfs vfs;
    protected EmulatedMachine machine;
    protected DeviceInventory inventory;
    /** Every devrt/mount/* event posted during the test, in order. */
    protected final List<Event> mountEvents = new CopyOnWriteArrayList<>();
    private final Map<String, PciAddress> plugged = new LinkedHashMap<>();
    private ServiceRegistration<EventHandler> handler;
    /** How many lines the log had when the test began. */
    private int logMark;

    /** Makes this class's images in {@code dir} (empty), outside the framework, before it boots. */
    protected abstract void makeImages(Path dir) throws Exception;

    /** target/vfs-images/&lt;TestClass&gt;: the class's images and the host files it copied onto them. */
    protected Path imageDir() {
        return Path.of(System.getProperty("devrt.itests.dir"), "vfs-images", getClass().getSimpleName());
    }

    @Override
    protected void prepareConf(Path conf) throws IOException {
        try (Stream<Path> files = Files.list(conf)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("devrt.emulator.function-")).toList()) {
                Files.delete(f);
            }
        }
        Path dir = imageDir();
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        if (HostTools.missing().isEmpty()) { // else the tests skip (or fail, in CI) in vfsReady
            try {
                makeImages(dir);
            } catch (Exception e) {
                throw new IOException("making the disk images of " + getClass().getSimpleName() + " failed: " + e, e);
            }
        }
    }

    @Before
    public void vfsReady() throws Exception {
        HostTools.require();
        awaitRuntimeStarted();
        logMark = logLines().size();
        Dictionary<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, "devrt/mount/*"));
        handler = context.registerService(EventHandler.class, mountEvents::add, topics);
        vfs = awaitService(Vfs.class, null);
        assertNotNull("no Vfs service (devrt.vfs)", vfs);
        machine = awaitService(EmulatedMachine.class, null);
        assertNotNull("no EmulatedMachine service (devrt.emulator)", machine);
        inventory = awaitService(DeviceInventory.class, null);
        assertNotNull("no DeviceInventory service (devrt.device-manager)", inventory);
        for (String command : List.of("lsblk", "ls", "mount", "mkfs")) {
            awaitCommand("devrt", command, "devrt.vfs");
        }
    }

    @After
    public void unplugWhatTheTestPlugged() throws Exception {
        try {
            for (Map.Entry<String, PciAddress> controller : plugged.entrySet()) {
                if (inventory.device(controller.getKey()).isPresent()) { // not unplugged by the test
                    machine.unplug(controller.getValue());
                }
                await(controller.getKey() + " gone from the inventory after the test",
                        () -> inventory.device(controller.getKey()).isEmpty());
            }
            // Unmounts are posted asynchronously: wait for the last of them here, or they would reach the next
            // test's handler and satisfy its awaitEvents(UNMOUNTED, ...) before its own disk is unplugged.
            await("an UNMOUNTED event for each MOUNTED one after the test; events: " + eventSummary(),
                    () -> eventPoints(DeviceEvents.UNMOUNTED).size() >= eventPoints(DeviceEvents.MOUNTED).size());
        } finally {
            plugged.clear();
            if (handler != null) {
                handler.unregister();
            }
            mountEvents.clear();
        }
    }

    // ---- the machine ----------------------------------------------------------------------------------------

    /**
     * Plugs an AHCI controller at {@code slot} (e.g. 00:14.0) with a disk per image, on ports 0, 1, ...; returns the
     * controller's device id. Its disks' ids are that id and {@code /port<n>}.
     */
    protected String plugAhci(String slot, DiskImage... images) {
        return plugAhci(slot, Map.of(), images);
    }

    /** {@link #plugAhci(String, DiskImage...)} with more of the emulator's AHCI options (its faults: delay, hang). */
    protected String plugAhci(String slot, Map<String, String> more, DiskImage... images) {
        Map<String, String> options = new LinkedHashMap<>(more);
        options.put("ports", Integer.toString(Math.max(1, images.length)));
        for (int i = 0; i < images.length; i++) {
            options.put("disk" + i, images[i].file.toString());
            options.put("model" + i, DISK_MODEL);
            options.put("serial" + i, "VFS-" + slot.replaceAll("[^0-9a-fA-F]", "") + "-" + i);
        }
        PciAddress address = PciAddress.parse(slot);
        String id = machine.plug(address, "ahci", options).busId() + "/" + address;
        plugged.put(id, address);
        return id;
    }

    /** Surprise removal of a controller the test plugged. */
    protected void unplug(String controllerId) {
        machine.unplug(plugged.get(controllerId));
    }

    // ---- waiting and the VFS --------------------------------------------------------------------------------

    /** The mount points of the events of {@code topic} (MOUNTED or UNMOUNTED) so far, in order. */
    protected List<String> eventPoints(String topic) {
        return mountEvents.stream().filter(e -> e.getTopic().equals(topic))
                .map(e -> String.valueOf(e.getProperty(DeviceEvents.MOUNT_POINT))).toList();
    }

    /** Waits until an event of {@code topic} has been posted for each mount point. */
    protected void awaitEvents(String topic, String... points) throws InterruptedException {
        await(topic + " events for " + List.of(points) + "; events so far: " + eventSummary(),
                () -> eventPoints(topic).containsAll(List.of(points)));
    }

    protected String eventSummary() {
        return mountEvents.stream().map(e -> e.getTopic() + " " + e.getProperty(DeviceEvents.MOUNT_POINT) + " ("
                + e.getProperty(DeviceEvents.DEVICE_ID) + ")").collect(Collectors.joining(", ", "[", "]"));
    }

    protected List<String> mountPoints() {
        return vfs.mounts().stream().map(MountInfo::mountPoint).toList();
    }

    protected MountInfo mount(String point) {
        return vfs.mounts().stream().filter(m -> m.mountPoint().equals(point)).findFirst()
                .orElseThrow(() -> new AssertionError(point + " is not mounted\n" + state()));
    }

    /** The name lsblk gives the disk with this device id ({@code sda}). */
    protected String diskName(String diskId) throws Exception {
        String out = shell("devrt:lsblk -f " + diskId);
        List<String> lines = out.lines().toList();
        if (lines.size() < 2 || !lines.get(0).startsWith("NAME")) {
            fail("lsblk -f " + diskId + " does not list the disk:\n" + out);
        }
        return lines.get(1).split("\\s+")[0];
    }

    /** Runs a command line in a Gogo session; what it returned and printed, without trailing blanks. */
    protected String sh(String commandLine) throws Exception {
        return shell(commandLine).stripTrailing();
    }

    /** The lines of a command's output with each run of blanks made one space: tables compared by their cells. */
    static List<String> cells(String output) {
        return output.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
    }

    /** A whole file read through the Vfs service. */
    protected byte[] readVfs(String path) throws IOException {
        try (SeekableByteChannel c = vfs.open(path)) {
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(c.size()));
            while (b.hasRemaining() && c.read(b) >= 0) {
                // until full
            }
            return b.array();
        }
    }

    /** Writes a whole file through the Vfs service (created or replaced). */
    protected void writeVfs(String path, byte[] data) throws IOException {
        try (SeekableByteChannel c = vfs.open(path, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
    }

    protected void assertSameBytes(String what, byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " bytes, expected " + expected.length);
        }
        assertArrayEquals(what, expected, actual);
    }

    /** {@code n} bytes of a seeded random sequence: data that is the same every run and not the same per block. */
    static byte[] seeded(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The 128 MiB disk of {@link #twoFatPartitions}: partition 1 (FAT16) and 2 (FAT32), in sectors. */
    static final long DISK_BYTES = 128L << 20;
    static final long P1_START = 2048;
    static final long P1_SECTORS = 81_920;
    static final long P2_START = P1_START + P1_SECTORS;
    static final long P2_SECTORS = DISK_BYTES / DiskImage.SECTOR - P2_START;

    /** What mcopy puts on the FAT16 partition: long names, a Unicode name, three levels of folders, an empty file. */
    static Map<String, byte[]> fat16Files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("A file with a long name.txt", "hello from a long name\n".getBytes(StandardCharsets.UTF_8));
        files.put("Deep Folder/Second Level/Third Level/Nested file.TXT",
                "nested three levels down\n".getBytes(StandardCharsets.UTF_8));
        files.put("Gr\u00fc\u00dfe aus K\u00f6ln.txt", "Unicode long name\n".getBytes(StandardCharsets.UTF_8));
        files.put("empty.txt", new byte[0]);
        files.put("random.bin", seeded(16, 150_001));
        return files;
    }

    /** What mcopy puts on the FAT32 partition: nested folders and a file of more than a megabyte. */
    static Map<String, byte[]> fat32Files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Projects/2024/Report draft.txt", "quarterly figures\n".getBytes(StandardCharsets.UTF_8));
        files.put("Projects/Notes.md", "# Notes\n".getBytes(StandardCharsets.UTF_8));
        files.put("big file.bin", seeded(32, (1 << 20) + 123));
        return files;
    }

    /**
     * A 128 MiB image with an MBR (sfdisk) and two partitions: 1 FAT16 labelled DEVRT16, 2 FAT32 labelled DEVRT32
     * (mkfs.fat), filled by mcopy with {@link #fat16Files} and {@link #fat32Files} (written under
     * {@code dir/tree16} and {@code dir/tree32} for mcopy).
     */
    static DiskImage twoFatPartitions(Path dir, String name) throws Exception {
        DiskImage image = DiskImage.partitioned(dir.resolve(name), DISK_BYTES, new Object[] {P1_START, P1_SECTORS, "e"},
                new Object[] {P2_START, P2_SECTORS, "c"});
        image.mkfs(image.part(1), 16, "DEVRT16", "16161616");
        image.mkfs(image.part(2), 32, "DEVRT32", "32323232");
        image.copyIn(image.part(1), writeTree(dir.resolve(name + ".tree16"), fat16Files()));
        image.copyIn(image.part(2), writeTree(dir.resolve(name + ".tree32"), fat32Files()));
        return image;
    }

    /** Writes {@code files} (relative path -> content) under {@code dir}, making the folders. */
    static Path writeTree(Path dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, f.getValue());
        }
        return dir;
    }

    // ---- the judges ------------------------------------------------------------------------------------------

    /** What fsck.fat prints around its findings: its version, the summary and, with -n, that it changed nothing. */
    private static final java.util.regex.Pattern FSCK_FRAME = java.util.regex.Pattern.compile(
            "fsck\\.fat \\d.*|.*: \\d+ files, \\d+/\\d+ clusters|Leaving filesystem unchanged\\.|");
    /**
     * What fsck.fat says of a volume whose dirty flag is set; on FAT32 also that the boot sector differs from its
     * backup in the flag's byte (65) alone: the flag is set in the boot sector only, as Linux's fat driver sets it.
     */
    private static final java.util.regex.Pattern FSCK_DIRTY = java.util.regex.Pattern.compile(
            "Dirty bit is set\\. Fs was not properly unmounted.*|\\s*Automatically removing dirty bit\\."
                    + "|There are differences between boot sector and its backup\\."
                    + "|This is mostly harmless\\. Differences: \\(offset:original/backup\\)|\\s*65:01/00"
                    + "|\\s*Not automatically fixing this\\.");

    /**
     * Fails unless {@code fsck.fat -n} finds the partition clean. After a surprise removal the volume's dirty flag is
     * still set (as Linux leaves it when a mounted stick is pulled): with {@code dirtyFlagAllowed} that is the one
     * finding allowed.
     */
    protected static void assertFsckClean(String what, DiskImage image, DiskImage.Part part, boolean dirtyFlagAllowed)
            throws Exception {
        HostTools.Output o = image.fsck(part);
        List<String> findings = o.text().lines().map(String::stripTrailing)
                .filter(l -> !FSCK_FRAME.matcher(l).matches())
                .filter(l -> !(dirtyFlagAllowed && FSCK_DIRTY.matcher(l).matches())).toList();
        if (!findings.isEmpty() || (o.exit() != 0 && !dirtyFlagAllowed) || o.exit() > 1) {
            fail("fsck.fat -n on partition " + part.number() + " of " + image.file + " (" + what + ") exited " + o.exit()
                    + " with findings " + findings + ":\n" + o.text());
        }
    }

    // ---- the log ----------------------------------------------------------------------------------------------

    /** The log lines written since the test began. */
    protected List<String> testLogLines() throws IOException {
        List<String> all = logLines();
        return all.subList(Math.min(logMark, all.size()), all.size());
    }

    /** The log lines at level ERROR since the test began. */
    protected List<String> errorLines() throws IOException {
        return testLogLines().stream().filter(l -> l.contains(" ERROR ")).toList();
    }

    /** Waits until a log line since the test began contains every one of {@code parts}; returns it. */
    protected String awaitLogLine(String what, String... parts) throws Exception {
        String[] found = new String[1];
        await("a log line " + what + " containing " + List.of(parts), () -> {
            try {
                found[0] = testLogLines().stream().filter(l -> Stream.of(parts).allMatch(l::contains)).findFirst()
                        .orElse(null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return found[0] != null;
        });
        return found[0];
    }

    // ---- what failure messages show -------------------------------------------------------------------------

    /** The mounts, the devices, lsblk, the mount events and the last WARN/ERROR lines of the log. */
    @Override
    protected String state() {
        StringBuilder out = new StringBuilder("mounts:\n");
        if (vfs != null) {
            vfs.mounts().forEach(m -> out.append("  ").append(m).append('\n'));
        }
        out.append("devices:\n");
        if (inventory != null) {
            for (DeviceStatus s : inventory.devices()) {
                out.append("  ").append(s.deviceId()).append(' ').append(s.state()).append(" driver ")
                        .append(s.driverId().isEmpty() ? "-" : s.driverId())
                        .append(s.reason().isEmpty() ? "" : " (" + s.reason() + ")").append('\n');
            }
        }
        try {
            out.append("lsblk:\n").append(shell("devrt:lsblk")).append('\n');
        } catch (Exception e) {
            out.append("lsblk failed: ").append(e).append('\n');
        }
        out.append("mount events: ").append(eventSummary()).append('\n');
        try {
            List<String> warnings = logLines().stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                    .toList();
            out.append("last warnings and errors of the log:\n");
            warnings.subList(Math.max(0, warnings.size() - 15), warnings.size())
                    .forEach(l -> out.append("  ").append(l).append('\n'));
        } catch (IOException e) {
            out.append("log unreadable: ").append(e).append('\n');
        }
        return out.toString();
    }
}

package org.devrt.ahci.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.emulator.internal.Machine;
import org.devrt.emulator.internal.ahci.AhciModel;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;

/**
 * An emulated machine with the emulator's AHCI model plugged at 00:1f.2, and the driver attached to it the way
 * the device manager does (through an access grant, with a driver context), its services caught in a list. The
 * model itself is at hand ({@link #model}) for faults injected while the driver runs.
 */
final class ModelRig implements AutoCloseable {
    static final PciAddress ADDRESS = PciAddress.parse("00:1f.2");
    static final String DEVICE_ID = "emulated/0000:00:1f.2";
    static final long MEMORY = 64L << 20;

    /** A service the driver registered. */
    record Published(BlockDevice disk, Map<String, Object> properties, AtomicBoolean registered) {
    }

    record Context(String deviceId, Map<String, Object> serviceProperties, List<String> problems)
            implements DriverContext {
        @Override
        public void problem(String problem) {
            problems.add(problem);
        }
    }

    /** What the driver reported with {@link DriverContext#problem}, in order. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    /** The AHCI model plugged by the constructor. */
    volatile AhciModel model;
    final Machine machine = Machine.standalone(MEMORY, AhciModel.factory(m -> model = m));
    final PciFunction function;
    final PciFunction.AccessGrant grant;
    final Path image;
    final List<Published> published = new CopyOnWriteArrayList<>();
    DriverAttachment attachment;
    /** The driver {@link #attach} made. */
    AhciDriver driver;

    /** Plugs the model with a 16 MiB disk on port 0 in {@code dir}, plus {@code options} ("name=value"). */
    ModelRig(Path dir, String... options) throws IOException {
        this.image = dir.resolve("disk0.img");
        Map<String, String> map = new TreeMap<>(Map.of("disk0", image.toString(), "size0", "16M"));
        for (String option : options) {
            String[] kv = option.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        map.values().removeIf(String::isEmpty); // "disk0=" leaves port 0 empty
        function = machine.plug(ADDRESS, "ahci", map);
        grant = function.grantAccess();
    }

    Context context() {
        return new Context(DEVICE_ID, Map.of(DeviceService.DEVICE_ID, DEVICE_ID, DeviceService.PCI_ADDRESS,
                "0000:00:1f.2", DeviceService.DRIVER_ID, AhciDriver.ID), problems);
    }

    /** Attaches the driver as the device manager would. */
    DriverAttachment attach(Duration commandTimeout) throws Exception {
        driver = new AhciDriver((disk, properties) -> {
            Published p = new Published(disk, Map.copyOf(properties), new AtomicBoolean(true));
            published.add(p);
            return () -> p.registered().set(false);
        }, commandTimeout);
        attachment = driver.attach(grant.function(), context());
        return attachment;
    }

    /** The controller alone, initialised but with no command sent yet: for tests that need the first command. */
    AhciController controller(Duration commandTimeout) throws IOException {
        AhciController hba = AhciController.acquire(grant.function(), DEVICE_ID, commandTimeout);
        attachment = () -> hba.detach("driver detached");
        hba.initialise();
        return hba;
    }

    /**
     * The controller alone as {@link #controller(Duration)}, with a busy disk waited for {@code spinUp} and what it
     * reports after bring-up going to {@code problems}.
     */
    AhciController controller(Duration commandTimeout, Duration spinUp, java.util.function.Consumer<String> problems)
            throws IOException {
        AhciController hba = AhciController.acquire(grant.function(), DEVICE_ID, commandTimeout);
        attachment = () -> hba.detach("driver detached");
        hba.spinUpTimeout(spinUp);
        hba.listener(new AhciController.DiskListener() {
            @Override
            public void added(SataDisk disk) {
            }

            @Override
            public void removed(int port) {
            }

            @Override
            public void problem(String problem) {
                problems.accept(problem);
            }
        });
        hba.initialise();
        return hba;
    }

    /** A disk on {@code port} of the controller from {@link #controller}, as the driver would make it. */
    SataDisk disk(AhciPort port, IdentifyData identity) throws IOException {
        return new SataDisk(port, grant.function().dmaMemory(), identity, port.slot(0).capacity(), true); // CAP.S64A
    }

    SataDisk disk(int index) {
        return (SataDisk) published.get(index).disk();
    }

    /** Bytes of the image file at {@code lba}, read past the driver, as a check of where the data landed. */
    byte[] imageBytes(long lba, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            ch.read(b, lba * 512);
            return b.array();
        }
    }

    void writeImage(long lba, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), lba * 512);
        }
    }

    long freeMemoryKiB() {
        return memoryFigure("(\\d+) KiB free");
    }

    /** Client buffers the driver has mapped for the device now. */
    long mappedBuffers() {
        return memoryFigure("(\\d+) buffers mapped");
    }

    private long memoryFigure(String pattern) {
        String text = machine.memoryText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in '" + text + "'");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Detaches and closes; then fails the test if the driver broke a rule of AHCI the model checks (ST before FRE, a
     * register written in a state that forbids it, an NCQ command without its PxSACT bit): the model, as silicon
     * often does, goes on regardless, so only this shows it.
     */
    @Override
    public void close() {
        if (attachment != null) {
            attachment.detach();
        }
        grant.close();
        machine.close();
        if (model != null && model.violations() != 0) {
            throw new AssertionError("the driver broke AHCI's rules " + model.violations() + " times; the last: "
                    + model.lastViolation());
        }
    }

    /** An identity for a disk built by hand in tests that skip IDENTIFY: 16 MiB of 512-byte sectors, no NCQ. */
    static IdentifyData sixteenMiB() {
        return sixteenMiB(0);
    }

    /** The same with an NCQ queue depth (IDENTIFY words 75 and 76); 0 for none. */
    static IdentifyData sixteenMiB(int queueDepth) {
        return new IdentifyData("DEVRT HARDDISK", "", "", 32768, 512, queueDepth, true);
    }
}

package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRegistry;
import org.devrt.device.DeviceState;
import org.devrt.device.DeviceStatus;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.pci.PciAddress;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The shipped machine's SATA disk, as {@code ./devrt} has it: conf/devrt.emulator.function-ahci0.cfg plugs an AHCI
 * HBA at 00:1f.2 with a 64 MiB disk on port 0, and the device manager installs devrt.ahci-driver for it from the
 * runtime's driver repository (runtime/target/drivers). The class's conf/ copy points the disk at its own fresh
 * image ({@link #diskImages()}). Before each test the disk is up; after it, a controller the test unplugged is
 * plugged again with the configuration's options.
 */
public abstract class AhciTestSupport extends RuntimeTestSupport {
    static final String FUNCTION_CFG = "devrt.emulator.function-ahci0.cfg";
    /** The shipped first-start set-up of the disk, left out here: these tests write raw blocks all over it. */
    static final String SETUP_CFG = "devrt.vfs.initialize-disk0.cfg";
    static final PciAddress HBA = PciAddress.parse("00:1f.2");
    static final String CONTROLLER_ID = "emulated/0000:00:1f.2";
    static final String DISK_ID = CONTROLLER_ID + "/port0";
    static final String DRIVER_BSN = "devrt.ahci-driver";
    static final String DRIVER_ID = "ahci";
    static final String REPOSITORY_LOCATION = "devrt-repository:";
    static final int BLOCK = 512;
    static final long BLOCKS = (256L << 20) / BLOCK;

    protected DeviceInventory inventory;
    protected EmulatedMachine machine;
    protected DeviceServiceRegistry deviceServices;
    private final List<ServiceReference<?>> got = new ArrayList<>();

    @Before
    public void shippedDiskIsUp() throws Exception {
        awaitRuntimeStarted();
        inventory = requiredService(DeviceInventory.class, "devrt.device-manager");
        machine = requiredService(EmulatedMachine.class, "devrt.emulator");
        deviceServices = requiredService(DeviceServiceRegistry.class, "devrt.service-registry");
        awaitDisk();
    }

    @After
    public void controllerPluggedAgain() throws Exception {
        try {
            if (inventory != null && inventory.device(CONTROLLER_ID).isEmpty()) {
                plugController();
            }
        } finally {
            got.forEach(ref -> {
                try {
                    context.ungetService(ref);
                } catch (IllegalStateException alreadyGone) {
                    // the service went with its driver
                }
            });
            got.clear();
        }
    }

    // ---- the controller and its configuration -------------------------------------------------------------

    /** This class's copy of the controller's configuration file, as File Install read it (disk path rewritten). */
    protected Properties functionConfig() throws IOException {
        Properties cfg = new Properties();
        try (InputStream in = Files.newInputStream(confCopy().resolve(FUNCTION_CFG))) {
            cfg.load(in);
        }
        return cfg;
    }

    /** The controller's model options as the configuration gives them: every property but address and model. */
    protected Map<String, String> modelOptions() throws IOException {
        Map<String, String> options = new TreeMap<>();
        functionConfig().forEach((k, v) -> {
            if (!k.equals("address") && !k.equals("model")) {
                options.put(k.toString(), v.toString().trim());
            }
        });
        return options;
    }

    /** The disk's image file: this class's own, under target/disks. */
    protected Path image() throws IOException {
        return Path.of(functionConfig().getProperty("disk0").trim());
    }

    /** Surprise removal of the controller, as the {@code unplug} command does. */
    protected void unplugController() {
        machine.unplug(HBA);
    }

    /** Plugs the controller again with the configuration's options (so the same image). */
    protected void plugController() throws IOException {
        machine.plug(HBA, "ahci", modelOptions());
    }

    // ---- the disk ---------------------------------------------------------------------------------------

    /** The one BlockDevice service of the disk, waiting for it; fails with the {@link #state()} if there is none. */
    protected ServiceReference<BlockDevice> awaitDiskService() throws InterruptedException {
        await("a BlockDevice service with " + DeviceService.DEVICE_ID + "=" + DISK_ID, () -> !diskServices().isEmpty());
        List<ServiceReference<BlockDevice>> refs = diskServices();
        assertEquals("BlockDevice services of " + DISK_ID + "\n" + state(), 1, refs.size());
        return refs.get(0);
    }

    /** The disk's BlockDevice, waiting for it; released after the test. */
    protected BlockDevice awaitDisk() throws InterruptedException {
        ServiceReference<BlockDevice> ref = awaitDiskService();
        BlockDevice disk = context.getService(ref);
        assertNotNull("the BlockDevice service of " + DISK_ID + " went while it was got\n" + state(), disk);
        got.add(ref);
        return disk;
    }

    /** The BlockDevice services with {@code devrt.device.id} of the disk. */
    protected List<ServiceReference<BlockDevice>> diskServices() {
        try {
            return List.copyOf(context.getServiceReferences(BlockDevice.class,
                "(" + DeviceService.DEVICE_ID + "=" + DISK_ID + ")"));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the controller's record satisfies {@code ok}; fails with the {@link #state()} if it does not. */
    protected DeviceStatus awaitController(String expected, Predicate<DeviceStatus> ok) throws InterruptedException {
        await(CONTROLLER_ID + " is " + expected + "; it is "
            + inventory.device(CONTROLLER_ID).map(AhciTestSupport::describe).orElse("not in the inventory"),
            () -> inventory.device(CONTROLLER_ID).filter(ok).isPresent());
        return inventory.device(CONTROLLER_ID).get();
    }

    /** The installed bundles of the AHCI driver. */
    protected List<Bundle> driverBundles() {
        return Arrays.stream(context.getBundles()).filter(b -> DRIVER_BSN.equals(b.getSymbolicName())).toList();
    }

    /** Writes the patterns of {@code generation} to {@code count} blocks from {@code lba} in one call. */
    protected static void writePatterns(BlockDevice disk, long lba, int count, int generation) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(count * BLOCK);
        for (int i = 0; i < count; i++) {
            data.put(BlockPattern.of(lba + i, generation, BLOCK));
        }
        disk.write(lba, data.flip());
    }

    /** Reads {@code count} blocks from {@code lba}; fails naming every block that is not its {@code generation}. */
    protected void assertPatterns(String what, BlockDevice disk, long lba, int count, int generation)
            throws IOException {
        ByteBuffer data = ByteBuffer.allocate(count * BLOCK);
        disk.read(lba, data);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer block = data.slice(i * BLOCK, BLOCK);
            int found = BlockPattern.generation(block, lba + i);
            if (found != generation) {
                wrong.add("block " + (lba + i) + " holds " + BlockPattern.describe(found));
            }
        }
        assertTrue(what + ": " + wrong.size() + " of " + count + " blocks from " + lba + " are not generation "
            + generation + ": " + wrong.subList(0, Math.min(10, wrong.size())), wrong.isEmpty());
    }

    /** Fails unless {@code call} throws DeviceGoneException. */
    protected static void assertGone(String what, IoCall call) {
        try {
            call.run();
            fail(what + " succeeded although the disk is gone");
        } catch (DeviceGoneException expected) {
            // the device is gone
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(what + " threw " + e + " instead of a DeviceGoneException", e);
        }
    }

    /** A call on a BlockDevice. */
    protected interface IoCall {
        void run() throws IOException;
    }

    // ---- what failure messages show -----------------------------------------------------------------------

    /** The controller's record, the block device services, the driver bundles. */
    @Override
    protected String state() {
        StringBuilder out = new StringBuilder("controller: ");
        Optional<DeviceStatus> s = inventory == null ? Optional.empty() : inventory.device(CONTROLLER_ID);
        out.append(s.map(AhciTestSupport::describe).orElse(CONTROLLER_ID + " not in the inventory")).append('\n');
        out.append("block device services:\n");
        if (deviceServices != null) {
            deviceServices.byType(DeviceService.TYPE_BLOCK).forEach(r -> out.append(String.format(
                "  [%d] %s driver %s from %s [%d]%n", r.serviceId(), r.deviceId(), r.driverId(),
                r.bundleSymbolicName(), r.bundleId())));
        }
        out.append("driver bundles:\n");
        driverBundles().forEach(b -> out.append(String.format("  [%d] %s %s %s %s%n", b.getBundleId(),
            b.getSymbolicName(), b.getVersion(), stateName(b), b.getLocation())));
        return out.toString();
    }

    static String describe(DeviceStatus s) {
        return s.deviceId() + " " + s.state() + " driver " + (s.driverId().isEmpty() ? "-" : s.driverId())
            + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")");
    }

    static boolean bound(DeviceStatus s) {
        return s.state() == DeviceState.BOUND && DRIVER_ID.equals(s.driverId());
    }

    /** The disk stays blank (no partition table, nothing mounted): the tests write raw blocks on it. */
    @Override
    protected void prepareConf(Path conf) throws IOException {
        Files.deleteIfExists(conf.resolve(SETUP_CFG));
    }
}

package org.devrt.benchmarks.block;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.devrt.ahci.internal.AhciDriver;
import org.devrt.device.BlockDevice;
import org.devrt.emulator.internal.DriverBenchMachines;
import org.devrt.emulator.internal.Machine;

/**
 * devrt: the emulated machine with the emulator's AHCI model (Intel ICH9 at 00:1f.2, one port, the image as the
 * disk on port 0), the AHCI driver attached to it as the device manager would, and the {@link BlockDevice}
 * service the driver registered. {@code -Ddevrt.bench.ahci=name=value,...} adds model options (e.g.
 * {@code ncq=false}, {@code workers=8}).
 */
final class DevrtStore implements Store {
    static final String ADDRESS = "00:1f.2";
    static final long MEMORY = 64L << 20;

    private final Machine machine;
    private final DriverBenchMachines.Attached<BlockDevice> attached;
    private final BlockDevice disk;
    private final int blockSize;

    DevrtStore(Path image, long size) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("ports", "1");
        options.put("disk0", image.toString());
        options.put("size0", Long.toString(size));
        for (String option : System.getProperty("devrt.bench.ahci", "").split(",")) {
            String[] kv = option.split("=", 2);
            if (kv.length == 2) {
                options.put(kv[0].trim(), kv[1].trim());
            }
        }
        machine = Machine.standalone(MEMORY);
        try {
            attached = DriverBenchMachines.attach(machine, ADDRESS, "ahci", options, new AhciDriver(), "ahci",
                    BlockDevice.class);
        } catch (Exception | Error e) {
            machine.close();
            throw e;
        }
        disk = attached.service();
        blockSize = disk.blockSize();
        if (disk.blockCount() * blockSize != size) {
            close();
            throw new IllegalStateException("the disk has " + disk.blockCount() + " blocks of " + blockSize
                    + " bytes, the image " + size + " bytes");
        }
        System.out.printf("devrt: %s at %s, %d x %d-byte blocks, model options %s, driver uses NCQ: %s%n",
                disk.model(), ADDRESS, disk.blockCount(), blockSize, options, queuing(disk));
    }

    /** Whether the driver queues (READ/WRITE FPDMA QUEUED): the driver's own say, read reflectively, for the log only. */
    private static String queuing(BlockDevice disk) {
        try {
            Method port = disk.getClass().getDeclaredMethod("port");
            port.setAccessible(true);
            Object p = port.invoke(disk);
            Method queuing = p.getClass().getDeclaredMethod("queuing");
            queuing.setAccessible(true);
            return String.valueOf(queuing.invoke(p));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        disk.read(offset / blockSize, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        disk.write(offset / blockSize, src);
    }

    @Override
    public void close() {
        try {
            attached.close();
        } finally {
            machine.close();
        }
    }
}

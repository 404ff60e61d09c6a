package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertNotNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceInventory;
import org.devrt.emulator.EmulatedMachine;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A disk plugged from the shell (not from a configuration) when the emulator stops: its driver is detached while the
 * disk still answers, so its volumes are flushed and marked clean. It was a surprise removal: the emulator's bus
 * service went first and the device manager took that as every function yanked, so the disk was gone before its
 * volumes could be flushed, and what the write-back had not yet written was lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmulatorStopIT extends VfsTestSupport {
    static final String SLOT = "00:15.0";
    static final String IMAGE = "stopped.img";
    static final String SLOW_SLOT = "00:16.0";
    static final String SLOW_IMAGE = "slow.img";
    /** How late the slow disk answers each command, in ms: its flush takes some of these. */
    static final long SLOW_DISK_DELAY = 250;
    /** The device manager's attach time-out in the slow disk's test: well below its flush's time. */
    static final long SHORT_ATTACH_TIMEOUT = 300;

    @Override
    protected void makeImages(Path dir) throws Exception {
        twoFatPartitions(dir, IMAGE);
        twoFatPartitions(dir, SLOW_IMAGE);
    }

    @Test
    public void stoppingTheEmulatorFlushesTheVolumesOfADiskPluggedFromTheShell() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(IMAGE));
        String disk = awaitBothVolumes(plugAhci(SLOT, image));
        byte[] text = "written just before the emulator stopped\n".getBytes(UTF_8);
        writeVfs("/mnt/" + disk + "1/last words.txt", text); // no sync: the write-back runs every 5 s

        stopEmulatorAndAssertFlushed(image, disk, "/last words.txt", text, () -> { });
    }

    /**
     * The orderly removal waits for the driver's detach as long as the VFS waits for a slow disk's flush, not the
     * attach time-out: cut at that, the emulator removed the disk under the flush and its volumes were dropped.
     */
    @Test
    public void aSlowDisksFlushIsWaitedForBeyondTheAttachTimeOut() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(SLOW_IMAGE));
        String disk = awaitBothVolumes(plugAhci(SLOW_SLOT, Map.of("delay", Long.toString(SLOW_DISK_DELAY)), image));
        byte[] data = seeded(7, 200_000);
        writeVfs("/mnt/" + disk + "1/slow.bin", data); // the data, the FAT, its copy, the entry, the clean flag: 5 commands

        Configuration manager = requiredService(ConfigurationAdmin.class, "org.apache.felix.configadmin")
                .getConfiguration("devrt.devicemanager", "?");
        Dictionary<String, Object> shipped = manager.getProperties();
        Dictionary<String, Object> changed = new Hashtable<>();
        Collections.list(shipped.keys()).forEach(k -> changed.put(k, shipped.get(k)));
        changed.put("attachTimeoutMillis", Long.toString(SHORT_ATTACH_TIMEOUT));
        manager.update(changed);
        await("the device manager to take attachTimeoutMillis " + SHORT_ATTACH_TIMEOUT, () -> String.valueOf(
                SHORT_ATTACH_TIMEOUT).equals(context.getServiceReference(DeviceInventory.class)
                        .getProperty("attachTimeoutMillis")));
        stopEmulatorAndAssertFlushed(image, disk, "/slow.bin", data, () -> manager.update(shipped));
    }

    /** Waits for both volumes of the controller's disk to be mounted; returns the disk's name (sda). */
    private String awaitBothVolumes(String controllerId) throws Exception {
        String diskId = controllerId + "/port0";
        await("both volumes of " + diskId + " mounted", () -> vfs.mounts().stream()
                .filter(m -> m.deviceId().equals(diskId)).count() == 2);
        return diskName(diskId);
    }

    /**
     * Stops the emulator and asserts that both volumes of {@code image} (the disk {@code disk}) were flushed and are
     * clean, and that partition 1 holds {@code file}; then {@code beforeRestart} and the emulator started again.
     */
    private void stopEmulatorAndAssertFlushed(DiskImage image, String disk, String file, byte[] content,
            Step beforeRestart) throws Exception {
        Bundle emulator = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("devrt.emulator")).findFirst().orElseThrow();
        emulator.stop();
        try {
            for (String volume : List.of(disk + "1", disk + "2")) {
                awaitLogLine("for the unmount of " + volume, "unmounted /mnt/" + volume + " (" + volume + "): disk "
                        + disk + " was removed; flushed");
            }
            assertFsckClean("the emulator stopped", image, image.part(1), false);
            assertFsckClean("the emulator stopped", image, image.part(2), false);
            assertSameBytes("the file written just before the stop, as mcopy reads it", content,
                    image.read(image.part(1), file));
        } finally {
            beforeRestart.run();
            emulator.start();
            machine = awaitService(EmulatedMachine.class, null);
            assertNotNull("no EmulatedMachine service after devrt.emulator started again", machine);
        }
    }

    interface Step {
        void run() throws Exception;
    }
}

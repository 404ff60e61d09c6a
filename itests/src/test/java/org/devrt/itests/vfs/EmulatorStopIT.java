package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.nio.file.Path;
import java.util.Arrays;

import org.devrt.device.DeviceEvents;
import org.devrt.emulator.EmulatedMachine;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

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

    @Override
    protected void makeImages(Path dir) throws Exception {
        twoFatPartitions(dir, IMAGE);
    }

    @Test
    public void stoppingTheEmulatorFlushesTheVolumesOfADiskPluggedFromTheShell() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(IMAGE));
        plugAhci(SLOT, image);
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");
        byte[] text = "written just before the emulator stopped\n".getBytes(UTF_8);
        writeVfs("/mnt/sda1/last words.txt", text); // no sync: the write-back runs every 5 s

        Bundle emulator = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName().equals("devrt.emulator")).findFirst().orElseThrow();
        emulator.stop();
        try {
            awaitLogLine("for the unmount of sda1", "unmounted /mnt/sda1 (sda1): disk sda was removed; flushed");
            awaitLogLine("for the unmount of sda2", "unmounted /mnt/sda2 (sda2): disk sda was removed; flushed");
            assertFsckClean("the emulator stopped", image, image.part(1), false);
            assertFsckClean("the emulator stopped", image, image.part(2), false);
            assertEquals("the file written just before the stop, as mtype prints it", new String(text, UTF_8),
                    image.type(image.part(1), "/last words.txt"));
        } finally {
            emulator.start();
            machine = awaitService(EmulatedMachine.class, null);
            assertNotNull("no EmulatedMachine service after devrt.emulator started again", machine);
        }
    }
}

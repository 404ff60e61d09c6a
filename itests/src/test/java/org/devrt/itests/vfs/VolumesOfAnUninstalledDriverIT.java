package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceGoneException;
import org.devrt.pci.PciAddress;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The user uninstalls the AHCI driver bundle while its disk's volumes are mounted, with files open and changes not
 * yet synced: the volumes are flushed and unmounted while the driver goes, and the open files then fail saying the
 * volume is gone. The same when the controller's function is removed in order (its configuration changed or
 * deleted, the emulator stopping): the driver detaches before the function goes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VolumesOfAnUninstalledDriverIT extends VfsTestSupport {
    static final String SLOT = "00:15.0";
    static final String IMAGE = "uninstalled.img";
    static final String REMOVED_SLOT = "00:16.0";
    static final String REMOVED_IMAGE = "removed.img";

    @Override
    protected void makeImages(Path dir) throws Exception {
        twoFatPartitions(dir, IMAGE);
        twoFatPartitions(dir, REMOVED_IMAGE);
    }

    /** An edited function configuration unplugged the disk by surprise: a file written just before was lost. */
    @Test
    public void anOrderlyRemovalOfTheFunctionFlushesAndUnmountsItsVolumesBeforeTheDiskGoes() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(REMOVED_IMAGE));
        String controller = plugAhci(REMOVED_SLOT, image);
        if (Arrays.stream(context.getBundles()).noneMatch(b -> AHCI_DRIVER_BSN.equals(b.getSymbolicName()))) {
            shellQuietly("devrt:bind " + controller); // the other test uninstalled it: installed again when asked
        }
        await("lsblk to list the disk of " + controller, () -> shellQuietly("devrt:lsblk -f " + controller
                + "/port0").startsWith("NAME"));
        String disk = diskName(controller + "/port0");
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/" + disk + "1", "/mnt/" + disk + "2");
        byte[] unsynced = "written, never synced: the driver's detach flushes it\n".repeat(300).getBytes(UTF_8);
        writeVfs("/mnt/" + disk + "2/Unsynced.txt", unsynced);

        machine.remove(PciAddress.parse(REMOVED_SLOT)); // what FunctionComponent and the machine's shutdown do

        String line = awaitLogLine("for the unmount of " + disk + "2", "unmounted /mnt/" + disk + "2 (" + disk
                + "2): disk " + disk + " was removed");
        assertTrue("the unmount was not flushed: " + line, line.endsWith("; flushed"));
        assertFsckClean("unmounted before the removal", image, image.part(1), false);
        assertFsckClean("unmounted before the removal", image, image.part(2), false);
        assertEquals("the unsynced file as mtype prints it", new String(unsynced, UTF_8),
                image.type(image.part(2), "/Unsynced.txt"));
    }

    @Test
    public void volumesAreFlushedAndUnmountedCleanlyAndOpenFilesFailSayingTheVolumeIsGone() throws Exception {
        DiskImage image = DiskImage.at(imageDir().resolve(IMAGE));
        plugAhci(SLOT, image);
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");
        byte[] unsynced = "written, never synced: the unmount flushes it\n".repeat(300).getBytes(UTF_8);
        writeVfs("/mnt/sda2/Unsynced but flushed.txt", unsynced);
        SeekableByteChannel reader = vfs.open("/mnt/sda1/random.bin");
        SeekableByteChannel writer = vfs.open("/mnt/sda2/Open for writing.bin", StandardOpenOption.WRITE,
                StandardOpenOption.CREATE);
        writer.write(ByteBuffer.wrap(seeded(3, 5000)));
        List<Bundle> drivers = Arrays.stream(context.getBundles())
                .filter(b -> AHCI_DRIVER_BSN.equals(b.getSymbolicName())).toList();
        assertEquals("bundles of " + AHCI_DRIVER_BSN + "\n" + state(), 1, drivers.size());

        drivers.get(0).uninstall(); // what the shell's 'uninstall' does

        // the volumes go while the driver's services unregister, so by now
        assertEquals("mount points once the driver bundle is uninstalled\n" + state(), List.of(), mountPoints());
        awaitEvents(DeviceEvents.UNMOUNTED, "/mnt/sda1", "/mnt/sda2");
        String sda1 = awaitLogLine("for the unmount of sda1", "unmounted /mnt/sda1 (sda1): disk sda was removed");
        String sda2 = awaitLogLine("for the unmount of sda2", "unmounted /mnt/sda2 (sda2): disk sda was removed");
        assertTrue("the unmount of sda1 was not flushed: " + sda1, sda1.endsWith("; flushed"));
        assertTrue("the unmount of sda2 was not flushed: " + sda2, sda2.endsWith("; flushed"));
        assertGone("reading a file open on /mnt/sda1", "/mnt/sda1",
                () -> reader.read(ByteBuffer.allocate(100)));
        assertGone("writing a file open on /mnt/sda2", "/mnt/sda2",
                () -> writer.write(ByteBuffer.wrap(new byte[10])));
        assertGone("opening a file where /mnt/sda2 was", null, () -> vfs.open("/mnt/sda2/big file.bin").close());
        assertEquals("errors in the log\n" + state(), List.of(), errorLines());
        reader.close();
        writer.close();

        DiskImage.Part p1 = image.part(1);
        DiskImage.Part p2 = image.part(2);
        assertFsckClean("unmounted as the driver was uninstalled", image, p1, false);
        assertFsckClean("unmounted as the driver was uninstalled", image, p2, false);
        assertEquals("the unsynced file as mtype prints it after the flush at unmount", new String(unsynced, UTF_8),
                image.type(p2, "/Unsynced but flushed.txt"));
        assertSameBytes("the file still open for writing at the uninstall, as mcopy reads it", seeded(3, 5000),
                image.read(p2, "/Open for writing.bin"));
    }

    /** A call on the Vfs or a channel got from it. */
    private interface Call {
        void run() throws IOException;
    }

    /**
     * Fails unless {@code call} fails saying the volume is gone: a DeviceGoneException naming the mount point; with no
     * mount point, a NoSuchFileException (the volume is no longer in the tree).
     */
    private void assertGone(String what, String point, Call call) {
        try {
            call.run();
            fail(what + " succeeded although its volume was unmounted");
        } catch (DeviceGoneException e) {
            assertTrue(what + " failed with '" + e.getMessage() + "', which does not say the volume " + point
                    + " is gone", point != null && e.getMessage().startsWith(point)
                    && e.getMessage().contains("volume is gone"));
        } catch (NoSuchFileException e) {
            if (point != null) {
                throw new AssertionError(what + " threw " + e + " instead of a DeviceGoneException", e);
            }
        } catch (IOException e) {
            throw new AssertionError(what + " threw " + e + " instead of a " + (point != null ? "DeviceGoneException"
                    : "NoSuchFileException"), e);
        }
    }
}

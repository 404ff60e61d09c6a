package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.DeviceStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The shipped machine's disk appears at boot: its driver from the repository, its service, lsblk, its image. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AhciDiskAtBootIT extends AhciTestSupport {

    @Test
    public void theShippedDiskIsABlockDeviceWithTheModelSerialAndCapacityOfItsConfiguration() throws Exception {
        ServiceReference<BlockDevice> ref = awaitDiskService();
        BlockDevice disk = awaitDisk();

        assertEquals("model of " + DISK_ID + " (model0 of " + FUNCTION_CFG + ")",
            functionConfig().getProperty("model0").trim(), disk.model());
        assertEquals("serial of " + DISK_ID + " (serial0 of " + FUNCTION_CFG + ")",
            functionConfig().getProperty("serial0").trim(), disk.serial());
        assertEquals("block size of " + DISK_ID, BLOCK, disk.blockSize());
        assertEquals("blocks of " + DISK_ID + " (256 MiB of 512-byte blocks)", BLOCKS, disk.blockCount());
        assertFalse(DISK_ID + " is read-only", disk.isReadOnly());

        assertEquals(DeviceService.DEVICE_TYPE, DeviceService.TYPE_BLOCK, ref.getProperty(DeviceService.DEVICE_TYPE));
        assertEquals(DeviceService.PCI_ADDRESS, "0000:00:1f.2", ref.getProperty(DeviceService.PCI_ADDRESS));
        assertEquals(DeviceService.DRIVER_ID, DRIVER_ID, ref.getProperty(DeviceService.DRIVER_ID));
        List<DeviceServiceRecord> records = deviceServices.byDevice(DISK_ID);
        assertEquals("DeviceServiceRegistry.byDevice(" + DISK_ID + ")\n" + state(), 1, records.size());

        Bundle driver = ref.getBundle();
        assertEquals("the bundle that registered the disk's service\n" + state(), DRIVER_BSN, driver.getSymbolicName());
        assertTrue("the driver bundle was not installed by the device manager from the repository: "
            + driver.getLocation(), driver.getLocation().startsWith(REPOSITORY_LOCATION));
        assertEquals("state of " + DRIVER_BSN, "ACTIVE", stateName(driver));
        assertEquals("bundles of " + DRIVER_BSN + "\n" + state(), 1, driverBundles().size());

        DeviceStatus controller = awaitController("BOUND to the ahci driver", AhciTestSupport::bound);
        assertEquals("reason of the bound controller", "", controller.reason());
    }

    @Test
    public void lsblkListsTheDiskAsSdaWithItsSizeModelAndSerial() throws Exception {
        BlockDevice disk = awaitDisk();
        awaitCommand("devrt", "lsblk", "devrt.vfs");

        String out = shell("devrt:lsblk");

        List<String> lines = out.lines().toList();
        assertTrue("lsblk's header does not begin NAME SIZE RO TYPE MODEL SERIAL:\n" + out,
            !lines.isEmpty() && lines.get(0).trim().matches("NAME\\s+SIZE\\s+RO\\s+TYPE\\s+MODEL\\s+SERIAL(\\s.*)?"));
        Pattern sda = Pattern.compile("sda\\s+256M\\s+0\\s+disk\\s+" + Pattern.quote(disk.model()) + "\\s+"
            + Pattern.quote(disk.serial()) + "(\\s.*)?");
        assertTrue("lsblk has no line 'sda 256M 0 disk " + disk.model() + " " + disk.serial() + "':\n" + out,
            lines.stream().anyMatch(l -> sda.matcher(l.trim()).matches()));
    }

    @Test
    public void whatIsWrittenAndFlushedIsInTheClassOwnImageAndBlkdumpShowsIt() throws Exception {
        BlockDevice disk = awaitDisk();
        Path image = image();
        assertTrue("the disk image " + image + " is not this class's own under " + diskImages(),
            image.startsWith(diskImages()));
        assertNotEquals("the tests use the image of a runtime started from the repository",
            Path.of(System.getProperty("devrt.home"), "var/disks/disk0.img").toAbsolutePath().normalize(), image);
        long lba = 4096;
        int count = 300; // more than one command's 128 KiB: the driver splits it

        writePatterns(disk, lba, count, 1);
        disk.flush();

        assertPatterns("read back through the driver", disk, lba, count, 1);
        ByteBuffer onFile = ByteBuffer.allocate(count * BLOCK);
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ)) {
            file.read(onFile, lba * BLOCK);
        }
        onFile.flip();
        for (int i = 0; i < count; i++) {
            int found = BlockPattern.generation(onFile.slice(i * BLOCK, BLOCK), lba + i);
            assertEquals("block " + (lba + i) + " in " + image + " after the flush: " + BlockPattern.describe(found),
                1, found);
        }

        awaitCommand("devrt", "blkdump", "devrt.vfs");
        String dump = shell("devrt:blkdump sda " + lba + " 1");
        String offset = String.format("%08x", lba * BLOCK);
        assertTrue("blkdump sda " + lba + " 1 does not begin at offset " + offset + " with the block's marker "
            + "'DEVRTBLK':\n" + dump, dump.lines().anyMatch(l -> l.startsWith(offset) && l.contains("|DEVRTBLK")));
    }
}

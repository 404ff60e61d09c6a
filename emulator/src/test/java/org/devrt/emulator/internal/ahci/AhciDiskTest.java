package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.assertPattern;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.fill;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.devrt.hw.DmaRegion;
import org.junit.Test;

/** The disks behind the ports: image files, their sizes, FLUSH CACHE EXT, and the options that name them. */
public class AhciDiskTest extends AhciFixture {

    @Test
    public void aMissingImageIsCreatedAtTheConfiguredSize() throws IOException {
        Path image = machine.folder.resolve("sub/dir/new.img");
        machine.plug("disk2=" + image, "size2=3M");
        assertEquals("created with its folders, 3 MiB long", 3 << 20, Files.size(image));
        assertEquals("6144 sectors", 6144, machine.model.sectors(2));
        assertEquals("no disk on port 0", 0, machine.model.sectors(0));
    }

    /** A typo in an image's path names itself: it made a new folder and a blank disk the VFS then formatted. */
    @Test
    public void aMissingImageWithoutASizeIsRefusedAndNothingIsCreated() {
        Path image = machine.folder.resolve("disks/dsik0.img");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug("disk0=" + image));
        assertEquals("option disk0=" + image + " of model ahci: no such image: " + image
                + " (with size0, e.g. size0=64M, a new one is created)", e.getMessage());
        assertFalse("the image's folder was made", Files.exists(image.getParent()));
    }

    @Test
    public void anEmptyImageIsRefusedWithoutASizeAndMadeThatSizeWithOne() throws IOException {
        Path image = Files.createFile(machine.image("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> machine.plug("disk0=@empty"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("option disk0=" + image + " of model ahci: cannot open"
                + " the image: disk image " + image + " holds 0 bytes, less than a sector"));

        machine.plug("disk0=@empty", "size0=1M");
        assertEquals("2048 sectors", 2048, machine.model.sectors(0));
    }

    @Test
    public void anExistingImageKeepsItsSizeAndData() throws IOException {
        Path image = machine.image("old");
        byte[] data = new byte[2 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i / 512);
        }
        Files.write(image, data);
        AhciTestDriver d = new AhciTestDriver(machine.plug("disk0=@old", "size0=8M"));
        assertEquals("the image's own 2 MiB, not size0", 4096, machine.model.sectors(0));
        AhciTestDriver.Port port = d.port(0).start();
        DmaRegion buffer = d.dma.allocate(4096);
        port.run(h2d(ATA_CMD_READ_DMA_EXT, 7, 1, 0), false, buffer, 512);
        assertEquals("sector 7 of the image", 7, buffer.buffer().get(100));
    }

    @Test
    public void flushedDataSurvivesReopeningTheImage() throws IOException {
        AhciTestDriver d = new AhciTestDriver(machine.plug("disk0=@keep", "size0=1M"));
        AhciTestDriver.Port port = d.port(0).start();
        DmaRegion data = d.dma.allocate(8192);
        fill(data, 8192, 42);
        assertEquals(PxIS_DHRS, port.run(h2d(ATA_CMD_WRITE_DMA_EXT, 1000, 16, 0), true, data, 8192));
        assertEquals("ATA8-ACS FLUSH CACHE EXT completes", PxIS_DHRS,
                port.run(h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false, data, 0));
        machine.machine.unplug(AhciMachine.SLOT);
        byte[] bytes = Files.readAllBytes(machine.image("keep"));
        assertEquals("the image holds the data", (byte) (42 * 7), bytes[1000 * 512]);

        AhciTestDriver again = new AhciTestDriver(machine.plug("disk0=@keep"));
        AhciTestDriver.Port p = again.port(0).start();
        DmaRegion back = again.dma.allocate(8192);
        assertEquals(PxIS_DHRS, p.run(h2d(ATA_CMD_READ_DMA_EXT, 1000, 16, 0), false, back, 8192));
        assertPattern("after unplug and plug", back, 0, 8192, 42, 0);
    }

    @Test
    public void anImageServesOneDiskAtATime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug("disk0=@same", "size0=1M", "disk1=@same"));
        assertTrue(e.getMessage(), e.getMessage().contains("disk1=") && e.getMessage().contains("in use"));
        machine.plug("disk0=@same", "size0=1M"); // the refused plug took the image it made away again
        e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(org.devrt.pci.PciAddress.parse("00:1f.3"), "disk0=@same"));
        assertTrue(e.getMessage(), e.getMessage().contains("in use"));
    }

    @Test
    public void aDirectoryOrADeviceFileIsRefusedAsAnImageAndNothingIsWrittenToIt() throws IOException {
        Path folder = Files.createDirectories(machine.folder.resolve("a-folder"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug("disk0=" + folder));
        assertTrue(e.getMessage(), e.getMessage().contains("disk0=") && e.getMessage().contains("is a directory"));
        assertEquals("nothing made inside the folder", 0, Files.list(folder).count());

        Path device = Path.of("/dev/null"); // stands for a host's disk: a block device is refused the same way
        e = assertThrows(IllegalArgumentException.class, () -> machine.plug("disk0=" + device));
        assertTrue(e.getMessage(), e.getMessage().contains("/dev/null is a device or other special file, not a"
                + " regular file"));
    }

    /** What a second devrt on the same folder meets: the image locked by the first, another JVM. */
    @Test
    public void anImageLockedByAnotherProcessIsRefusedNamingThat() throws Exception {
        Path image = machine.image("locked");
        Files.write(image, new byte[512 * 64]);
        Path holder = image.resolveSibling("Holder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Holder {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                                var lock = c.lock()) {
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        Process other = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), holder.toString(),
                image.toString()).redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine();
            assertEquals("the other process did not lock the image", "locked", first);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> machine.plug("disk0=@locked"));
            assertTrue(e.getMessage(), e.getMessage().contains("is in use by another process"));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    public void badOptionsAreRefusedWithTheirName() {
        assertRefused("size0=1000", "size0=1000", "multiple of 512");
        assertRefused("size0=0", "size0=0", "must be from 512 to ");
        assertRefused("serial0=ABCDEFGHIJKLMNOPQRSTU", "serial0=", "at most 20");
        assertRefused("model0=caf\u00e9", "model0=", "printable ASCII");
        assertRefused("ports=2 disk3", "disk3=", "not implemented");
        assertRefused("ports=7", "ports=7", "must be from 1 to ");
        assertRefused("workers=0", "workers=0", "must be from ");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> machine.machine.plug(
                AhciMachine.SLOT, "ahci", java.util.Map.of("disk0", " ")));
        assertTrue(empty.getMessage(), empty.getMessage().endsWith("no image path given (e.g."
                + " disk0=var/disks/disk0.img)"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.machine.plug(AhciMachine.SLOT, "ahci", java.util.Map.of("disk6", "x")));
        assertTrue(e.getMessage(), e.getMessage().contains("unknown option 'disk6'"));
    }

    /** Port 0's image was created, then the configuration refused for port 1's model. */
    @Test
    public void noImageIsCreatedForAConfigurationThatIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug("ports=2", "disk0=@first", "disk1=@second", "model1=caf\u00e9"));
        assertTrue(e.getMessage(), e.getMessage().contains("model1="));
        assertEquals(List.of(), Files.list(machine.folder).map(Path::getFileName).map(Path::toString)
                .filter(name -> name.startsWith("first") || name.startsWith("second")).toList());
    }

    /** Port 1's image is in use: the image made for port 0 by this plug is not left behind. */
    @Test
    public void anImageMadeForARefusedPlugIsDeleted() throws Exception {
        machine.plug(org.devrt.pci.PciAddress.parse("00:1f.3"), "disk0=@busy", "size0=1M");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug("ports=2", "disk0=@fresh", "size0=1M", "disk1=@busy"));
        assertTrue(e.getMessage(), e.getMessage().contains("disk1=") && e.getMessage().contains("in use"));
        assertFalse("the image made for port 0", Files.exists(machine.image("fresh")));
        assertTrue("the one in use is kept", Files.exists(machine.image("busy")));
    }

    private void assertRefused(String what, String names, String problem) {
        String[] options = what.contains("disk3") ? new String[] {"ports=2", "disk3=@x"}
                : what.startsWith("serial") || what.startsWith("model") || what.startsWith("size")
                        ? new String[] {"disk0=@x", what} : new String[] {what};
        IllegalArgumentException e = assertThrows(what, IllegalArgumentException.class, () -> machine.plug(options));
        assertTrue(what + ": " + e.getMessage(), e.getMessage().contains(names) && e.getMessage().contains(problem));
    }
}

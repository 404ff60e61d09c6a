package org.devrt.devicemanager.pciids;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.devrt.devicemanager.pciids.PciIdsParser.Tables;
import org.junit.Assume;
import org.junit.Test;

/** The pci.ids the system has installed, when it has one (package pci.ids or hwdata). */
public class SystemPciIdsTest {
    private static Path systemFile() {
        Optional<Path> file = PciIds.system().file();
        Assume.assumeTrue("no pci.ids at " + PciIds.SYSTEM_LOCATIONS, file.isPresent());
        return file.get();
    }

    @Test
    public void namesThe82540EM() {
        PciIds ids = PciIds.at(systemFile());
        assertEquals(Optional.of("Intel Corporation"), ids.vendorName(0x8086));
        assertEquals(Optional.of("82540EM Gigabit Ethernet Controller"), ids.deviceName(0x8086, 0x100e));
        assertEquals(Optional.of("Mass storage controller"), ids.className(0x01));
        assertEquals(Optional.of("SATA controller"), ids.subclassName(0x01, 0x06));
        assertEquals(Optional.of("AHCI 1.0"), ids.progIfName(0x01, 0x06, 0x01));
    }

    @Test
    public void theWholeFileIsReadInWellUnderASecondWithNoLineSkipped() throws IOException {
        Path file = systemFile();
        long start = System.nanoTime();
        int vendors = PciIds.at(file).vendorCount();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%s: %d vendors, first lookup (the whole parse) in %d ms%n", file, vendors, millis);
        assertTrue(file + " took " + millis + " ms", millis < 1000);
        assertTrue(vendors > 1000);
        Tables tables = PciIdsParser.parse(Files.newBufferedReader(file));
        assertEquals("skipped: " + tables.firstSkipped(), 0, tables.skippedLines());
    }
}

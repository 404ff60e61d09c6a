package org.devrt.devicemanager.pciids;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.devrt.devicemanager.pciids.PciIdsParser.Tables;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PciIdsTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path fixture;
    private PciIds ids;

    @Before
    public void copyFixture() throws IOException {
        fixture = temp.getRoot().toPath().resolve("pci.ids");
        try (InputStream in = PciIdsTest.class.getResourceAsStream("fixture.ids")) {
            Files.copy(in, fixture, StandardCopyOption.REPLACE_EXISTING);
        }
        ids = PciIds.at(fixture);
    }

    private static Optional<String> name(String text) {
        return Optional.of(text);
    }

    @Test
    public void readsVendorDeviceAndSubsystemNames() {
        assertEquals(name("Intel Corporation"), ids.vendorName(0x8086));
        assertEquals(name("82540EM Gigabit Ethernet Controller"), ids.deviceName(0x8086, 0x100e));
        assertEquals(name("PRO/1000 MT Desktop Adapter"), ids.subsystemName(0x8086, 0x100e, 0x8086, 0x001e));
        assertEquals(name("QEMU Virtual Machine"), ids.subsystemName(0x8086, 0x2922, 0x1af4, 0x1100));
        assertEquals(name("Smart Array 6i"), ids.subsystemName(0x0e11, 0x0046, 0x0e11, 0x4091));
        assertEquals(Optional.empty(), ids.vendorName(0x1234));
        assertEquals(Optional.empty(), ids.deviceName(0x8086, 0xffff));
        assertEquals(Optional.empty(), ids.subsystemName(0x8086, 0x100e, 0x1014, 0x0266));
    }

    @Test
    public void readsTheClassSection() {
        assertEquals(name("Mass storage controller"), ids.className(0x01));
        assertEquals(name("SATA controller"), ids.subclassName(0x01, 0x06));
        assertEquals(name("AHCI 1.0"), ids.progIfName(0x01, 0x06, 0x01));
        assertEquals(name("Ethernet controller"), ids.subclassName(0x02, 0x00));
        assertEquals(name("Unassigned class"), ids.className(0xff));
        assertEquals(Optional.empty(), ids.subclassName(0xff, 0xff));
        assertEquals(Optional.empty(), ids.progIfName(0x02, 0x00, 0x00));
    }

    @Test
    public void aSubsystemFallsBackToAGenericEntryThenToTheDeviceAsLspciDoes() {
        assertEquals("S block", name("Generic subsystem name"), ids.subsystemName(0x1af4, 0x1041, 0x8086, 0x0001));
        assertEquals("subsystem ids equal the device ids", name("Virtio 1.0 network device"),
                ids.subsystemName(0x1af4, 0x1041, 0x1af4, 0x1041));
        assertEquals(Optional.empty(), ids.subsystemName(0x1af4, 0x1041, 0x1af4, 0x1100));
    }

    @Test
    public void ideProgIfBitsAreSpelledOutWhenNotListedAsLspciDoes() {
        assertEquals("listed", name("ISA Compatibility mode controller, supports both channels switched to PCI native "
                + "mode, supports bus mastering"), ids.progIfName(0x01, 0x01, 0x8a));
        assertEquals(name("Master SecO PriO"), ids.progIfName(0x01, 0x01, 0x85));
        assertEquals(name("SecP PriP"), ids.progIfName(0x01, 0x01, 0x0a));
        assertEquals("reserved bits set: no spelling", Optional.empty(), ids.progIfName(0x01, 0x01, 0x10));
        assertEquals("not IDE", Optional.empty(), ids.progIfName(0x01, 0x06, 0x85));
    }

    @Test
    public void skipsMalformedLinesAndWhatIsNestedUnderThem() throws IOException {
        Tables tables = PciIdsParser.parse(Files.newBufferedReader(fixture));
        assertEquals(tables.firstSkipped().toString(), 13, tables.skippedLines());
        assertEquals("line 25: want 'vvvv  vendor name': 'zzzz  Not a vendor'", tables.firstSkipped().get(0));
        assertEquals("line 26: nested under a malformed or missing entry: "
                + "'\\t1234  Orphan device under a broken vendor'", tables.firstSkipped().get(1));

        assertEquals(Optional.empty(), ids.vendorName(0xabcd));
        assertEquals(name("Beef Ltd."), ids.vendorName(0xbeef));
        assertEquals(name("Good device"), ids.deviceName(0xbeef, 0x0001));
        assertEquals(Optional.empty(), ids.deviceName(0xbeef, 0x0002));
        assertEquals("a bad device's subsystems are not filed under the previous device", Optional.empty(),
                ids.subsystemName(0xbeef, 0x0001, 0x0000, 0x0000));
        assertEquals(Optional.empty(), ids.subclassName(0xff, 0x01));
        assertEquals("parsing goes on after broken lines", name("QEMU PCI-PCI bridge"), ids.deviceName(0x1b36, 1));
    }

    @Test
    public void aSubsystemLineRightUnderAVendorIsNotFiledUnderThePreviousVendorsDevice() throws IOException {
        Tables tables = PciIdsParser.parse(new BufferedReader(new StringReader("8086  Intel Corporation\n"
                + "\t100e  82540EM Gigabit Ethernet Controller\n1af4  Red Hat, Inc.\n\t\t1af4 1100  QEMU\n"
                + "C 01  Mass storage controller\n\t\t01  AHCI 1.0\n")));
        assertEquals(2, tables.skippedLines());
        assertEquals(List.of(), List.copyOf(tables.subsystems().values()));
        assertEquals(List.of(), List.copyOf(tables.progIfs().values()));
    }

    @Test
    public void theFirstOfDuplicateEntriesWins() {
        assertEquals(name("Intel Corporation"), ids.vendorName(0x8086));
        assertEquals(name("82540EM Gigabit Ethernet Controller"), ids.deviceName(0x8086, 0x100e));
    }

    @Test
    public void reservedBlocksAndCommentsAreSkippedSilently() throws IOException {
        Tables tables = PciIdsParser.parse(new BufferedReader(new StringReader(
                "# comment\n\t# indented comment\n   \nX 12  Reserved\n\twhatever  skipped\n8086  Intel Corporation\n")));
        assertEquals(0, tables.skippedLines());
        assertEquals(1, tables.vendors().size());
    }

    @Test
    public void dropsOneTrailingBlankAsPciutilsDoes() {
        assertEquals(name("Virtio 1.0 block device"), ids.deviceName(0x1af4, 0x1042));
        assertEquals(name("Virtio 1.0 memory balloon "), ids.deviceName(0x1af4, 0x1045));
        assertEquals("CRLF line ends", name("Red Hat, Inc. (QEMU)"), ids.vendorName(0x1b36));
    }

    @Test
    public void idsOutOfRangeNameNothing() {
        assertEquals(Optional.empty(), ids.vendorName(0x18086));
        assertEquals(Optional.empty(), ids.deviceName(0x8086, -1));
        assertEquals(Optional.empty(), ids.className(0x101));
        assertEquals(Optional.empty(), ids.progIfName(0x01, 0x06, 0x101));
    }

    @Test
    public void theFileIsReadOnTheFirstLookupAndOnlyOnce() throws IOException {
        Path later = temp.getRoot().toPath().resolve("later.ids");
        PciIds lazy = PciIds.at(later);
        Files.writeString(later, "8086  Intel Corporation\n");
        assertEquals(name("Intel Corporation"), lazy.vendorName(0x8086));
        Files.writeString(later, "8086  Changed\n");
        assertEquals(name("Intel Corporation"), lazy.vendorName(0x8086));
    }

    @Test
    public void noFileMeansNoNamesAndNoError() {
        Path missing = temp.getRoot().toPath().resolve("missing.ids");
        assertEquals(Optional.empty(), PciIds.at(missing).vendorName(0x8086));
        PciIds none = PciIds.firstExisting(List.of(missing));
        assertEquals(Optional.empty(), none.file());
        assertEquals(0, none.vendorCount());
        assertEquals(Optional.of(fixture), PciIds.firstExisting(List.of(missing, fixture, missing)).file());
    }

    @Test
    public void garbageNeverThrows() throws IOException {
        Random random = new Random(42);
        String alphabet = "\t\t  C S X#0123456789abcdefxyz\n\n";
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 400; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            PciIdsParser.parse(new BufferedReader(new StringReader(text.toString())));
        }
        byte[] bytes = new byte[4096];
        random.nextBytes(bytes);
        Path binary = temp.getRoot().toPath().resolve("binary.ids");
        Files.write(binary, bytes);
        assertTrue(PciIds.at(binary).vendorCount() >= 0);
    }
}

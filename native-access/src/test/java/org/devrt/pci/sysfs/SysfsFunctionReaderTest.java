package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.devrt.pci.BarInfo;
import org.devrt.pci.BarInfo.Kind;
import org.devrt.pci.ClassCode;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SysfsFunctionReaderTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private SysfsFixture sysfs;
    private final SysfsFunctionReader reader = new SysfsFunctionReader("host");

    @Before
    public void buildTree() {
        sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine().garbledFunction();
    }

    /** The identity fields in one line, so a test states them as lspci -nv would show them. */
    private static String identity(SysfsPciFunction f) {
        ClassCode c = f.classCode();
        return String.format("%04x:%04x sub %04x:%04x rev %02x class %02x.%02x.%02x pin %d irq %d", f.vendorId(),
                f.deviceId(), f.subsystemVendorId(), f.subsystemId(), f.revision(), c.baseClass(), c.subclass(),
                c.progIf(), f.interruptPin(), f.irq());
    }

    private SysfsPciFunction read(String address) {
        return reader.read(sysfs.devicesRoot().resolve(address), PciAddress.parse(address));
    }

    @Test
    public void readsAFunctionWithAFull256ByteConfigAndACapabilityList() {
        SysfsPciFunction ahci = read("0000:00:1f.2");
        assertEquals("host", ahci.busId());
        assertEquals(PciAddress.parse("0000:00:1f.2"), ahci.address());
        assertEquals("8086:2922 sub 1af4:1100 rev 02 class 01.06.01 pin 1 irq 29", identity(ahci));
        assertEquals(List.of(new BarInfo(4, Kind.IO, 0xc040, 0x20, false),
                new BarInfo(5, Kind.MEMORY32, 0xfebd1000L, 0x1000, false)), ahci.bars());
        assertEquals(256, ahci.config().size());
        assertEquals(0x29228086, ahci.config().read32(ConfigSpace.VENDOR_ID));
        assertEquals(0x0507, ahci.config().read16(ConfigSpace.COMMAND));
        assertEquals(List.of(0x05, 0x12), ahci.capabilities());
        assertEquals(Optional.empty(), ahci.serialNumber());
        assertEquals(Optional.of("ahci"), ahci.kernelDriver());
        assertFalse(ahci.isAttachable());
        assertEquals(List.of(), ahci.problems());
        assertEquals("host 0000:00:1f.2 0106: 8086:2922 (rev 02)", ahci.toString());
    }

    @Test
    public void readsAFunctionWhoseConfigIsCutAt64BytesAsANonRootReaderSeesIt() {
        SysfsPciFunction nic = read("0000:00:02.0");
        assertEquals("8086:100e sub 8086:001e rev 03 class 02.00.00 pin 1 irq 11", identity(nic));
        assertEquals(List.of(new BarInfo(0, Kind.MEMORY32, 0xfebc0000L, 0x20000, false),
                new BarInfo(1, Kind.IO, 0xc000, 0x40, false)), nic.bars());
        assertEquals(256, nic.config().size());
        assertEquals(0x100e8086, nic.config().read32(ConfigSpace.VENDOR_ID));
        assertEquals("beyond the 64 visible bytes", 0xffffffff, nic.config().read32(0xdc));
        assertEquals("the list starts beyond the visible bytes", List.of(), nic.capabilities());
        assertEquals(Optional.empty(), nic.serialNumber());
        assertEquals(Optional.of("e1000"), nic.kernelDriver());
        assertEquals("a short config is normal for non-root, not a problem", List.of(), nic.problems());
        assertEquals("host 0000:00:02.0 0200: 8086:100e (rev 03)", nic.toString());
    }

    @Test
    public void readsAPciExpressFunctionButNotItsExtendedConfigSpace() {
        SysfsPciFunction nvme = read("0000:01:00.0");
        assertEquals("144d:a808 sub 144d:a801 rev 00 class 01.08.02 pin 1 irq 16", identity(nvme));
        assertEquals(List.of(new BarInfo(0, Kind.MEMORY64, 0xfe600000L, 0x4000, false)), nvme.bars());
        assertEquals(4096, nvme.config().size());
        assertEquals("the extended space (a serial number at 0x100 here) is left unread: all ones",
                0xffffffff, nvme.config().read32(0x100));
        assertEquals(List.of(0x01, 0x11, 0x10), nvme.capabilities());
        assertEquals(Optional.empty(), nvme.serialNumber());
        assertEquals(Optional.of("nvme"), nvme.kernelDriver());
        assertEquals(List.of(), nvme.problems());
        assertEquals("no (rev 00), as lspci -n", "host 0000:01:00.0 0108: 144d:a808", nvme.toString());
    }

    @Test
    public void aFunctionWithBrokenFilesIsStillReadAndEachProblemNamesItsFile() {
        SysfsPciFunction smbus = read("0000:00:1f.3");
        assertEquals("ids from neither file nor config read as all ones; class from the one good file",
                "ffff:ffff sub 0000:0000 rev ff class 0c.05.00 pin 0 irq 0", identity(smbus));
        assertEquals(List.of(new BarInfo(1, Kind.MEMORY32, 0xfebd3000L, 0x100, false)), smbus.bars());
        assertEquals(List.of(), smbus.capabilities());
        assertEquals(Optional.empty(), smbus.serialNumber());
        assertEquals(Optional.empty(), smbus.kernelDriver());

        Path directory = sysfs.devicesRoot().resolve("0000:00:1f.3");
        List<String> problems = smbus.problems();
        for (String file : List.of("config", "vendor", "device", "subsystem_vendor", "subsystem_device", "revision",
                "irq", "resource line 1", "driver")) {
            assertTrue(file + " in " + problems,
                    problems.stream().anyMatch(p -> p.startsWith(directory.resolve(file) + ": ")));
        }
        assertEquals(problems.toString(), 9, problems.size());
        assertTrue(problems.toString(), problems.contains(directory.resolve("vendor")
                + ": want a hexadecimal number like 0x8086, got '0xzz12'; the value comes from the config space"));
    }

    @Test
    public void aMissingAttributeFileIsTakenFromTheConfigSpace() throws Exception {
        Path ahci = sysfs.devicesRoot().resolve("0000:00:1f.2");
        for (String file : List.of("vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision")) {
            Files.delete(ahci.resolve(file));
        }
        SysfsPciFunction function = read("0000:00:1f.2");
        assertEquals("8086:2922 sub 1af4:1100 rev 02 class 01.06.01 pin 1 irq 29", identity(function));
        assertEquals(6, function.problems().size());
        assertEquals(ahci.resolve("vendor") + ": missing; the value comes from the config space",
                function.problems().get(0));
    }

    @Test
    public void anAttributeOutOfRangeIsAProblem() {
        sysfs.function("0000:00:03.0").ids(0x8086, 0x100e, 0, 0, 0x020000, 0).file("vendor", "0x18086\n");
        SysfsPciFunction function = read("0000:00:03.0");
        assertEquals(0xffff, function.vendorId());
        assertTrue(function.problems().toString(), function.problems().stream()
                .anyMatch(p -> p.contains("vendor: 0x18086 is outside 0x0..0xffff")));
    }
}

package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.devrt.pci.BarInfo;
import org.junit.Test;

public class LspciTest {
    private static final FakeFunction AHCI = FakeFunction.of("00:1f.2", 0x8086, 0x2922, 0x010601).withRevision(2)
            .withSubsystem(0x1af4, 0x1100);

    /** Just enough of pci.ids for the ICH9 AHCI controller. */
    private static final PciNames NAMES = new PciNames() {
        public Optional<String> vendor(int v) { return v == 0x8086 ? Optional.of("Intel Corporation") : v == 0x1af4 ? Optional.of("Red Hat, Inc.") : Optional.empty(); }
        public Optional<String> device(int v, int d) { return d == 0x2922 ? Optional.of("82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode]") : Optional.empty(); }
        public Optional<String> subsystem(int v, int d, int sv, int sd) { return sd == 0x1100 ? Optional.of("QEMU Virtual Machine") : Optional.empty(); }
        public Optional<String> baseClass(int c) { return c == 1 ? Optional.of("Mass storage controller") : Optional.empty(); }
        public Optional<String> subclass(int c, int s) { return c == 1 && s == 6 ? Optional.of("SATA controller") : Optional.empty(); }
        public Optional<String> progIf(int c, int s, int p) { return p == 1 ? Optional.of("AHCI 1.0") : Optional.empty(); }
    };

    @Test
    public void numericLineIsLinuxLspciDashN() {
        assertEquals("00:1f.2 0106: 8086:2922 (rev 02)", new Lspci(NAMES, Lspci.Numbers.NUMBERS, false).line(AHCI, false));
    }

    @Test
    public void namedLinesAreLinuxLspciAndDashNn() {
        assertEquals("00:1f.2 SATA controller: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode] (rev 02)",
                new Lspci(NAMES, Lspci.Numbers.NAMES, false).line(AHCI, false));
        assertEquals("0000:00:1f.2 SATA controller [0106]: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller "
                + "[AHCI mode] [8086:2922] (rev 02) (prog-if 01 [AHCI 1.0])", new Lspci(NAMES, Lspci.Numbers.BOTH, true).line(AHCI, true));
    }

    @Test
    public void unknownNamesFallBackAsLspciDoes() {
        FakeFunction odd = FakeFunction.of("00:05.0", 0x1234, 0x5678, 0xff0000);
        assertEquals("00:05.0 Class ff00: Device 1234:5678", new Lspci(NAMES, Lspci.Numbers.NAMES, false).line(odd, false));
        FakeFunction intel = FakeFunction.of("00:05.0", 0x8086, 0x0001, 0x010000);
        assertEquals("00:05.0 Mass storage controller [0100]: Intel Corporation Device 0001",
                new Lspci(NAMES, Lspci.Numbers.NAMES, false).line(intel, false));
    }

    @Test
    public void subsystemLine() {
        assertEquals("\tSubsystem: Red Hat, Inc. QEMU Virtual Machine\n", new Lspci(NAMES, Lspci.Numbers.NAMES, false).subsystem(AHCI));
        assertEquals("\tSubsystem: 1af4:1100\n", new Lspci(NAMES, Lspci.Numbers.NUMBERS, false).subsystem(AHCI));
        assertEquals("", new Lspci(NAMES, Lspci.Numbers.NAMES, false).subsystem(FakeFunction.of("00:05.0", 1, 2, 0)));
    }

    @Test
    public void barsAndSizesAsLspciPrintsThem() {
        assertEquals("Memory at febf1000 (32-bit, non-prefetchable) [size=4K]",
                Lspci.bar(new BarInfo(5, BarInfo.Kind.MEMORY32, 0xfebf1000L, 4096, false)));
        assertEquals("Memory at 800000000 (64-bit, prefetchable) [size=16M]",
                Lspci.bar(new BarInfo(0, BarInfo.Kind.MEMORY64, 0x8_0000_0000L, 16 << 20, true)));
        assertEquals("I/O ports at c040 [size=32]", Lspci.bar(new BarInfo(4, BarInfo.Kind.IO, 0xc040, 32, false)));
    }

    @Test
    public void slotFilterFollowsLspciDashS() {
        DeviceCommands.SlotFilter f = DeviceCommands.SlotFilter.parse("1f.2");
        assertTrue(f.matches(AHCI));
        assertTrue(DeviceCommands.SlotFilter.parse("00:1f").matches(AHCI));
        assertTrue(DeviceCommands.SlotFilter.parse("0000:00:1f.2").matches(AHCI));
        assertTrue(DeviceCommands.SlotFilter.parse(".2").matches(AHCI));
        assertFalse(DeviceCommands.SlotFilter.parse("00:03").matches(AHCI));
        assertThrows(IllegalArgumentException.class, () -> DeviceCommands.SlotFilter.parse("zz:1f"));
        // "-1" parsed as slot -1 and listed nothing, without a word
        assertEquals("-s: not a slot '-1' (want [[[domain]:]bus]:][slot][.[func]], e.g. 00:1f.2)",
                assertThrows(IllegalArgumentException.class, () -> DeviceCommands.SlotFilter.parse("-1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceCommands.SlotFilter.parse("00:+3"));
    }

    @Test
    public void usageErrorsAreOneLinePlusUsage() {
        String out = DeviceCommands.run(DeviceCommands.LSPCI_USAGE, new String[] {"-x"}, Set.of("-n"), Set.of(), a -> "ran");
        assertTrue(out, out.startsWith("lspci: unknown option -x\nusage: lspci"));
        assertTrue(DeviceCommands.run("usage: x", new String[] {"--help"}, Set.of(), Set.of(), a -> "ran").equals("usage: x"));
        String missing = DeviceCommands.run("usage: why <device>", new String[0], Set.of(), Set.of(), a -> a.operand(0, "device id"));
        assertEquals("why: missing device id\nusage: why <device>", missing);
    }
}

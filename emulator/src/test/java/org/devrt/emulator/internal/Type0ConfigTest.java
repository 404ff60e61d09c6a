package org.devrt.emulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.junit.Test;

/** The type-0 header against PCI Local Bus 3.0, chapter 6, and PCI Bus Power Management 1.2, chapter 3. */
public class Type0ConfigTest {
    private final List<Integer> commandWrites = new ArrayList<>();
    private final Type0Config config = new Type0Config(PciAddress.parse("00:03.0"), TestModel.IDENTITY,
            List.of(BarSpec.memory32(0, 0x1000), BarSpec.memory64(2, 0x4000), BarSpec.io(4, 0x20)),
            commandWrites::add);

    @Test
    public void identityRegistersReadAsDeclared() {
        assertEquals("Vendor ID", 0x8086, config.read16(ConfigSpace.VENDOR_ID));
        assertEquals("Device ID", 0x100e, config.read16(ConfigSpace.DEVICE_ID));
        assertEquals("Vendor and Device ID as one dword", 0x100e8086, config.read32(ConfigSpace.VENDOR_ID));
        assertEquals("Revision ID", 3, config.read8(ConfigSpace.REVISION_ID));
        assertEquals("Class Code", 0x020000, config.read32(ConfigSpace.REVISION_ID) >>> 8);
        assertEquals("Header Type 0, single function", 0, config.read8(ConfigSpace.HEADER_TYPE));
        assertEquals("Subsystem Vendor ID", 0x8086, config.read16(ConfigSpace.SUBSYSTEM_VENDOR_ID));
        assertEquals("Subsystem ID", 0x001e, config.read16(ConfigSpace.SUBSYSTEM_ID));
    }

    @Test
    public void identityRegistersAreReadOnly() {
        for (int offset : new int[] {0x00, 0x08, 0x0c, 0x2c}) {
            int before = config.read32(offset) & (offset == 0x0c ? 0xffffff00 : -1);
            config.write32(offset, 0x5a5a5a5a);
            int after = config.read32(offset) & (offset == 0x0c ? 0xffffff00 : -1);
            assertEquals(String.format("PCI 3.0 6.2.1/6.2.4: dword 0x%02x must be read-only", offset), before, after);
        }
    }

    @Test
    public void unimplementedRegistersReadZeroAndIgnoreWrites() {
        for (int offset : new int[] {0x28, 0x30, 0x38, 0x48, 0xfc}) {
            config.write32(offset, -1);
            assertEquals(String.format("PCI 3.0 6.1: unimplemented 0x%02x must read 0", offset), 0,
                    config.read32(offset));
        }
    }

    @Test
    public void commandKeepsOnlyItsWritableBitsAndTellsTheFunction() {
        config.write16(ConfigSpace.COMMAND, 0xffff);
        int expected = 0x1 | ConfigSpace.COMMAND_MEMORY_SPACE | ConfigSpace.COMMAND_BUS_MASTER | 1 << 6 | 1 << 8
                | ConfigSpace.COMMAND_INTX_DISABLE;
        assertEquals("PCI 3.0 6.2.2: Command bits 0-2, 6, 8 and 10 are writable, the rest reserved",
                expected, config.read16(ConfigSpace.COMMAND));
        assertEquals("the function hears each Command write", List.of(expected), commandWrites);
        config.write8(ConfigSpace.STATUS, 0);
        assertEquals("a write that misses Command is not reported", 1, commandWrites.size());
    }

    @Test
    public void statusHasTheCapabilitiesBitReadOnly() {
        assertTrue("PCI 3.0 6.2.3: Status bit 4 says the capability list is valid",
                (config.read16(ConfigSpace.STATUS) & ConfigSpace.STATUS_CAPABILITIES_LIST) != 0);
        config.write16(ConfigSpace.STATUS, 0xffff);
        assertEquals("writing ones leaves only the read-only bit", ConfigSpace.STATUS_CAPABILITIES_LIST,
                config.read16(ConfigSpace.STATUS));
    }

    @Test
    public void statusErrorBitsAreWriteOneToClear() {
        config.signal(Type0Config.STATUS_RECEIVED_MASTER_ABORT | 1 << 15);
        config.write16(ConfigSpace.STATUS, 0);
        assertEquals("PCI 3.0 6.2.3: writing 0 leaves error bits set",
                0xa000 | ConfigSpace.STATUS_CAPABILITIES_LIST, config.read16(ConfigSpace.STATUS));
        config.write16(ConfigSpace.STATUS, Type0Config.STATUS_RECEIVED_MASTER_ABORT);
        assertEquals("PCI 3.0 6.2.3: writing 1 clears only that bit", 0x8000 | ConfigSpace.STATUS_CAPABILITIES_LIST,
                config.read16(ConfigSpace.STATUS));
        config.write32(ConfigSpace.COMMAND, 0x8000_0000);
        assertEquals("a dword write at Command clears Status too", ConfigSpace.STATUS_CAPABILITIES_LIST,
                config.read16(ConfigSpace.STATUS));
    }

    @Test
    public void interruptStatusFollowsTheLineAndCannotBeWritten() {
        config.setInterruptStatus(true);
        config.write16(ConfigSpace.STATUS, 0xffff);
        assertTrue("PCI 3.0 6.2.3: Status bit 3 reflects INTx#, software cannot clear it",
                (config.read16(ConfigSpace.STATUS) & Type0Config.STATUS_INTERRUPT) != 0);
        config.setInterruptStatus(false);
        assertEquals(0, config.read16(ConfigSpace.STATUS) & Type0Config.STATUS_INTERRUPT);
    }

    @Test
    public void bar32SizeProbeReadsBackTheSizeMaskWithTypeBits() {
        config.write32(ConfigSpace.BAR0, 0xffff_ffff);
        assertEquals("PCI 3.0 6.2.5.1: 4 KiB 32-bit memory BAR reads back ~(size-1), type bits 0", 0xffff_f000,
                config.read32(ConfigSpace.BAR0));
        config.write32(ConfigSpace.BAR0, 0xfebf_1234);
        assertEquals("the base is kept at the size alignment, low bits dropped", 0xfebf_1000,
                config.read32(ConfigSpace.BAR0));
    }

    @Test
    public void bar64SizeProbeSpansTwoRegisters() {
        int bar2 = ConfigSpace.BAR0 + 8;
        config.write32(bar2, 0xffff_ffff);
        config.write32(bar2 + 4, 0xffff_ffff);
        assertEquals("PCI 3.0 6.2.5.1: low half of a 16 KiB 64-bit BAR: mask plus type 10b in bits 2:1",
                0xffff_c004, config.read32(bar2));
        assertEquals("high half: all address bits", 0xffff_ffff, config.read32(bar2 + 4));
        config.write32(bar2, 0x0000_8000);
        config.write32(bar2 + 4, 0x0000_0080);
        BarInfo info = config.bars().get(1);
        assertEquals("the two halves make one 64-bit base", 0x80_0000_8000L, info.address());
        assertEquals(BarInfo.Kind.MEMORY64, info.kind());
        assertEquals(0x4000, info.size());
    }

    @Test
    public void ioBarProbeHasBitZeroSet() {
        int bar4 = ConfigSpace.BAR0 + 16;
        config.write32(bar4, 0xffff_ffff);
        assertEquals("PCI 3.0 6.2.5.1: 32-byte I/O BAR reads back ~(size-1) with bit 0 set", 0xffff_ffe1,
                config.read32(bar4));
    }

    @Test
    public void interruptLineIsWritableAndInterruptPinReadOnly() {
        config.write8(ConfigSpace.INTERRUPT_LINE, 11);
        config.write8(ConfigSpace.INTERRUPT_PIN, 4);
        assertEquals("PCI 3.0 6.2.4: Interrupt Line is read/write", 11, config.read8(ConfigSpace.INTERRUPT_LINE));
        assertEquals("PCI 3.0 6.2.4: Interrupt Pin is read-only (INTA#)", 1, config.read8(ConfigSpace.INTERRUPT_PIN));
    }

    @Test
    public void capabilityListWalkFindsPowerManagement() {
        int pointer = config.read8(ConfigSpace.CAPABILITIES_POINTER);
        assertEquals("PCI 3.0 6.7: the pointer is dword aligned, above the header", 0, pointer & 3);
        assertTrue(pointer >= 0x40);
        assertEquals("first capability is Power Management (id 01h)", 0x01, config.read8(pointer));
        assertEquals("it ends the list", 0, config.read8(pointer + 1));
        assertEquals("PM 1.2 3.2.3: PMC version 011b", 3, config.read16(pointer + 2) & 7);
        assertEquals(List.of(0x01), config.capabilityIds());
    }

    @Test
    public void pmcsrKeepsSupportedPowerStatesOnly() {
        int pmcsr = config.read8(ConfigSpace.CAPABILITIES_POINTER) + 4;
        config.write16(pmcsr, 3);
        assertEquals("D3hot is supported", 3, config.read16(pmcsr) & 3);
        config.write16(pmcsr, 1);
        assertEquals("PM 1.2 3.2.4: a write of unsupported D1 is discarded", 3, config.read16(pmcsr) & 3);
        config.write16(pmcsr, 0);
        assertEquals("back to D0", 0, config.read16(pmcsr) & 3);
    }

    @Test
    public void accessOutsideTheHeaderThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.read32(0x100));
        assertEquals("configuration access of 4 bytes at 0x100 is outside the 256 bytes of 0000:00:03.0's type-0 "
                + "header", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config.write16(0xff, 0));
        assertThrows(IllegalArgumentException.class, () -> config.read8(-1));
    }

    @Test
    public void misalignedAccessThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.read32(0x02));
        assertTrue(e.getMessage(), e.getMessage().contains("not naturally aligned"));
    }

    @Test
    public void anEmptySlotReadsAllOnes() {
        config.remove();
        assertEquals("no device answers: Vendor ID reads 0xffff", 0xffff, config.read16(ConfigSpace.VENDOR_ID));
        assertEquals(-1, config.read32(ConfigSpace.BAR0));
        assertEquals(0, config.command());
    }

    @Test
    public void overlappingBarsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Type0Config(PciAddress.parse("00:03.0"), TestModel.IDENTITY,
                        List.of(BarSpec.memory64(0, 0x1000), BarSpec.memory32(1, 0x1000)), c -> { }));
        assertTrue(e.getMessage(), e.getMessage().contains("BAR register 1"));
    }
}

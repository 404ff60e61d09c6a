package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.devrt.pci.ConfigSpace;
import org.junit.Test;

public class SysfsConfigSpaceTest {
    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    public void readsLittleEndianValues() {
        ConfigSpace config = new SysfsConfigSpace(counting(256), 256);
        assertEquals(0x10, config.read8(0x10));
        assertEquals(0x1110, config.read16(0x10));
        assertEquals(0x13121110, config.read32(0x10));
        assertEquals(0xfffefdfc, config.read32(0xfc));
    }

    @Test
    public void readsBeyondTheVisibleBytesReturnAllOnes() {
        ConfigSpace config = new SysfsConfigSpace(counting(64), 256);
        assertEquals(0x3f3e3d3c, config.read32(0x3c));
        assertEquals(0xffffffff, config.read32(0x40));
        assertEquals(0xffff, config.read16(0xfe));
        assertEquals(0xff, config.read8(0x80));
    }

    @Test
    public void aPartlyVisibleRegisterHasOnesInItsInvisibleBytes() {
        ConfigSpace config = new SysfsConfigSpace(counting(10), 256);
        assertEquals(0xffff0908, config.read32(0x08));
    }

    @Test
    public void sizeIsTheFunctionsRealSizeEvenWhenFewerBytesAreVisible() {
        assertEquals(256, new SysfsConfigSpace(counting(64), 256).size());
        assertEquals(4096, new SysfsConfigSpace(counting(64), 4096).size());
        assertEquals(4096, new SysfsConfigSpace(counting(4096), 4096).size());
        assertEquals(256, SysfsConfigSpace.unreadable().size());
        assertEquals(0xffff, SysfsConfigSpace.unreadable().read16(ConfigSpace.VENDOR_ID));
    }

    @Test
    public void refusesEveryWrite() {
        ConfigSpace config = new SysfsConfigSpace(counting(256), 256);
        assertFalse(config.isWritable());
        for (Runnable write : new Runnable[] {() -> config.write8(ConfigSpace.COMMAND, 0),
                () -> config.write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_BUS_MASTER),
                () -> config.write32(ConfigSpace.BAR0, 0xffffffff)}) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, write::run);
            assertEquals("host PCI config space is read-only", e.getMessage());
        }
        assertEquals(0x0504, config.read16(ConfigSpace.COMMAND));
    }

    @Test
    public void refusesMisalignedAndOutOfRangeOffsets() {
        ConfigSpace config = new SysfsConfigSpace(counting(256), 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.read32(0x02));
        assertTrue(e.getMessage(), e.getMessage().contains("0x2") && e.getMessage().contains("aligned"));
        assertThrows(IllegalArgumentException.class, () -> config.read16(0x03));
        e = assertThrows(IllegalArgumentException.class, () -> config.read8(0x100));
        assertTrue(e.getMessage(), e.getMessage().contains("0x100") && e.getMessage().contains("0xff"));
        assertThrows(IllegalArgumentException.class, () -> config.read8(-1));
    }
}

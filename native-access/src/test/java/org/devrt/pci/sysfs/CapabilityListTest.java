package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;

import org.devrt.pci.sysfs.SysfsFixture.ConfigImage;
import org.junit.Test;

public class CapabilityListTest {
    private static final int CAP_PM = 0x01;
    private static final int CAP_MSI = 0x05;
    private static final int CAP_EXP = 0x10;
    private static final int CAP_MSIX = 0x11;

    /** A 256-byte type-0 header whose STATUS says there is a capability list starting at {@code first}. */
    private static ConfigImage withList(int first) {
        return new ConfigImage(256).put16(0x06, 0x0010).put8(0x34, first);
    }

    private static List<Integer> ids(ConfigImage image) {
        return CapabilityList.capabilityIds(new SysfsConfigSpace(image.bytes, image.bytes.length));
    }

    @Test
    public void walksTheListInListOrder() {
        ConfigImage image = withList(0x50).capability(0x50, CAP_MSIX, 0x40).capability(0x40, CAP_PM, 0x70)
                .capability(0x70, CAP_EXP, 0);
        assertEquals(List.of(CAP_MSIX, CAP_PM, CAP_EXP), ids(image));
    }

    @Test
    public void noListWhenStatusBit4IsClear() {
        ConfigImage image = withList(0x40).put16(0x06, 0).capability(0x40, CAP_PM, 0);
        assertEquals(List.of(), ids(image));
    }

    @Test
    public void aLoopInTheListTerminates() {
        ConfigImage image = withList(0x40).capability(0x40, CAP_PM, 0x50).capability(0x50, CAP_MSI, 0x40);
        assertEquals(List.of(CAP_PM, CAP_MSI), ids(image));
        assertEquals(List.of(CAP_PM), ids(withList(0x40).capability(0x40, CAP_PM, 0x40)));
    }

    @Test
    public void aListThroughEveryDwordEndsWithin48Hops() {
        ConfigImage image = withList(0x40);
        for (int pos = 0x40; pos < 0x100; pos += 4) {
            image.capability(pos, 0x09, pos + 4 < 0x100 ? pos + 4 : 0x40);
        }
        assertEquals(CapabilityList.PCI_FIND_CAP_TTL, ids(image).size());
    }

    @Test
    public void pointersIntoTheHeaderEndTheListAndLowBitsAreIgnored() {
        assertEquals(List.of(CAP_PM), ids(withList(0x40).capability(0x40, CAP_PM, 0x3c)));
        assertEquals(List.of(CAP_PM, CAP_MSI), ids(withList(0x43).capability(0x40, CAP_PM, 0x51)
                .capability(0x50, CAP_MSI, 0)));
    }

    @Test
    public void idFfEndsTheList() {
        assertEquals(List.of(CAP_PM), ids(withList(0x40).capability(0x40, CAP_PM, 0x50).capability(0x50, 0xff, 0x60)
                .capability(0x60, CAP_MSI, 0)));
    }

    @Test
    public void aListPastTheVisibleBytesEndsThere() {
        ConfigImage image = withList(0xdc).capability(0xdc, CAP_PM, 0);
        byte[] nonRootView = java.util.Arrays.copyOf(image.bytes, 64);
        assertEquals(List.of(), CapabilityList.capabilityIds(new SysfsConfigSpace(nonRootView, 256)));
    }

    @Test
    public void aCardBusBridgeKeepsItsPointerAt0x14() {
        ConfigImage image = withList(0x00).put8(0x0e, 0x02).put8(0x14, 0x80).capability(0x80, CAP_PM, 0);
        assertEquals(List.of(CAP_PM), ids(image));
    }

    @Test
    public void findsTheDeviceSerialNumberAndPrintsItAsLspciDoes() {
        ConfigImage image = new ConfigImage(4096).extendedCapability(0x100, 0x0001, 0x148)
                .extendedCapability(0x148, 0x0003, 0).put32(0x14c, 0x44556677).put32(0x150, 0x00112233);
        assertEquals(Optional.of("00-11-22-33-44-55-66-77"),
                CapabilityList.deviceSerialNumber(new SysfsConfigSpace(image.bytes, 4096)));
    }

    @Test
    public void noSerialNumberWhenTheExtendedSpaceIsNotVisible() {
        ConfigImage image = new ConfigImage(4096).extendedCapability(0x100, 0x0003, 0).put32(0x104, 1);
        byte[] first256 = java.util.Arrays.copyOf(image.bytes, 256);
        assertEquals(Optional.empty(), CapabilityList.deviceSerialNumber(new SysfsConfigSpace(first256, 4096)));
        byte[] headerOnly = java.util.Arrays.copyOf(image.bytes, 0x108);
        assertEquals(Optional.empty(), CapabilityList.deviceSerialNumber(new SysfsConfigSpace(headerOnly, 4096)));
    }

    @Test
    public void aLoopInTheExtendedListTerminates() {
        ConfigImage image = new ConfigImage(4096).extendedCapability(0x100, 0x0001, 0x200)
                .extendedCapability(0x200, 0x000b, 0x100);
        assertEquals(-1, CapabilityList.findExtendedCapability(new SysfsConfigSpace(image.bytes, 4096), 0x0003));
    }

    @Test
    public void anEmptyOrAllOnesExtendedHeaderEndsTheList() {
        assertEquals(Optional.empty(), CapabilityList.deviceSerialNumber(new SysfsConfigSpace(new byte[4096], 4096)));
        ConfigImage ones = new ConfigImage(4096).put32(0x100, 0xffffffff);
        assertEquals(Optional.empty(), CapabilityList.deviceSerialNumber(new SysfsConfigSpace(ones.bytes, 4096)));
    }
}

package org.devrt.registry.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.devrt.device.DeviceServiceRecord;
import org.junit.Test;

public class DeviceServiceCommandTest {
    private static final DeviceServiceRecord DISK = new DeviceServiceRecord(42, "block", "org.devrt.device.BlockDevice",
            "pci-0000:00:1f.2/port0", "0000:00:1f.2", "ahci", 7, "devrt.ahci-driver");
    private static final DeviceServiceRecord NIC = new DeviceServiceRecord(43, "network",
            "org.devrt.device.NetworkDevice", "pci-0000:00:03.0/port0", "", "", 8, "devrt.ethernet-driver");

    private final DeviceServiceCommand command = new DeviceServiceCommand();

    {
        command.registry = new ListDeviceServiceRegistry(DISK, NIC);
    }

    @Test
    public void listsEveryServiceAsAnAlignedTable() {
        assertEquals("""
                SERVICE  TYPE     DEVICE                  PCI           DRIVER  BUNDLE
                42       block    pci-0000:00:1f.2/port0  0000:00:1f.2  ahci    devrt.ahci-driver [7]
                43       network  pci-0000:00:03.0/port0  -             -       devrt.ethernet-driver [8]
                """, command.devsvc());
    }

    @Test
    public void aTypeNoServiceHasNamesTheTypesThereAre() {
        assertEquals("no device services of type 'blok' (types now: block, network)\n", command.devsvc("-t", "blok"));
    }

    /** 'devsvc $x' with x unset: Gogo gives a null word; it failed with a NullPointerException. */
    @Test
    public void anUnsetVariableIsLeftOutAsAPosixShellDropsIt() {
        assertEquals(command.devsvc(), command.devsvc((String) null));
        assertEquals(command.devsvc("-t", "network"), command.devsvc("-t", null, "network"));
    }

    @Test
    public void selectsByType() {
        String text = command.devsvc("-t", "network");

        assertTrue(text, text.contains("pci-0000:00:03.0/port0"));
        assertFalse(text, text.contains("pci-0000:00:1f.2/port0"));
    }

    @Test
    public void selectsByDevice() {
        String text = command.devsvc("-d", "pci-0000:00:1f.2/port0");

        assertTrue(text, text.contains("devrt.ahci-driver [7]"));
        assertFalse(text, text.contains("devrt.ethernet-driver"));
    }

    @Test
    public void saysWhenNothingMatches() {
        assertEquals("no device services of type 'gpu' for device 'x'\n", command.devsvc("-t", "gpu", "-d", "x"));
    }

    @Test
    public void helpPrintsUsage() {
        assertEquals(DeviceServiceCommand.USAGE, command.devsvc("-h"));
        assertEquals(DeviceServiceCommand.USAGE, command.devsvc("--help"));
    }

    @Test
    public void anOptionWithoutItsValueIsNamed() {
        assertEquals("devsvc: -t needs a value, e.g. -t block\n" + DeviceServiceCommand.USAGE, command.devsvc("-t"));
    }

    @Test
    public void anUnknownOptionIsNamed() {
        assertEquals("devsvc: unknown option '-x'\n" + DeviceServiceCommand.USAGE, command.devsvc("-x"));
    }

    @Test
    public void anUnexpectedArgumentIsNamed() {
        assertEquals("devsvc: unexpected argument 'block'\n" + DeviceServiceCommand.USAGE, command.devsvc("block"));
    }
}

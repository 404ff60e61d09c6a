package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;

import org.devrt.pci.PciBus;
import org.junit.Test;

/** How every device command answers a wrong argument or a failure: one line that starts with the command's name. */
public class DeviceCommandsTest {
    private static String bind(String... args) {
        return DeviceCommands.run(DeviceCommands.BIND_USAGE, args, Set.of(), Set.of(), 1, a -> {
            throw new IllegalArgumentException("no device '" + a.operands.get(0) + "' ('devices' lists them)");
        });
    }

    @Test
    public void aWrongOperandIsOneLineNamingTheCommand() {
        assertEquals("bind: no device 'nothing' ('devices' lists them)", bind("nothing"));
    }

    /** Gogo passes an unset variable ($nosuch) as null: 'lspci $n' failed with a NullPointerException. */
    @Test
    public void anUnsetVariableIsLeftOutAsAShellDropsIt() {
        assertEquals("bind: missing <device>\n" + DeviceCommands.BIND_USAGE, DeviceCommands.run(DeviceCommands.BIND_USAGE,
                new String[] {null}, Set.of(), Set.of(), 1, a -> {
                    throw new Args.UsageException(a.operands.isEmpty() ? "missing <device>" : "got " + a.operands);
                }));
    }

    private static PciBus bus(String id) {
        return (PciBus) Proxy.newProxyInstance(DeviceCommandsTest.class.getClassLoader(), new Class<?>[] {PciBus.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** With the host's bus disabled, 'lspci -B host' listed the emulated functions at the same addresses. */
    @Test
    public void aBusAskedForByNameIsLookedForEvenWhenThereIsOnlyOne() {
        PciBus emulated = bus("emulated");
        assertEquals(List.of(emulated), DeviceCommands.selectBuses(List.of(emulated), ""));
        assertEquals(List.of(emulated), DeviceCommands.selectBuses(List.of(emulated), "all"));
        assertEquals("no PCI bus 'host' (buses: emulated, or all)", assertThrows(Args.UsageException.class,
                () -> DeviceCommands.selectBuses(List.of(emulated), "host")).getMessage());
    }

    @Test
    public void aReasonOfSeveralLinesIsOneLineInTheTableOfAllDevices() {
        assertEquals("attach failed: CTRL (0x0000) = 0x0 (more: 'devices <device-id>')",
                DeviceCommands.firstLine("attach failed: CTRL (0x0000) = 0x0\nSTATUS (0x0008) = 0x0\n"));
        assertEquals("no driver matches", DeviceCommands.firstLine("no driver matches"));
    }

    @Test
    public void aSurplusArgumentIsOneLineNamingTheCommandThenTheUsage() {
        assertEquals("bind: unexpected argument extra\n" + DeviceCommands.BIND_USAGE, bind("a", "extra"));
    }

    @Test
    public void aFailureIsOneLineNamingTheCommand() {
        assertEquals("rescan: failed: disk on fire", DeviceCommands.run(DeviceCommands.RESCAN_USAGE, new String[0],
            Set.of(), Set.of(), a -> {
                throw new IllegalStateException("disk on fire");
            }));
    }
}

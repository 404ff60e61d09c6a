package org.devrt.emulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.devrt.emulator.internal.net.Switches;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The shell commands answer with text: a result, or one line naming the problem plus usage. */
public class MachineCommandsTest {
    private final Machine machine = Machines.machine();
    private final MachineCommands commands = new MachineCommands();

    private final Switches switches = new Switches();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    public MachineCommandsTest() {
        commands.machine = machine;
        commands.bus = machine;
        commands.switches = switches;
    }

    /** A switch name mistyped in a configuration made a switch of its own, and pings just timed out. */
    @Test
    public void machineListsTheSwitchesAndSaysWhenAPortIsAlone() {
        switches.attach("default", "0000:00:03.0", frame -> { });
        switches.attach("default", "gateway 10.0.2.2", frame -> { });
        switches.attach("defualt", "0000:00:04.0", frame -> { });
        String text = commands.machine();
        assertTrue(text, text.endsWith("""
                virtual switches:
                  default  0000:00:03.0, gateway 10.0.2.2
                  defualt  0000:00:04.0 (alone: what it sends reaches no one; a switch name mistyped?)
                """));
    }

    @Test
    public void anOptionGivenTwiceIsRefused() {
        String text = commands.plug("00:09.0", "generic", "vendor=0x1234", "vendor=0x5678");
        assertTrue(text, text.startsWith("plug: option vendor given twice (0x1234 and 0x5678)\n"));
        assertTrue("nothing plugged", machine.functions().stream().noneMatch(f -> f.toString().contains("00:09.0")));
    }

    /** 'unplug $x' with x unset: Gogo gives a null word, and plug, unplug and machine failed with an NPE. */
    @Test
    public void anUnsetVariableIsLeftOutAsAPosixShellDropsIt() {
        assertEquals(commands.machine(), commands.machine((String) null));
        assertEquals(commands.unplug(), commands.unplug((String) null));
        assertEquals(commands.plug(), commands.plug(null, null));
    }

    @After
    public void shutDown() {
        machine.close();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    @Test
    public void plugAndUnplugReportWhatTheyDid() {
        assertEquals("plugged 0000:00:05.0 generic 8086:0005\n", commands.plug("00:05.0", "generic", "vendor=0x8086"));
        assertEquals(1, machine.functions().size());
        assertEquals("unplugged 0000:00:05.0\n", commands.unplug("0000:00:05.0"));
        commands.plug("00:05.0", "generic");
        assertEquals("unplugged 0000:00:05.0 (orderly: its driver was asked to detach first)\n", commands.unplug("-o", "00:05.0"));
        commands.plug("emulated/0000:00:05.0", "generic");
        assertEquals("the device id as devices shows it", "unplugged 0000:00:05.0\n",
                commands.unplug("emulated/0000:00:05.0"));
        assertTrue(commands.unplug("host/0000:00:05.0"), commands.unplug("host/0000:00:05.0").contains(
                "host/0000:00:05.0 is on the host's bus, which devrt only reads"));
        assertEquals(0, machine.functions().size());
    }

    @Test
    public void machineListsAddressModelIdsAndOptions() {
        commands.plug("00:05.0", "generic", "vendor=0x8086", "bar2size=16");
        String text = commands.machine();
        assertTrue(text, text.startsWith("emulated machine (q35-like), 1 function, 1 MiB DMA memory at 0x100000000"));
        String row = text.lines().filter(l -> l.startsWith("0000:00:05.0")).findFirst().orElse("missing row\n" + text);
        for (String part : new String[] {"generic", "8086:0005", "ff0000", "1af4:1100", "0:mem32@0xc0000000/0x1000",
                "2:io@0x1000/0x10", "bar2size=16 vendor=0x8086"}) {
            assertTrue("'" + part + "' missing in " + row, row.contains(part));
        }
    }

    @Test
    public void anEmptyMachineSaysSo() {
        assertTrue(commands.machine().endsWith("no functions\n"));
    }

    @Test
    public void helpIsTheUsage() {
        assertTrue(commands.plug("--help").startsWith("usage: plug <address> <model> [key=value ...]"));
        assertTrue("plug's help lists the models and their options", commands.plug("-h").contains("bar0size"));
        assertTrue(commands.unplug("--help").startsWith("usage: unplug [-o] <address>"));
        assertTrue(commands.machine("--help").startsWith("usage: machine"));
    }

    @Test
    public void aWrongArgumentIsOneLineNamingItThenUsage() {
        assertEquals("plug: missing <address> and <model>", firstLine(commands.plug()));
        assertEquals("plug: missing <model>", firstLine(commands.plug("00:05.0")));
        assertEquals("plug: option 'vendor' is not key=value",
                firstLine(commands.plug("00:05.0", "generic", "vendor")));
        assertEquals("plug: not a PCI address (want dddd:bb:dd.f, e.g. 0000:00:1f.2): 5", firstLine(
                commands.plug("5", "generic")));
        assertEquals("plug: unknown model 'nic' (models: generic)", firstLine(commands.plug("00:05.0", "nic")));
        assertEquals("unplug: no function at 0000:00:07.0 to unplug", firstLine(commands.unplug("00:07.0")));
        assertEquals("unplug: missing <address>", firstLine(commands.unplug()));
        assertEquals("unplug: missing <address>", firstLine(commands.unplug("-o")));
        assertEquals("unplug: unknown option -x", firstLine(commands.unplug("-x", "00:05.0")));
        assertEquals("machine: not a PCI address (want dddd:bb:dd.f, e.g. 0000:00:1f.2): x",
                firstLine(commands.machine("x")));
        String answer = commands.plug("00:05.0", "generic", "bar0size=3");
        assertTrue(answer, answer.lines().skip(1).findFirst().orElse("").startsWith("usage: plug"));
        assertFalse("no stack trace", answer.contains("\tat "));
    }

    @Test
    public void machineDoesAModelsActionsAsAPersonWouldToTheHardware() {
        Machine withModels = Machines.machine(org.devrt.emulator.internal.ahci.AhciModel.factory(),
                org.devrt.emulator.internal.e1000.E1000Model.factory(switches));
        MachineCommands commands = new MachineCommands();
        commands.machine = withModels;
        commands.bus = withModels;
        commands.switches = switches;
        try {
            actions(commands);
        } finally {
            withModels.close();
        }
    }

    private void actions(MachineCommands commands) {
        commands.plug("00:1f.2", "ahci", "disk0=" + tmp.getRoot().toPath().resolve("d.img"), "size0=1M", "ports=2");
        commands.plug("00:03.0", "e1000", "backend=switch:actions-test");
        assertEquals("0000:00:1f.2: pulled the disk out of port 0\n", commands.machine("00:1f.2", "pull", "0"));
        assertTrue("the listing shows it", commands.machine().contains("port 0: disk pulled out"));
        assertEquals("the disk of port 0 is pulled out already",
                firstLine(commands.machine("00:1f.2", "pull", "0")).replaceFirst(".*: ", ""));
        assertEquals("0000:00:1f.2: connected the disk of port 0\n", commands.machine("00:1f.2", "connect", "0"));
        assertFalse("connected again, nothing to show", commands.machine().contains("pulled out"));
        assertEquals("machine: 0000:00:1f.2: port 1 has no disk (option disk1)",
                firstLine(commands.machine("00:1f.2", "pull", "1")));
        assertEquals("machine: 0000:00:1f.2: port 7 is outside 0..1", firstLine(commands.machine("00:1f.2", "pull",
                "7")));
        assertEquals("machine: 0000:00:1f.2: port 'x' is not a number (0..1)", firstLine(commands.machine("00:1f.2",
                "connect", "x")));
        assertEquals("machine: 0000:00:1f.2: the ahci model has no action 'eject' (pull, connect)",
                firstLine(commands.machine("00:1f.2", "eject", "0")));
        assertEquals("0000:00:03.0: pulled the cable out\n", commands.machine("emulated/0000:00:03.0", "cable", "off"));
        assertTrue("the listing shows it", commands.machine().contains("no link (cable out?)"));
        assertEquals("0000:00:03.0: plugged the cable in\n", commands.machine("00:03.0", "cable", "on"));
        assertFalse(commands.machine().contains("no link"));
        assertEquals("machine: 0000:00:03.0: cable takes on or off", firstLine(commands.machine("00:03.0", "cable")));
        assertEquals("machine: no function at 0000:00:09.0 ('machine' lists them)",
                firstLine(commands.machine("00:09.0", "pull", "0")));
        assertEquals("machine: missing <action> after the address '00:1f.2'", firstLine(commands.machine("00:1f.2")));
        String help = commands.machine("-h");
        assertTrue(help, help.contains("actions of 0000:00:1f.2 (ahci):\n  connect <port>") && help.contains(
                "actions of 0000:00:03.0 (e1000):\n  cable <on|off>"));
    }
}

package org.devrt.itests;

import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.device.DeviceState.NO_DRIVER;
import static org.devrt.itests.DriverBundle.driver;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The device manager's Gogo commands, run in a shell session: lspci, devices, drivers and wrong arguments. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeviceCommandsIT extends DeviceManagerTestSupport {
    static final DriverBundle NIC = driver("itest.nic", "itest-nic").ids(0x1234, 0x0001);
    static final DriverBundle SPARE = driver("itest.spare", "itest-spare").ids(0x1234, 0x0002);
    static final DriverBundle PARTIAL = driver("itest.partial", "itest-partial").ids(0x1234, 0x0003)
            .behaviour("problem");
    /** Its index entry has a version that is not one: the manager skips the entry. */
    static final DriverBundle MALFORMED = driver("itest.malformed", "itest-malformed").version("1.x").ids(0x1234, 0x0004);

    @Override
    protected List<DriverBundle> drivers() {
        return List.of(NIC, SPARE, PARTIAL, MALFORMED);
    }

    @Test
    public void lspciNumericShowsEachPluggedFunctionAsLinuxLspciDoes() throws Exception {
        plug("00:10.0", 0x1234, 0x0001, 0x020000);
        plug("00:11.0", 0x1234, 0x0fff, 0xff0000);

        String all = shell("devrt:lspci -n");
        for (String line : List.of("00:10.0 0200: 1234:0001", "00:11.0 ff00: 1234:0fff")) {
            assertTrue("'lspci -n' has no line '" + line + "':\n" + all, all.lines().anyMatch(line::equals));
        }
        assertEquals("'lspci -n -s 00:10.0'", "00:10.0 0200: 1234:0001", shell("devrt:lspci -n -s 00:10.0").strip());
        // what lspci -s takes names a device for the other commands too: 'why 10.0' said "no device '10.0'"
        assertTrue(shell("devrt:why 10.0"), shell("devrt:why 10.0").contains("emulated/0000:00:10.0"));
    }

    @Test
    public void devicesShowsEachDeviceWithItsStateDriverAndReason() throws Exception {
        String bound = plug("00:10.0", 0x1234, 0x0001, 0x020000);
        String orphan = plug("00:11.0", 0x1234, 0x0fff, 0xff0000);
        awaitState(bound, BOUND);
        DeviceStatus noDriver = awaitState(orphan, NO_DRIVER);
        assertTrue("the reason of a device no driver matches does not give its ids: " + noDriver.reason(),
                noDriver.reason().contains("1234:0fff"));

        String out = shell("devrt:devices");

        assertTrue("'devices' has no header DEVICE STATE DRIVER REASON:\n" + out,
                out.lines().findFirst().orElse("").matches("DEVICE\\s+STATE\\s+DRIVER\\s+REASON"));
        assertTrue("'devices' does not show " + bound + " BOUND to " + NIC.driverId() + ":\n" + out,
                out.lines().anyMatch(l -> l.matches("\\Q" + bound + "\\E\\s+BOUND\\s+" + NIC.driverId() + "\\s*")));
        assertTrue("'devices' does not show " + orphan + " NO_DRIVER with its reason '" + noDriver.reason() + "':\n" + out,
                out.lines().anyMatch(l -> l.matches("\\Q" + orphan + "\\E\\s+NO_DRIVER\\s+-\\s+\\Q" + noDriver.reason() + "\\E")));
        String one = shell("devrt:devices " + orphan);
        assertEquals("'devices " + orphan + "' lines:\n" + one, 2, one.strip().lines().count());
    }

    /** A second unbind said "unbinding" again, as if it did something. */
    @Test
    public void unbindOfADeviceUnboundAlreadySaysSo() throws Exception {
        String id = plug("00:1a.0", 0x1234, 0x0001, 0x020000);
        awaitState(id, BOUND);
        try {
            assertEquals("a bind of a bound device said 'binding' as if it did something",
                    id + " is bound already, to " + NIC.driverId() + " ('unbind " + id + "' detaches it)",
                    shell("devrt:bind " + id).strip());
            assertEquals("unbinding " + id, shell("devrt:unbind " + id).strip());
            awaitState(id, NO_DRIVER);
            String devices = shell("devrt:devices " + id);
            assertTrue("'devices' still names the driver of " + id + ", which has none since the unbind:\n" + devices,
                    devices.lines().anyMatch(l -> l.matches("\\Q" + id + "\\E\\s+NO_DRIVER\\s+-\\s+unbound by the user.*")));
            assertEquals(id + " is unbound already ('bind " + id + "' attaches a driver again)",
                    shell("devrt:unbind " + id).strip());
        } finally {
            shell("devrt:bind " + id); // the decision outlives the device: the next plug at 00:1a.0 would inherit it
        }
        awaitState(id, BOUND);
    }

    /** An AHCI disk that never answered IDENTIFY went missing with its controller BOUND and no word anywhere. */
    @Test
    public void whatADriverCouldNotBringUpIsShownByDevicesAndDiagWhileItIsBound() throws Exception {
        String id = plug("00:12.0", 0x1234, 0x0003, 0xff0000);
        String problem = "test driver itest-partial left unit 1 of " + id + " out";
        DeviceStatus status = awaitState(id, BOUND);
        assertEquals("the bound device's reason", problem, status.reason());
        String devices = shell("devrt:devices");
        assertTrue("'devices' does not show the problem:\n" + devices, devices.lines().anyMatch(l -> l.matches(
                "\\Q" + id + "\\E\\s+BOUND\\s+itest-partial\\s+\\Q" + problem + "\\E")));
        awaitCommand("devrt", "diag", "system");
        List<String> missing = eventually(() -> {
            String text = shellQuietly("devrt:diag devrt.device-manager");
            return text.contains(id + ": " + problem) ? List.of() : List.of(text);
        });
        assertTrue("'diag devrt.device-manager' does not list the problem:\n" + missing, missing.isEmpty());
        String overview = shell("devrt:diag");
        assertTrue("'diag' does not list the problem:\n" + overview, overview.contains(id + ": " + problem));
        String ready = shell("devrt:ready");
        assertTrue("'ready' shows the boot's picture without saying the problems have changed since:\n" + ready,
                ready.contains("\n(at boot; now ") && ready.contains(" reported: 'diag' lists them)"));

        unplug(id);
        List<String> left = eventually(() -> {
            String text = shellQuietly("devrt:diag devrt.device-manager");
            return text.contains(problem) ? List.of(text) : List.of();
        });
        assertTrue("'diag' still lists the problem of a device that is gone:\n" + left, left.isEmpty());
    }

    /** 'drivers' and the log said a repository entry was skipped; 'diag' said nothing was wrong. */
    @Test
    public void aSkippedRepositoryEntryIsAProblemThatDiagShows() throws Exception {
        awaitCommand("devrt", "diag", "system");
        String diag = shell("devrt:diag devrt.device-manager");
        assertTrue("'diag devrt.device-manager' does not name the skipped entry:\n" + diag, diag.lines().anyMatch(
                l -> l.contains("of " + indexFile().toUri()) && l.contains(" skipped: ") && l.contains("1.x")));
    }

    @Test
    public void driversListsTheInstalledAndTheRepositoryDrivers() throws Exception {
        String id = plug("00:10.0", 0x1234, 0x0001, 0x020000);
        awaitState(id, BOUND);
        Bundle nic = installed(NIC);

        String out = shell("devrt:drivers");

        assertTrue("'drivers' does not list " + NIC + " active as bundle " + nic.getBundleId()
                + ", matching 1234:0001, with 1 device:\n" + out, out.lines().anyMatch(l -> l.matches(
                "itest-nic\\s+itest\\.nic\\s+1\\.0\\.0\\s+active \\[" + nic.getBundleId() + "\\]\\s+1234:0001\\s+1")));
        assertTrue("'drivers' does not list " + SPARE + " as available in the repository, matching 1234:0002:\n" + out,
                out.lines().anyMatch(l -> l.matches("itest-spare\\s+itest\\.spare\\s+1\\.0\\.0\\s+available\\s+1234:0002\\s+0")));
        assertTrue("'drivers' does not name the repository " + indexFile() + ":\n" + out,
                out.lines().anyMatch(l -> l.startsWith("repository: ") && l.endsWith(indexFile().toString())));
        assertEquals("'drivers' problems with the test repository (only " + MALFORMED + "'s entry is wrong):\n" + out,
                List.of("  problem: resource 4 of " + indexFile().toUri() + " skipped: invalid version \"1.x\":"
                        + " non-numeric \"x\""), out.lines().filter(l -> l.contains("problem:")).toList());
    }

    @Test
    public void aWrongArgumentGivesOneLineNamingItThenTheUsageAndNoStackTrace() throws Exception {
        plug("00:10.0", 0x1234, 0x0001, 0x020000);
        Map<String, String> wrong = new LinkedHashMap<>(); // command line -> what the first line must name
        wrong.put("devrt:lspci -x", "-x");
        wrong.put("devrt:lspci -s", "-s");
        wrong.put("devrt:lspci -s zz:zz.9", "zz:zz.9");
        wrong.put("devrt:lspci -s 00:99.0", "slot 0x99 is outside 0x0..0x1f"); // printed an empty line
        wrong.put("devrt:lspci -B nosuchbus", "nosuchbus");
        wrong.put("devrt:lspci extra", "extra");
        wrong.put("devrt:devices no/such-device", "no/such-device");
        wrong.put("devrt:why", "device id");
        wrong.put("devrt:why 00:1f.7", "00:1f.7");
        wrong.put("devrt:bind nonexistent", "nonexistent");
        wrong.put("devrt:unbind --bogus", "--bogus");
        wrong.put("devrt:drivers -q", "-q");
        wrong.put("devrt:rescan -q", "-q");
        wrong.put("devrt:drivers unexpected", "unexpected");
        wrong.put("devrt:rescan unexpected", "unexpected");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> c : wrong.entrySet()) {
            String command = c.getKey().split(" ")[0];
            String usage = shell(command + " --help").strip();
            String out = shell(c.getKey()).strip();
            String first = out.lines().findFirst().orElse("");
            if (out.contains("Exception") || out.contains("\tat ")) {
                problems.add(c.getKey() + " -> a stack trace:\n" + out);
            } else if (!first.contains(c.getValue()) || first.startsWith("usage:")) {
                problems.add(c.getKey() + " -> the first line does not name '" + c.getValue() + "':\n" + out);
            } else if (!out.equals(first + "\n" + usage)) {
                problems.add(c.getKey() + " -> not one line and then the usage ('" + command + " --help'):\n" + out);
            }
        }
        assertTrue(problems.size() + " wrong arguments not answered by one line and the usage:\n"
                + String.join("\n", problems), problems.isEmpty());
    }
}

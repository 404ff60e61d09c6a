package org.devrt.itests.nic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;

/**
 * NICs on one virtual switch, each driven by its own instance of the e1000 driver installed from the repository:
 * frames both ways, counters, {@code ip link} and a NIC's pcap capture; then the unplug of one of them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TwoNicsOnOneSwitchIT extends NicTestSupport {
    static final int FRAMES = 32;
    /** An {@code ip link} entry: index, name, flags, MTU, state, then the link/ether line. */
    static final Pattern IP_LINK = Pattern.compile(
            "(?m)^(\\d+): (\\S+): <([^>]*)> mtu (\\d+) state (\\S+)\\R\\s+link/ether (\\S+) brd (\\S+)");

    @Test
    public void twoNicsOnOneSwitchGetTheDriverFromTheRepositoryAndExchangeFramesByteExactBothWays() throws Exception {
        String fabric = switchName("pair");
        Nic a = plugNic("00:11.0", "switch:" + fabric);
        Nic b = plugNic("00:12.0", "switch:" + fabric);

        NetworkDevice portA = awaitPort(a);
        NetworkDevice portB = awaitPort(b);
        assertEquals("installed " + DRIVER_BSN + " bundles\n" + state(), 1, driverBundles().size());
        assertTrue(DRIVER_BSN + " was not installed by the device manager from the repository: "
                + driverBundles().get(0).getLocation(),
                driverBundles().get(0).getLocation().startsWith(REPOSITORY_LOCATION));
        assertEquals("MTU of " + a, 1500, portA.mtu());
        assertEquals("MTU of " + b, 1500, portB.mtu());

        FrameLog rxA = listen(portA);
        FrameLog rxB = listen(portB);
        NetworkCounters beforeA = portA.counters();
        NetworkCounters beforeB = portB.counters();

        String aToB = tag("a>b");
        String bToA = tag("b>a");
        List<byte[]> sentByA = transmitSeries(portA, b.mac(), aToB, FRAMES);
        List<byte[]> sentByB = transmitSeries(portB, a.mac(), bToA, FRAMES);

        assertReceivedExactly("frames " + a + " sent to " + b + ", as " + b + " received them", rxB, aToB, sentByA);
        assertReceivedExactly("frames " + b + " sent to " + a + ", as " + a + " received them", rxA, bToA, sentByB);
        assertEquals("frames " + a + " received that were not " + b + "'s", List.of(),
                rxA.matching(f -> !Frames.isTestFrame(f, bToA)).stream().map(Frames::describe).toList());
        assertEquals("frames " + b + " received that were not " + a + "'s", List.of(),
                rxB.matching(f -> !Frames.isTestFrame(f, aToB)).stream().map(Frames::describe).toList());

        awaitCountersGrewBy("counters of " + a, portA, beforeA,
                new NetworkCounters(FRAMES, bytes(sentByB), 0, 0, FRAMES, bytes(sentByA), 0, 0));
        awaitCountersGrewBy("counters of " + b, portB, beforeB,
                new NetworkCounters(FRAMES, bytes(sentByA), 0, 0, FRAMES, bytes(sentByB), 0, 0));
    }

    @Test
    public void ipLinkListsBothNicsUpWithTheirMacAddresses() throws Exception {
        String fabric = switchName("iplink");
        Nic a = plugNic("00:13.0", "switch:" + fabric);
        Nic b = plugNic("00:14.0", "switch:" + fabric);
        awaitPort(a);
        awaitPort(b);
        awaitCommand("devrt", "ip", "devrt.network");

        String out = shell("devrt:ip link");

        for (Nic nic : List.of(a, b)) {
            Matcher m = IP_LINK.matcher(out);
            String entry = null;
            while (m.find()) {
                if (m.group(6).equals(nic.mac().toString())) {
                    assertNull("two ip link entries with the MAC of " + nic + ":\n" + out, entry);
                    entry = m.group();
                    assertEquals("state of " + nic + " (" + m.group(2) + ") in ip link:\n" + out, "UP", m.group(5));
                    assertTrue("flags of " + nic + " (" + m.group(2) + ") in ip link are not UP,LOWER_UP:\n" + out,
                            List.of(m.group(3).split(",")).containsAll(List.of("UP", "LOWER_UP")));
                    assertEquals("MTU of " + nic + " in ip link:\n" + out, "1500", m.group(4));
                    assertEquals("brd of " + nic + " in ip link:\n" + out, "ff:ff:ff:ff:ff:ff", m.group(7));
                }
            }
            assertTrue("ip link has no entry with link/ether " + nic.mac() + " for " + nic + ":\n" + out + "\n"
                    + state(), entry != null);
        }
        Matcher names = IP_LINK.matcher(out);
        List<String> ours = names.results().filter(r -> r.group(6).equals(a.mac().toString())
                || r.group(6).equals(b.mac().toString())).map(r -> r.group(2)).toList();
        assertNotEquals("the two NICs have one interface name in ip link:\n" + out, ours.get(0), ours.get(1));
    }

    @Test
    public void aNicWithAPcapOptionWritesEveryFrameItSendsAndReceivesToTheCaptureFile() throws Exception {
        String fabric = switchName("pcap");
        Path capture = Path.of(System.getProperty("devrt.itests.dir"), "captures", run, "a.pcap");
        Nic a = plugNic("00:18.0", Map.of("backend", "switch:" + fabric, "mac", macFor("00:18.0").toString(),
                "pcap", capture.toString()));
        Nic b = plugNic("00:19.0", "switch:" + fabric);
        NetworkDevice portA = awaitPort(a);
        NetworkDevice portB = awaitPort(b);
        FrameLog rxA = listen(portA);
        FrameLog rxB = listen(portB);
        String aToB = tag("a>b captured");
        String bToA = tag("b>a captured");
        List<byte[]> sentByA = transmitSeries(portA, b.mac(), aToB, 4);
        assertReceivedExactly("frames " + a + " sent to " + b, rxB, aToB, sentByA);
        List<byte[]> sentByB = transmitSeries(portB, a.mac(), bToA, 4);
        assertReceivedExactly("frames " + b + " sent to " + a, rxA, bToA, sentByB);

        // Written through frame by frame: readable while the NIC runs.
        List<byte[]> captured = Pcap.frames(Files.readAllBytes(capture)).stream()
                .filter(f -> Frames.isTestFrame(f, aToB) || Frames.isTestFrame(f, bToA)).toList();
        List<byte[]> expected = new ArrayList<>(sentByA);
        expected.addAll(sentByB);
        assertEquals("test frames in the capture " + capture + " of " + a + ": "
                + captured.stream().map(Frames::describe).toList(), expected.size(), captured.size());
        for (int i = 0; i < expected.size(); i++) {
            assertNull("frame " + i + " of the capture " + capture + " against the frame sent: "
                    + Frames.describe(captured.get(i)), Frames.firstDifference(expected.get(i), captured.get(i)));
        }
    }

    @Test
    public void unpluggingOneNicRemovesOnlyItsServiceAndTheOthersKeepExchangingFrames() throws Exception {
        String fabric = switchName("unplug");
        Nic a = plugNic("00:15.0", "switch:" + fabric);
        Nic b = plugNic("00:16.0", "switch:" + fabric);
        Nic c = plugNic("00:17.0", "switch:" + fabric);
        NetworkDevice portA = awaitPort(a);
        NetworkDevice portB = awaitPort(b);
        NetworkDevice portC = awaitPort(c);
        Object serviceA = reference(a).getProperty(Constants.SERVICE_ID);
        Object serviceC = reference(c).getProperty(Constants.SERVICE_ID);
        FrameLog rxA = listen(portA);
        FrameLog rxB = listen(portB);
        FrameLog rxC = listen(portC);
        // B is known to the switch (it has sent) before it goes.
        String warmUp = tag("b>a before the unplug");
        assertReceivedExactly("frames " + b + " sent to " + a + " before the unplug", rxA, warmUp,
                transmitSeries(portB, a.mac(), warmUp, 4));

        unplug(b);

        await("the NetworkDevice service of the unplugged " + b + " gone", () -> reference(b) == null);
        await(b.id() + " gone from the inventory", () -> inventory.device(b.id()).isEmpty());
        assertEquals("the NetworkDevice service of " + a + " after the unplug of " + b + "\n" + state(), serviceA,
                reference(a) == null ? null : reference(a).getProperty(Constants.SERVICE_ID));
        assertEquals("the NetworkDevice service of " + c + " after the unplug of " + b + "\n" + state(), serviceC,
                reference(c) == null ? null : reference(c).getProperty(Constants.SERVICE_ID));
        assertTrue(a + " reports link down after the unplug of " + b, portA.isLinkUp());
        int rxBAtUnplug = rxB.size();
        NetworkCounters beforeA = portA.counters();
        NetworkCounters beforeC = portC.counters();

        String toGone = tag("a>b after the unplug");
        String aToC = tag("a>c");
        String cToA = tag("c>a");
        List<byte[]> toUnplugged = transmitSeries(portA, b.mac(), toGone, FRAMES);
        List<byte[]> sentByA = transmitSeries(portA, c.mac(), aToC, FRAMES);
        List<byte[]> sentByC = transmitSeries(portC, a.mac(), cToA, FRAMES);

        assertReceivedExactly("frames " + a + " sent to " + c + " after the unplug of " + b, rxC, aToC, sentByA);
        assertReceivedExactly("frames " + c + " sent to " + a + " after the unplug of " + b, rxA, cToA, sentByC);
        // A's transmissions all left it: those to B's address too, which no one may receive.
        awaitCountersGrewBy("counters of " + a + " (it sent " + FRAMES + " frames to the unplugged " + b + " and "
                + FRAMES + " to " + c + ")", portA, beforeA, new NetworkCounters(FRAMES, bytes(sentByC), 0, 0,
                2 * FRAMES, bytes(toUnplugged) + bytes(sentByA), 0, 0));
        awaitCountersGrewBy("counters of " + c, portC, beforeC,
                new NetworkCounters(FRAMES, bytes(sentByA), 0, 0, FRAMES, bytes(sentByC), 0, 0));
        assertEquals("frames to the unplugged " + b + "'s address that " + c + " received", List.of(),
                rxC.matching(f -> Frames.isTestFrame(f, toGone)).stream().map(Frames::describe).toList());
        assertEquals("frames the unplugged " + b + "'s old receiver got after the unplug", List.of(),
                rxB.since(rxBAtUnplug).stream().map(Frames::describe).toList());

        // Plugged again at its slot: same device id, a new service, and it receives again.
        Nic again = replug(b);
        assertEquals("device id of " + b + " after the re-plug", b.id(), again.id());
        NetworkDevice portB2 = awaitPort(again);
        FrameLog rxB2 = listen(portB2);
        String aToB = tag("a>b after the re-plug");
        assertReceivedExactly("frames " + a + " sent to the re-plugged " + b, rxB2, aToB,
                transmitSeries(portA, b.mac(), aToB, 4));
    }
}

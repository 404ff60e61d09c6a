package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.devrt.emulator.internal.net.VirtualSwitch;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Two NICs on a switch, hot unplug, reset while frames arrive, the UDP link and the capture file. */
public class E1000NetworkTest {
    private static final byte[] A = TestNic.mac("52:54:00:00:00:0a");
    private static final byte[] B = TestNic.mac("52:54:00:00:00:0b");
    private static final byte[] BROADCAST = TestNic.mac("ff:ff:ff:ff:ff:ff");

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();
    private final Nics nics = new Nics();

    @After
    public void shutDown() {
        nics.close();
    }

    @Test
    public void oneNicsTransmitRingReachesTheOthersReceiveRing() throws Exception {
        try (Nics.Tap tap = nics.tap()) {
            TestNic a = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:0a").up(16, 16, RCTL_SECRC);
            TestNic b = nics.plug(Nics.SLOT4, "mac=52:54:00:00:00:0b").up(16, 16, RCTL_SECRC);
            byte[] hello = TestNic.frame(BROADCAST, A, 100);
            a.send(hello);
            assertArrayEquals("a broadcast floods: B has it", hello, b.receive(1000));
            assertArrayEquals("and so has the tap", hello, tap.next(1000));
            byte[] reply = TestNic.frame(A, B, 200);
            b.send(reply);
            assertArrayEquals("the switch learnt A's port: B's reply reaches A", reply, a.receive(1000));
            assertNull("and only A", tap.next(30));
            a.send(TestNic.frame(B, A, 300));
            assertEquals("A to B, learnt from the reply", 314, b.receive(1000).length);
            assertNull(tap.next(30));
            assertEquals("13.7: B counted its good packets", 2, b.get(GPRC));
            assertEquals("13.7: A counted its packets sent", 2, a.get(GPTC));
        }
    }

    @Test
    public void anUnpluggedNicLeavesTheSwitch() throws Exception {
        nics.plug(Nics.SLOT3);
        nics.plug(Nics.SLOT4);
        VirtualSwitch fabric = nics.switches.find("default").orElseThrow();
        assertEquals(List.of("0000:00:03.0", "0000:00:04.0"), fabric.portNames());
        nics.machine.unplug(Nics.SLOT4);
        assertEquals("hot unplug closes the model, which leaves the switch", List.of("0000:00:03.0"),
                fabric.portNames());
    }

    @Test
    public void afterResetNoDmaReachesMemory() throws Exception {
        PciFunction slot = nics.machine.plug(Nics.SLOT3, "e1000", "mac=52:54:00:00:00:0a");
        try (Nics.Tap tap = nics.tap()) {
            PciFunction.AccessGrant grant = slot.grantAccess();
            TestNic nic = new TestNic(grant.function()).up();
            tap.send(TestNic.frame(A, B, 100));
            assertEquals(118, nic.receive(1000).length);
            grant.close();
            for (int i = 0; i < 20; i++) {
                tap.send(TestNic.frame(A, B, 100));
            }
            assertEquals("after the reset the device does no DMA: the bus refused none", 0,
                    nics.machine.dmaFaults(slot));
            TestNic next = new TestNic(slot.grantAccess().function());
            assertEquals("reset: RCTL off", 0, next.get(RCTL));
            assertEquals("reset: no ring", 0, next.get(RDLEN));
            assertEquals("reset: statistics cleared", 0, next.get(TPR));
        }
    }

    @Test
    public void udpLinkRoundTripOnLoopback() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open()) {
            peer.bind(new InetSocketAddress("127.0.0.1", 0));
            int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            TestNic nic = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:0a",
                    "backend=udp:local=127.0.0.1:0,remote=127.0.0.1:" + peerPort).up(16, 16, RCTL_SECRC);
            Matcher m = Pattern.compile("local=127\\.0\\.0\\.1:(\\d+)").matcher(nics.last().backend().description());
            assertTrue(nics.last().backend().description(), m.find());
            peer.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))));

            byte[] out = TestNic.frame(BROADCAST, A, 100);
            nic.send(out);
            ByteBuffer datagram = ByteBuffer.allocate(2048);
            peer.read(datagram);
            assertArrayEquals("one frame per datagram, no header, no FCS", out,
                    Arrays.copyOf(datagram.array(), datagram.position()));

            byte[] in = TestNic.frame(A, B, 28);
            peer.write(ByteBuffer.wrap(in));
            byte[] got = nic.receive(2000);
            assertArrayEquals("a datagram is a frame (padded to 60)", in, Arrays.copyOf(got, in.length));
            assertEquals(60, got.length);
        }
    }

    @Test
    public void theUdpLinkRefusesAnythingButLoopback() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nics.plug(Nics.SLOT3,
                "backend=udp:local=127.0.0.1:0,remote=192.168.1.10:5555"));
        assertTrue(e.getMessage(), e.getMessage().contains("192.168.1.10 is not a loopback address"));
        assertThrows(IllegalArgumentException.class,
                () -> nics.plug(Nics.SLOT3, "backend=udp:local=0.0.0.0:5555,remote=127.0.0.1:5556"));
        assertThrows(IllegalArgumentException.class, () -> nics.plug(Nics.SLOT3, "backend=tap:eth0"));
    }

    @Test
    public void theCaptureHasBothDirections() throws Exception {
        Path file = folder.getRoot().toPath().resolve("capture/nic0.pcap");
        try (Nics.Tap tap = nics.tap()) {
            TestNic nic = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:0a", "pcap=" + file).up(16, 16, RCTL_SECRC);
            byte[] out = TestNic.frame(BROADCAST, A, 100);
            nic.send(out);
            tap.next(1000);
            byte[] in = TestNic.frame(A, B, 50);
            tap.send(in);
            nic.receive(1000);
            nics.machine.unplug(Nics.SLOT3);
            ByteBuffer pcap = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals("libpcap magic", 0xA1B2C3D4, pcap.getInt(0));
            assertEquals("LINKTYPE_ETHERNET", 1, pcap.getInt(20));
            assertEquals("first record: the frame sent", out.length, pcap.getInt(24 + 8));
            assertArrayEquals(out, Arrays.copyOfRange(pcap.array(), 40, 40 + out.length));
            int second = 40 + out.length;
            assertEquals("second record: the frame received", in.length, pcap.getInt(second + 8));
            assertArrayEquals(in, Arrays.copyOfRange(pcap.array(), second + 16, second + 16 + in.length));
            assertEquals("nothing else", second + 16 + in.length, pcap.limit());
        }
    }
}

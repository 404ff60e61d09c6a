package org.devrt.itests.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.devrt.itests.net.LinuxPeer.Result;
import org.devrt.network.UdpSocket;
import org.devrt.pci.PciAddress;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Linux, in a network namespace of the test's own, as devrt's peer on a UDP link (see {@link LinuxPeer}): Linux pings
 * devrt and learns its MAC, devrt pings Linux, both with pings larger than the MTU too (in fragments each way), and
 * UDP datagrams go both ways. Needs root, iproute2, socat and
 * iputils-ping ({@link NeedsLinuxPeer}): skipped without root; without a tool or namespaces, skipped except in CI
 * (CI=true), where that fails.
 */
@RunWith(NeedsLinuxPeer.class)
@ExamReactorStrategy(PerClass.class)
public class LinuxPeerIT extends NetTestSupport {
    static final String ADDRESS = "10.0.2.15";
    static final String CIDR = ADDRESS + "/24";
    static final PciAddress SLOT = PciAddress.parse("00:0c.0");
    static final String MAC = "52:54:00:0c:00:01";
    static final Duration COMMAND = Duration.ofSeconds(30);

    @Test
    public void linuxAndDevrtPingEachOtherAlsoInFragmentsAndUdpDatagramsGoBothWays() throws Exception {
        try (LinuxPeer linux = LinuxPeer.start(logFile().getParent())) {
            configureInterface(MAC, CIDR, LinuxPeer.ADDRESS);
            plugNic(SLOT, Map.of("backend", linux.backend(), "mac", MAC));
            String name = awaitInterfaceUp(SLOT, 1);
            awaitAddress(name, CIDR);

            Result ping = linux.inNamespace(COMMAND, "ping", "-c", "20", "-i", "0.2", "-W", "2", ADDRESS);
            assertTrue("Linux's ping of devrt (exit " + ping.exit() + "):\n" + ping.output() + state() + linux.logsText(),
                    ping.ok() && ping.output().contains("20 packets transmitted, 20 received, 0% packet loss"));
            Result neighbour = linux.inNamespace(COMMAND, "ip", "neigh", "show", ADDRESS);
            assertTrue("Linux's neighbour table has devrt's MAC: " + neighbour.output(),
                    neighbour.output().contains(ADDRESS + " dev ") && neighbour.output().contains("lladdr " + MAC));

            String devrtPing = shell("ping -c 2 " + LinuxPeer.ADDRESS);
            assertTrue(devrtPing + state() + linux.logsText(),
                    devrtPing.contains("2 packets transmitted, 2 received, 0% packet loss"));
            assertTrue(devrtPing, devrtPing.contains("64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time="));

            // Larger than the MTU: Linux's request comes in fragments, and devrt's reply goes in fragments, which
            // Linux must reassemble (devrt reassembled and then dropped the 3028-byte reply it could not send)
            Result large = linux.inNamespace(COMMAND, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "3000", ADDRESS);
            assertTrue("Linux's 3000-byte ping of devrt (exit " + large.exit() + "):\n" + large.output() + state()
                    + linux.logsText(), large.ok() && large.output().contains("3 packets transmitted, 3 received"));
            String devrtLarge = shell("ping -c 2 -s 3000 " + LinuxPeer.ADDRESS);
            assertTrue(devrtLarge + state() + linux.logsText(),
                    devrtLarge.contains("2 packets transmitted, 2 received, 0% packet loss"));
            assertTrue(devrtLarge, devrtLarge.contains("3008 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time="));

            try (UdpSocket socket = udp.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 7001))) {
                Result sent = linux.inNamespace(COMMAND, "sh", "-c",
                        "echo hello from linux | socat -u - UDP4-SENDTO:" + ADDRESS + ":7001");
                assertTrue("socat's send: " + sent.output(), sent.ok());
                ByteBuffer in = ByteBuffer.allocate(200);
                InetSocketAddress from = socket.receive(in, Duration.ofSeconds(10));
                assertEquals("hello from linux\n", new String(in.array(), 0, in.position(), UTF_8));
                assertEquals(LinuxPeer.ADDRESS, from.getAddress().getHostAddress());
            }

            Path heard = linux.spawnInNamespace("listener", "socat", "-u", "UDP4-RECVFROM:7002,bind=" + LinuxPeer.ADDRESS,
                    "STDOUT");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String udpsend = "";
            while (!Files.readString(heard, UTF_8).contains("hello from devrt") && System.nanoTime() < deadline) {
                // until the listener is up: a datagram before that is refused (ICMP port unreachable) and lost
                udpsend = shell("udpsend " + LinuxPeer.ADDRESS + " 7002 hello from devrt");
                Thread.sleep(200);
            }
            assertTrue("what socat in the namespace heard on 10.0.2.2:7002 (devrt's udpsend said '" + udpsend.strip()
                    + "'):\n" + linux.logsText(), Files.readString(heard, UTF_8).contains("hello from devrt"));
            assertTrue(udpsend, udpsend.startsWith("sent 16 bytes to 10.0.2.2:7002 from port "));
        }
    }
}

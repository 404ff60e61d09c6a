package org.devrt.itests.nic;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The e1000 driver against a real Linux peer: a TAP device in a network namespace this test creates and deletes,
 * joined to the NIC's UDP link on 127.0.0.1 by socat ({@link TapPeer}). Needs root and socat, tcpdump, ip and arping
 * (or ping); {@link RealPeerRunner} skips the class without them, or fails it in CI. Traffic stays on 127.0.0.1 and
 * inside the namespace (10.0.2.0/24 on the TAP only).
 */
@RunWith(RealPeerRunner.class)
@ExamReactorStrategy(PerClass.class)
public class RealPeerIT extends NicTestSupport {
    /** The TAP's address in the namespace: locally administered, unicast. */
    static final MacAddress TAP_MAC = MacAddress.parse("02:de:7e:ff:00:01");

    private TapPeer peer;

    @After
    public void deleteTheNamespace() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    public void framesTheDriverTransmitsAreCapturedByTcpdumpInTheNamespaceAndItsKernelAnswersTheArpRequest()
            throws Exception {
        Nic nic = plugToPeer("00:18.0");
        NetworkDevice port = awaitPort(nic);
        FrameLog rx = listen(port);
        peer.up();
        Process tcpdump = peer.start("tcpdump", "-i", peer.tap, "-n", "-U", "-c", "2", "-w", "-",
                "ether src " + nic.mac());
        CompletableFuture<byte[]> capture = readAllBytes(tcpdump.getInputStream());
        StringBuffer tcpdumpSays = readLines(tcpdump.getErrorStream());
        await("tcpdump in the namespace " + peer.namespace + " listening on " + peer.tap + " (it said: " + tcpdumpSays
                + ")", () -> tcpdumpSays.indexOf("listening on") >= 0 || !tcpdump.isAlive());
        assertTrue("tcpdump in the namespace exited before listening: " + tcpdumpSays, tcpdump.isAlive());

        byte[] arpRequest = Frames.arpRequest(nic.mac(), TapPeer.NIC_IP, TapPeer.PEER_IP);
        byte[] toPeer = Frames.testFrame(peer.tapMac, nic.mac(), tag("to the namespace"), 3);
        List<byte[]> sent = List.of(arpRequest, toPeer);
        for (byte[] frame : sent) {
            assertTrue("the driver refused to transmit " + Frames.describe(frame) + "; counters " + port.counters(),
                    port.transmit(ByteBuffer.wrap(frame)));
        }

        if (!tcpdump.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("tcpdump -i " + peer.tap + " in the namespace did not capture the 2 frames the driver sent from "
                    + nic.mac() + " within " + WAIT.toSeconds() + " s; driver counters " + port.counters()
                    + "; tcpdump said: " + tcpdumpSays + "\nsocat's log:\n" + peer.socatLog());
        }
        List<byte[]> captured = Pcap.frames(capture.get(5, TimeUnit.SECONDS));
        assertEquals("frames from " + nic.mac() + " captured by tcpdump in the namespace (it said: " + tcpdumpSays
                + "): " + captured.stream().map(Frames::describe).toList(), sent.size(), captured.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("frame " + i + " as tcpdump captured it in the namespace, against what the driver sent: "
                    + Frames.firstDifference(sent.get(i), captured.get(i)) + "\n  sent     " + Frames.describe(sent.get(i))
                    + "\n  captured " + Frames.describe(captured.get(i)), null,
                    Frames.firstDifference(sent.get(i), captured.get(i)));
        }

        // The namespace's kernel owns 10.0.2.15: its answer comes back through socat, the NIC and the driver.
        awaitFrame("the ARP reply of the namespace's kernel (" + TapPeer.PEER_CIDR + " is-at " + peer.tapMac
                + ") to the driver's request", rx, f -> Frames.source(f).equals(peer.tapMac)
                        && Frames.destination(f).equals(nic.mac())
                        && Frames.isArp(f, Frames.ARP_REPLY, TapPeer.PEER_IP, TapPeer.NIC_IP));
    }

    @Test
    public void anArpRequestSentFromTheNamespaceReachesTheDriversReceivePath() throws Exception {
        Nic nic = plugToPeer("00:19.0");
        NetworkDevice port = awaitPort(nic);
        FrameLog rx = listen(port);
        peer.up();

        // Nothing answers 10.0.2.2 (the test holds the receiver, not the network stack): the tool reports no reply.
        HostTools.Result asked = HostTools.find("arping").isPresent()
                ? peer.exec(Duration.ofSeconds(10), "arping", "-c", "1", "-w", "1", "-I", peer.tap, TapPeer.NIC_ADDRESS)
                : peer.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1", "-I", peer.tap, TapPeer.NIC_ADDRESS);

        awaitFrame("a broadcast ARP request from the namespace (who-has " + TapPeer.NIC_ADDRESS + " tell "
                + TapPeer.PEER_CIDR + ", from " + peer.tapMac + ") after " + asked, rx,
                f -> Frames.source(f).equals(peer.tapMac) && Frames.destination(f).equals(MacAddress.BROADCAST)
                        && Frames.isArp(f, Frames.ARP_REQUEST, TapPeer.PEER_IP, TapPeer.NIC_IP));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Opens the peer (namespace, TAP, socat) and plugs an e1000 at {@code slot} on its UDP link. */
    private Nic plugToPeer(String slot) throws Exception {
        Path logs = Path.of(System.getProperty("devrt.itests.dir"), "realpeer", run);
        peer = TapPeer.open(run, TAP_MAC, logs);
        return plugNic(slot, Map.of("backend", peer.nicBackend(), "mac", macFor(slot).toString()));
    }

    /** Waits until {@code log} has a frame {@code which} accepts; fails naming {@code what} and what came instead. */
    private void awaitFrame(String what, FrameLog log, Predicate<byte[]> which) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (log.matching(which).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("the driver's receiver did not get " + what + " within " + WAIT.toSeconds() + " s; it got "
                        + log.size() + " frames: " + log.all().stream().limit(12).map(Frames::describe).toList()
                        + "\nsocat's log:\n" + peer.socatLog() + "\n" + state());
            }
            Thread.sleep(20);
        }
    }

    private static CompletableFuture<byte[]> readAllBytes(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Collects the lines of {@code in} as they come, on another thread. */
    private static StringBuffer readLines(InputStream in) {
        StringBuffer text = new StringBuffer();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    text.append(line).append('\n');
                }
            } catch (IOException e) {
                text.append("(").append(e).append(")");
            }
        }, "itest tcpdump stderr");
        t.setDaemon(true);
        t.start();
        return text;
    }
}

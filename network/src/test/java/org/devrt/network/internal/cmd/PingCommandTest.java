package org.devrt.network.internal.cmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.stack.StackThread;
import org.devrt.network.internal.testing.StackFixture;
import org.devrt.network.internal.testing.Frames;
import org.devrt.network.internal.wire.Icmp;
import org.devrt.network.internal.wire.Ipv4;
import org.junit.After;
import org.junit.Test;

public class PingCommandTest {
    private final StackThread thread = new StackThread(StackConfig.DEFAULTS);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @After
    public void stop() {
        thread.close();
    }

    private String ping(String... args) {
        thread.start();
        new PingCommand(thread.stack()).run(List.of(args), out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void pingingTheLoopbackPrintsWhatIputilsPrints() {
        String text = ping("-c", "3", "-i", "0.01", "127.0.0.1");
        String[] lines = text.split("\n");
        assertEquals("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.", lines[0]);
        for (int seq = 1; seq <= 3; seq++) {
            assertTrue(lines[seq], lines[seq].matches("64 bytes from 127\\.0\\.0\\.1: icmp_seq=" + seq
                    + " ttl=64 time=\\d+\\.\\d+ ms"));
        }
        assertEquals("", lines[4]);
        assertEquals("--- 127.0.0.1 ping statistics ---", lines[5]);
        assertTrue(lines[6], lines[6].matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"));
        assertTrue(lines[7], lines[7].matches("rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms"));
        assertEquals(8, lines.length);
    }

    /** iputils waits twice the longest round trip once replies came (-W is for when none did): the last was lost. */
    @Test
    public void withNoLingerTheLastReplyIsStillWaitedForOnceRepliesCame() {
        String text = ping("-c", "3", "-i", "0.05", "-W", "0", "127.0.0.1");
        assertTrue(text, text.contains("3 packets transmitted, 3 received, 0% packet loss"));
    }

    /** As iputils: its connect() fails before the header; devrt printed the header, then "sendmsg". */
    @Test
    public void aPingThatCannotStartSaysWhyAloneWithStatus2() {
        thread.start();
        assertEquals(2, new PingCommand(thread.stack()).run(List.of("-c", "2", "-i", "0.01", "10.9.9.9"), out));
        assertEquals("ping: connect: Network is unreachable\n", bytes.toString(StandardCharsets.UTF_8));
    }

    /** ping stopped at the first failed send (NIC unplugged mid-run) and its summary said 0% loss. */
    @Test(timeout = 20000)
    public void aSendThatFailsMidRunIsCountedAndTheRunGoesOn() throws Exception {
        StackFixture f = new StackFixture();
        Thread unplug = new Thread(() -> {
            if (awaitArpFor(f, "10.0.2.5")) { // the first request went out (it waits for ARP)
                f.stack.removeInterface("eth0", "unplugged");
            }
        });
        unplug.start();
        new PingCommand(f.stack).run(List.of("-c", "6", "-i", "0.1", "-W", "0.05", "10.0.2.5"), out);
        unplug.join();
        String text = bytes.toString(StandardCharsets.UTF_8);
        long failed = text.lines().filter(l -> l.equals("ping: sendmsg: Network is unreachable")).count();
        java.util.regex.Matcher summary = java.util.regex.Pattern.compile(
                "6 packets transmitted, 0 received, \\+(\\d) errors, 100% packet loss, time \\d+ms").matcher(text);
        assertTrue(text, summary.find());
        assertTrue("the requests after the unplug failed:\n" + text, failed >= 1 && failed <= 5);
        assertEquals("each failed send is an error of the summary", failed, Long.parseLong(summary.group(1)));
        assertTrue("no rtt line without a reply:\n" + text, !text.contains("rtt"));
    }

    /** As iputils: a broadcast is pinged only with -b (every host of the network answers it). */
    @Test
    public void aBroadcastAddressIsPingedOnlyWithB() {
        StackFixture f = new StackFixture();
        for (String to : List.of("10.0.2.255", "255.255.255.255")) {
            bytes.reset();
            assertEquals(2, new PingCommand(f.stack).run(List.of("-c", "1", to), out));
            assertEquals("ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n",
                    bytes.toString(StandardCharsets.UTF_8));
        }
        assertEquals("nothing sent without -b", List.of(), f.sent());
        bytes.reset();
        new PingCommand(f.stack).run(List.of("-b", "-c", "1", "-W", "0.05", "10.0.2.255"), out);
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8).startsWith(
                "WARNING: pinging broadcast address\nPING 10.0.2.255 (10.0.2.255) 56(84) bytes of data.\n"));
        assertTrue("the request went to every host", Frames.ethernet(f.sent().get(0)).destinationIsBroadcast());
    }

    /** As iputils: a reply whose data is not the request's names the first wrong byte (a garbling NIC or driver). */
    @Test(timeout = 20000)
    public void aReplyWithOtherDataThanTheRequestsNamesTheFirstWrongByte() throws Exception {
        StackFixture f = new StackFixture();
        f.resolvePeer();
        f.sent();
        Thread peer = new Thread(() -> {
            for (int answered = 0; answered < 2; ) {
                for (byte[] frame : f.tap.takeSent()) {
                    Icmp.Packet request = Frames.icmpOf(frame);
                    byte[] data = new byte[request.dataLength()];
                    request.buffer().get(request.dataOffset(), data);
                    if (answered == 1) {
                        data[20] ^= 0x40; // the second reply comes back garbled
                    }
                    byte[] icmp = Frames.icmpMessage(Icmp.Repr.echoReply(request.identifier(), request.sequence(),
                            data.length), data);
                    f.receive(Frames.ipv4(Frames.PEER_MAC, Frames.OUR_MAC,
                            Ipv4.Repr.of(Frames.PEER, Frames.US, Ipv4.Protocol.ICMP, 64, icmp.length), icmp));
                    answered++;
                }
                Thread.onSpinWait();
            }
        });
        peer.start();
        new PingCommand(f.stack).run(List.of("-c", "2", "-i", "0.05", "-W", "2", "10.0.2.2"), out);
        peer.join();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[1], lines[1].startsWith("64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time="));
        assertTrue(lines[2], lines[2].startsWith("64 bytes from 10.0.2.2: icmp_seq=2 ttl=64 time="));
        assertEquals("wrong data byte #20 should be 0x14 but was 0x54", lines[3]);
        assertEquals("", lines[4]);
    }

    /** A ping running when the network bundle stopped went on for ever: "sendmsg: Network is unreachable" each time. */
    @Test(timeout = 20000)
    public void aPingWhoseStackStopsEndsWithItsStatistics() throws Exception {
        thread.start();
        Thread stop = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            thread.stack().closeSockets("the network stack stopped");
        });
        stop.start();
        int status = new PingCommand(thread.stack()).run(List.of("-i", "0.05", "127.0.0.1"), out);
        stop.join();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("\nping: the network stack stopped\n\n--- 127.0.0.1 ping statistics ---\n"));
        assertTrue(text, text.matches("(?s).*\\d+ packets transmitted, \\d+ received, [\\d.]+% packet loss.*"));
        assertEquals("replies came before the stop", 0, status);
    }

    @Test
    public void aWrongLineGoesToStandardError() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        thread.start();
        assertEquals(2, new PingCommand(thread.stack()).run(List.of("-c", "x", "127.0.0.1"), out,
                new PrintStream(errors, true, StandardCharsets.UTF_8)));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertTrue(errors.toString(StandardCharsets.UTF_8).startsWith("ping: invalid argument: 'x'\nusage: ping"));
    }

    /** An on-link address nobody answers ARP for: Linux's ping prints Destination Host Unreachable; ours nothing. */
    @Test(timeout = 20000)
    public void anAddressNobodyAnswersArpForIsDestinationHostUnreachable() throws Exception {
        StackFixture f = new StackFixture();
        Thread arpGivesUp = new Thread(() -> {
            if (!awaitArpFor(f, "10.0.2.5")) { // the request waits for ARP
                return;
            }
            for (int i = 0; i < 10; i++) { // the stack's clock: past every ARP retransmission
                f.clock.advanceMillis(1000);
                f.poll();
            }
        });
        arpGivesUp.start();
        new PingCommand(f.stack).run(List.of("-c", "1", "-W", "2", "10.0.2.5"), out);
        arpGivesUp.join();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("\nFrom 10.0.2.15 icmp_seq=1 Destination Host Unreachable\n"));
        assertTrue(text, text.contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss"));
    }

    /** Waits (up to 5 s) until the stack asks ARP for {@code address}: ping's request is queued for it. */
    private static boolean awaitArpFor(StackFixture f, String address) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            if (f.stack.neighbours().stream().anyMatch(n -> n.address().toString().equals(address))) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    @Test
    public void wrongArgumentsGetOneLineAndTheUsage() {
        assertTrue(ping("-c", "x", "127.0.0.1").startsWith("ping: invalid argument: 'x'\nusage: ping"));
        bytes.reset();
        assertTrue(ping().startsWith("ping: usage error: Destination address required\n"));
        bytes.reset();
        assertTrue(ping("example.org").startsWith("ping: example.org: Name or service not known"));
        bytes.reset();
        assertTrue(ping("-i", "0", "127.0.0.1").startsWith("ping: bad timing interval: 0"));
    }

    @Test
    public void timesArePrintedWithIputilsPrecision() {
        assertEquals("0.045", PingCommand.replyTime(45));
        assertEquals("1.23", PingCommand.replyTime(1234));
        assertEquals("12.3", PingCommand.replyTime(12345));
        assertEquals("123", PingCommand.replyTime(123456));
        assertEquals("2.005", PingCommand.millis(2005));
    }

    @Test
    public void lossIsPrintedLikeCsPercentG() {
        assertEquals("0", PingCommand.percent(0));
        assertEquals("100", PingCommand.percent(100));
        assertEquals("33.3333", PingCommand.percent(100.0 / 3));
        assertEquals("66.6667", PingCommand.percent(200.0 / 3));
        assertEquals("50", PingCommand.percent(50));
    }

    @Test
    public void icmpErrorsAreNamedAsIputilsNamesThem() {
        assertEquals("Destination Port Unreachable",
                PingCommand.error(Icmp.Type.DESTINATION_UNREACHABLE.value(), Icmp.PORT_UNREACHABLE));
        assertEquals("Destination Host Unreachable",
                PingCommand.error(Icmp.Type.DESTINATION_UNREACHABLE.value(), Icmp.HOST_UNREACHABLE));
        assertEquals("Frag reassembly time exceeded",
                PingCommand.error(Icmp.Type.TIME_EXCEEDED.value(), Icmp.REASSEMBLY_TIME_EXCEEDED));
    }
}

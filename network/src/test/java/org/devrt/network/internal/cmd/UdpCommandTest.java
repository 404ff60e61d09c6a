package org.devrt.network.internal.cmd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.devrt.network.UdpService;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.stack.StackThread;
import org.devrt.network.internal.wire.Ipv4Address;
import org.junit.After;
import org.junit.Test;

public class UdpCommandTest {
    private final StackThread thread = new StackThread(StackConfig.DEFAULTS);
    private final UdpService udp = local -> thread.stack().bindUdp(
            local.getAddress().isAnyLocalAddress() ? 0 : Ipv4Address.of(local.getAddress()).value(), local.getPort());
    private final UdpCommand command = new UdpCommand(udp);

    @After
    public void stop() {
        thread.close();
    }

    @Test
    public void whatUdpsendSendsUdplistenPrints() throws Exception {
        thread.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(
                () -> command.listen(List.of("-w", "10", "7777", "2"), out));
        while (!bytes.toString(StandardCharsets.UTF_8).startsWith("listening")) {
            Thread.sleep(5);
        }
        String sent = command.send(List.of("127.0.0.1", "7777", "hello", "devrt"));
        assertTrue(sent, sent.matches("sent 11 bytes to 127\\.0\\.0\\.1:7777 from port \\d+"));
        command.send(List.of("127.0.0.1", "7777", "again"));
        assertEquals(2, (int) listening.get(10, TimeUnit.SECONDS));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("listening on 0.0.0.0:7777", lines[0]);
        assertTrue(lines[1], lines[1].matches("from 127\\.0\\.0\\.1:\\d+: hello devrt"));
        assertTrue(lines[2], lines[2].matches("from 127\\.0\\.0\\.1:\\d+: again"));
    }

    @Test(timeout = 10000)
    public void textAfterDoubleDashIsSentAsItIsAndUdplistenWaitsFractionsOfSeconds() throws Exception {
        thread.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(
                () -> command.listen(List.of("-w", "2.5", "7778"), out));
        while (!bytes.toString(StandardCharsets.UTF_8).startsWith("listening")) {
            Thread.sleep(5);
        }
        assertTrue(command.send(List.of("127.0.0.1", "7778", "--", "-x", "--help")).startsWith("sent 9 bytes"));
        assertEquals(1, (int) listening.get(5, TimeUnit.SECONDS));
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8)
                .matches("(?s)listening on 0\\.0\\.0\\.0:7778\nfrom 127\\.0\\.0\\.1:\\d+: -x --help\n"));

        bytes.reset();
        long start = System.nanoTime();
        assertEquals(0, command.listen(List.of("-w", "0.2", "7778"), out));
        assertTrue("-w 0.2 waited " + (System.nanoTime() - start) / 1_000_000 + " ms",
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("udplisten: nothing for 0.2 s\n"));
    }

    @Test(timeout = 10000)
    public void udplistensErrorsGoToStandardErrorAndNameThePort() throws Exception {
        thread.start();
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        try (var taken = udp.bind(7779)) {
            assertEquals(0, command.listen(List.of("-w", "1", "7779"), out, err));
        }
        assertEquals(0, command.listen(List.of("0"), out, err));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
        assertEquals("udplisten: port 7779: Address already in use\nudplisten: not a positive number: 0\n"
                + UdpCommand.LISTEN_USAGE + "\n", errBytes.toString(StandardCharsets.UTF_8));
    }

    /** As Linux's sendto without SO_BROADCAST: refused, and -b (as ping's) allows it. */
    @Test(timeout = 10000)
    public void udpsendToABroadcastAddressNeedsMinusB() throws Exception {
        thread.start();
        assertEquals("udpsend: Permission denied: 127.255.255.255 is a broadcast address, and the socket is not allowed"
                + " to send to one (setBroadcast, SO_BROADCAST)", command.send(List.of("127.255.255.255", "7780", "x")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> listening = CompletableFuture.supplyAsync(
                () -> command.listen(List.of("-w", "5", "7780"), out));
        while (!bytes.toString(StandardCharsets.UTF_8).startsWith("listening")) {
            Thread.sleep(5);
        }
        String sent = command.send(List.of("-b", "127.255.255.255", "7780", "to", "all"));
        assertTrue(sent, sent.startsWith("sent 6 bytes to 127.255.255.255:7780 from port "));
        assertEquals("datagrams udplisten printed:\n" + bytes + "\nstack counters: " + thread.stack().counters(), 1, (int) listening.get(5, TimeUnit.SECONDS));
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8)
                .contains("from 127.0.0.1:")); // not from the broadcast address, which is no source
        assertTrue(bytes.toString(StandardCharsets.UTF_8), bytes.toString(StandardCharsets.UTF_8).contains(": to all"));
    }

    @Test
    public void wrongArgumentsGetOneLineAndTheUsage() {
        assertEquals("udpsend: ADDRESS, PORT and TEXT needed\n" + UdpCommand.SEND_USAGE, command.send(List.of("1.2.3.4")));
        assertTrue(command.send(List.of("1.2.3.4", "99999", "x")).startsWith("udpsend: port 99999 is not 1 to 65535\n"));
        assertEquals("udpsend: Network is unreachable", command.send(List.of("1.2.3.4", "9", "x")));
    }
}

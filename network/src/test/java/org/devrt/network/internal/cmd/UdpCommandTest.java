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

    @Test
    public void wrongArgumentsGetOneLineAndTheUsage() {
        assertEquals("udpsend: ADDRESS, PORT and TEXT needed\n" + UdpCommand.SEND_USAGE, command.send(List.of("1.2.3.4")));
        assertTrue(command.send(List.of("1.2.3.4", "99999", "x")).startsWith("udpsend: port 99999 is not 1 to 65535\n"));
        assertEquals("udpsend: Network is unreachable", command.send(List.of("1.2.3.4", "9", "x")));
    }
}

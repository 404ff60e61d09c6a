package org.devrt.emulator.internal.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The UDP link on 127.0.0.1 with ephemeral ports, against a plain datagram socket as the peer. */
public class UdpBackendTest {
    private final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Boolean> links = new LinkedBlockingQueue<>();
    private DatagramChannel peer;
    private UdpBackend link;

    @Before
    public void setUp() throws Exception {
        peer = DatagramChannel.open();
        peer.bind(new InetSocketAddress("127.0.0.1", 0));
        int peerPort = ((InetSocketAddress) peer.getLocalAddress()).getPort();
        link = UdpBackend.open("local=127.0.0.1:0,remote=127.0.0.1:" + peerPort, "test");
        peer.connect(link.localAddress());
        link.start(new Backend.Listener() {
            @Override
            public void receive(ByteBuffer frame) {
                byte[] copy = new byte[frame.remaining()];
                frame.get(copy);
                frames.add(copy);
            }

            @Override
            public void linkChanged(boolean up) {
                links.add(up);
            }
        });
    }

    @After
    public void tearDown() throws Exception {
        link.close();
        peer.close();
    }

    @Test
    public void framesGoBothWaysOneDatagramEach() throws Exception {
        assertEquals("the link is up once started", Boolean.TRUE, links.poll(1, TimeUnit.SECONDS));
        byte[] out = VirtualSwitchTest.frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a");
        ByteBuffer buffer = ByteBuffer.wrap(out);
        link.send(buffer);
        assertEquals("the sender's buffer is left as it was", 0, buffer.position());
        ByteBuffer datagram = ByteBuffer.allocate(2048);
        peer.read(datagram);
        assertArrayEquals("QEMU dgram framing: the datagram is the frame", out,
                Arrays.copyOf(datagram.array(), datagram.position()));
        byte[] in = VirtualSwitchTest.frame("52:54:00:00:00:0a", "52:54:00:00:00:0b");
        peer.write(ByteBuffer.wrap(in));
        assertArrayEquals(in, frames.poll(2, TimeUnit.SECONDS));
        assertEquals(1, link.counters().sentFrames());
        assertEquals(1, link.counters().receivedFrames());
        assertTrue(link.description(), link.description().startsWith("udp:local=127.0.0.1:"));
    }

    @Test
    public void aPulledCableDropsBothWays() throws Exception {
        links.poll(1, TimeUnit.SECONDS);
        link.setCableConnected(false);
        assertEquals(Boolean.FALSE, links.poll(1, TimeUnit.SECONDS));
        assertFalse(link.isLinkUp());
        link.send(ByteBuffer.wrap(new byte[60]));
        peer.write(ByteBuffer.wrap(new byte[60]));
        assertNull("nothing is delivered while the cable is out", frames.poll(100, TimeUnit.MILLISECONDS));
        assertEquals("both counted as dropped", 2, link.counters().droppedFrames());
        link.setCableConnected(true);
        assertEquals(Boolean.TRUE, links.poll(1, TimeUnit.SECONDS));
    }

    @Test
    public void closingStopsTheReaderAndTheLink() throws Exception {
        link.close();
        assertFalse(link.isLinkUp());
        peer.write(ByteBuffer.wrap(new byte[60]));
        assertNull(frames.poll(50, TimeUnit.MILLISECONDS));
        link.close();
    }

    @Test
    public void onlyLoopbackAddressesAreAccepted() {
        assertEquals("127.0.0.1", UdpBackend.loopback("local", "localhost:1", false).getAddress().getHostAddress());
        assertNotNull(UdpBackend.loopback("local", "127.1.2.3:1", false));
        for (String address : new String[] {"10.0.0.1:5555", "0.0.0.0:5555", "192.168.1.1:5555", "example.com:5555",
            "[::1]:5555", "127.0.0.1.1:5555", "1.2.3.4:5555"}) {
            IllegalArgumentException e = assertThrows(address, IllegalArgumentException.class,
                    () -> UdpBackend.loopback("remote", address, false));
            assertTrue(e.getMessage(), e.getMessage().contains("is not a loopback address"));
        }
        assertThrows(IllegalArgumentException.class, () -> UdpBackend.loopback("remote", "127.0.0.1:0", false));
        assertThrows(IllegalArgumentException.class, () -> UdpBackend.loopback("remote", "127.0.0.1:65536", true));
        assertThrows(IllegalArgumentException.class, () -> UdpBackend.loopback("remote", "127.0.0.1", true));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> UdpBackend.open("local=127.0.0.1:0", "test"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("needs remote="));
        assertThrows(IllegalArgumentException.class, () -> UdpBackend.open("remote=127.0.0.1:9,peer=x", "test"));
    }
}

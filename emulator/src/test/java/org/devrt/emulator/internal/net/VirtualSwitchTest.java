package org.devrt.emulator.internal.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** Learning, forwarding, flooding and ports that come and go. */
public class VirtualSwitchTest {
    private static final String A = "52:54:00:00:00:0a";
    private static final String B = "52:54:00:00:00:0b";
    private static final String C = "52:54:00:00:00:0c";

    private final Switches switches = new Switches();
    private final VirtualSwitch fabric = switches.get("lan");

    /** An endpoint that keeps copies of what it receives. */
    private static final class Endpoint implements FrameSink {
        final List<byte[]> frames = new ArrayList<>();
        SwitchPort port;

        @Override
        public void receive(ByteBuffer frame) {
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            frames.add(copy);
        }

        byte[] last() {
            return frames.isEmpty() ? null : frames.get(frames.size() - 1);
        }
    }

    private Endpoint attach(String name) {
        Endpoint e = new Endpoint();
        e.port = fabric.attach(name, e);
        return e;
    }

    static byte[] frame(String destination, String source) {
        byte[] f = new byte[60];
        System.arraycopy(org.devrt.device.MacAddress.parse(destination).toBytes(), 0, f, 0, 6);
        System.arraycopy(org.devrt.device.MacAddress.parse(source).toBytes(), 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        return f;
    }

    @Test
    public void unknownUnicastIsFloodedThenLearntAddressesAreForwarded() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        Endpoint c = attach("c");
        byte[] toB = frame(B, A);
        a.port.send(ByteBuffer.wrap(toB));
        assertArrayEquals("B is unknown: flooded to B", toB, b.last());
        assertArrayEquals("and to C", toB, c.last());
        assertTrue("not back to the sender", a.frames.isEmpty());
        byte[] toA = frame(A, B);
        b.port.send(ByteBuffer.wrap(toA));
        assertArrayEquals("A was learnt from its frame: forwarded to A", toA, a.last());
        assertEquals("C did not see it", 1, c.frames.size());
        a.port.send(ByteBuffer.wrap(frame(B, A)));
        assertEquals("B is learnt now", 1, c.frames.size());
        assertEquals(2, b.frames.size());
        assertEquals(2, fabric.learntAddresses());
        assertEquals(2, fabric.forwardedFrames());
        assertEquals(1, fabric.floodedFrames());
    }

    @Test
    public void broadcastAndMulticastAreFlooded() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        Endpoint c = attach("c");
        a.port.send(ByteBuffer.wrap(frame("ff:ff:ff:ff:ff:ff", A)));
        a.port.send(ByteBuffer.wrap(frame("01:00:5e:00:00:01", A)));
        assertEquals("broadcast and multicast reach B", 2, b.frames.size());
        assertEquals("and C", 2, c.frames.size());
    }

    @Test
    public void aGroupSourceIsNotLearnt() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        a.port.send(ByteBuffer.wrap(frame(B, "01:00:5e:00:00:01")));
        assertEquals(0, fabric.learntAddresses());
        assertEquals(1, b.frames.size());
    }

    @Test
    public void aFrameToItsOwnPortIsDropped() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        a.port.send(ByteBuffer.wrap(frame(B, A)));
        a.port.send(ByteBuffer.wrap(frame(A, C)));
        assertEquals("A and C were learnt on A's port", 2, fabric.learntAddresses());
        assertEquals("a frame for the port it came from goes nowhere", 1, fabric.droppedFrames());
        assertEquals("B saw only the flooded one", 1, b.frames.size());
    }

    @Test
    public void aPortThatLeavesIsForgotten() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        Endpoint c = attach("c");
        b.port.send(ByteBuffer.wrap(frame(A, B)));
        assertEquals("A is unknown: flooded to C as well", 1, c.frames.size());
        b.port.close();
        assertEquals(List.of("a", "c"), fabric.portNames());
        a.port.send(ByteBuffer.wrap(frame(B, A)));
        assertEquals("B's address was forgotten: flooded to C", 2, c.frames.size());
        assertEquals("nothing reaches a closed port", 0, b.frames.size());
        int before = a.frames.size();
        b.port.send(ByteBuffer.wrap(frame(A, B)));
        assertEquals("a closed port sends nothing", before, a.frames.size());
        b.port.close();
        Endpoint again = attach("b");
        a.port.send(ByteBuffer.wrap(frame(B, A)));
        assertEquals("a new port of the same name works", 1, again.frames.size());
    }

    @Test
    public void portNamesAreUnique() {
        attach("a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> attach("a"));
        assertEquals("switch lan has a port named a already", e.getMessage());
    }

    @Test
    public void shortFramesAreDroppedAndBuffersAreLeftAsTheyWere() {
        Endpoint a = attach("a");
        Endpoint b = attach("b");
        a.port.send(ByteBuffer.wrap(new byte[13]));
        assertEquals(0, b.frames.size());
        assertEquals(1, fabric.droppedFrames());
        ByteBuffer buffer = ByteBuffer.allocate(100);
        buffer.position(10).limit(70);
        buffer.put(10, frame(B, A));
        a.port.send(buffer);
        assertEquals("position kept", 10, buffer.position());
        assertEquals("limit kept", 70, buffer.limit());
        assertEquals("the frame is what lies between them", 60, b.last().length);
    }

    @Test
    public void aFailingEndpointDoesNotStopTheOthers() {
        Endpoint a = attach("a");
        fabric.attach("bad", frame -> {
            throw new IllegalStateException("on purpose");
        });
        Endpoint c = attach("c");
        a.port.send(ByteBuffer.wrap(frame("ff:ff:ff:ff:ff:ff", A)));
        assertEquals(1, c.frames.size());
    }

    @Test
    public void aReceiverMaySendInTurn() {
        Endpoint a = attach("a");
        SwitchPort[] echo = new SwitchPort[1];
        echo[0] = fabric.attach("echo", frame -> echo[0].send(ByteBuffer.wrap(frame(A, B))));
        a.port.send(ByteBuffer.wrap(frame(B, A)));
        assertArrayEquals("the echo came back through the switch on the same thread", frame(A, B), a.last());
    }

    @Test
    public void theRegistryNamesSwitches() {
        assertSame(fabric, switches.get("lan"));
        assertEquals("lan", switches.find("lan").orElseThrow().name());
        assertNull(switches.find("wan").orElse(null));
        assertThrows(IllegalArgumentException.class, () -> switches.get("bad name"));
        assertThrows(IllegalArgumentException.class, () -> switches.get(""));
        SwitchPort p = switches.attach("wan", "gw", frame -> { });
        assertEquals("wan", p.switchName());
        assertEquals("gw", p.name());
    }

    @Test
    public void theTableStopsLearningWhenFull() {
        MacTable<String> table = new MacTable<>();
        for (long mac = 0; mac < MacTable.MAX_ENTRIES; mac++) {
            assertTrue(table.put(mac << 8, "p"));
        }
        assertTrue("a known address still moves", table.put(0, "q"));
        assertEquals("q", table.get(0));
        assertTrue("a full table learns no more", !table.put(0xFFFF_FFFFL, "p"));
        assertNull(table.get(0xFFFF_FFFFL));
        table.removePort("p");
        assertEquals(1, table.size());
        assertEquals("q", table.get(0));
    }
}

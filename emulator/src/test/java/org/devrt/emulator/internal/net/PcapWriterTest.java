package org.devrt.emulator.internal.net;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The capture file, byte for byte, and the tap that writes it. */
public class PcapWriterTest {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    public void headerAndRecordsAreByteExact() throws Exception {
        Path file = folder.getRoot().toPath().resolve("a/b/nic0.pcap");
        AtomicLong clock = new AtomicLong(1_700_000_000_123_456L);
        try (PcapWriter writer = new PcapWriter(file, clock::get)) {
            ByteBuffer frame = ByteBuffer.wrap(hex("ffffffffffff 52540000000a 0806 0102"));
            frame.position(0);
            writer.write(frame);
            assertEquals("the frame buffer is left as it was", 16, frame.remaining());
            clock.set(1_700_000_001_000_001L);
            ByteBuffer second = ByteBuffer.wrap(hex("00 52540000000a 52540000000b 88b5 00"));
            second.position(1);
            writer.write(second);
            assertEquals(2, writer.frames());
        }
        byte[] expected = hex(
                // global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen 65535, LINKTYPE_ETHERNET
                "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000"
                // record 1: 1700000000 s, 123456 us, 16 bytes captured of 16
                + "00f15365 40e20100 10000000 10000000"
                + "ffffffffffff 52540000000a 0806 0102"
                // record 2: 1700000001 s, 1 us, 15 of 15
                + "01f15365 01000000 0f000000 0f000000"
                + "52540000000a 52540000000b 88b5 00");
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    public void anExistingCaptureOrEmptyFileIsReplaced() throws Exception {
        Path file = folder.newFile("old.pcap").toPath();
        try (PcapWriter old = new PcapWriter(file, () -> 0)) {
            old.write(ByteBuffer.wrap(new byte[1000]));
        }
        new PcapWriter(file, () -> 0).close();
        assertEquals(PcapWriter.GLOBAL_HEADER, Files.size(file));
        Path empty = folder.newFile("empty.pcap").toPath();
        new PcapWriter(empty, () -> 0).close();
        assertEquals(PcapWriter.GLOBAL_HEADER, Files.size(empty));
    }

    /** pcap=var/disks/disk0.img, a slip of the hand, truncated the running machine's disk image to a capture. */
    @Test
    public void aFileThatIsNoCaptureIsRefusedAndLeftAsItWas() throws Exception {
        Path image = folder.newFile("disk0.img").toPath();
        byte[] sectors = new byte[4096];
        sectors[510] = 0x55;
        sectors[511] = (byte) 0xAA;
        Files.write(image, sectors);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.capture(new NoBackend(), image.toString()));
        assertEquals("cannot write the capture file " + image + ": it holds 4096 bytes and is no pcap capture: name a"
                + " new file, or delete this one first", e.getMessage());
        assertArrayEquals(sectors, Files.readAllBytes(image));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Backends.capture(new NoBackend(), "/proc/no-such-folder/x.pcap"));
        assertTrue(missing.getMessage(), missing.getMessage().startsWith(
                "cannot write the capture file /proc/no-such-folder/x.pcap: "));
        assertTrue("names no reason: " + missing.getMessage(), !missing.getMessage().endsWith(": /proc/no-such-folder"));
    }

    @Test
    public void theTapCapturesBothDirectionsOfASwitchPort() throws Exception {
        Path file = folder.getRoot().toPath().resolve("tap.pcap");
        Switches switches = new Switches();
        Backend nic = Backends.capture(Backends.open("switch:lan", "nic", switches), file.toString());
        nic.start(new Backend.Listener() {
            @Override
            public void receive(ByteBuffer frame) {
            }

            @Override
            public void linkChanged(boolean up) {
            }
        });
        SwitchPort peer = switches.attach("lan", "peer", frame -> { });
        byte[] out = VirtualSwitchTest.frame("ff:ff:ff:ff:ff:ff", "52:54:00:00:00:0a");
        byte[] in = VirtualSwitchTest.frame("52:54:00:00:00:0a", "52:54:00:00:00:0b");
        nic.send(ByteBuffer.wrap(out));
        peer.send(ByteBuffer.wrap(in));
        nic.setCableConnected(false);
        nic.send(ByteBuffer.wrap(out));
        nic.close();
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("header and two records: nothing while the cable was out", 24 + 2 * (16 + 60), bytes.length);
        assertArrayEquals(out, java.util.Arrays.copyOfRange(bytes, 40, 100));
        assertArrayEquals(in, java.util.Arrays.copyOfRange(bytes, 116, 176));
        assertTrue(nic.description(), nic.description().endsWith("capture " + file));
    }

    @Test
    public void backendsRefuseWhatTheyDoNotKnow() {
        Switches switches = new Switches();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("tap:eth0", "nic", switches));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown backend 'tap:eth0' (want switch:<name>"));
        assertThrows(IllegalArgumentException.class, () -> Backends.open("switch:bad name", "nic", switches));
        assertEquals("switch:default port nic", Backends.open("switch", "nic", switches).description());
        assertEquals("none (no cable)", Backends.open("none", "nic", switches).description());
        Path dir = folder.getRoot().toPath();
        assertThrows(IllegalArgumentException.class,
                () -> Backends.capture(Backends.open("none", "nic", switches), dir.toString()));
    }
}

package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;

/**
 * Frames per second from one NIC's transmit ring to another's receive ring through the switch, with the test
 * driver polling (no interrupts): a sender thread keeps A's ring full of 60-byte frames, a receiver thread hands
 * B's buffers back, both yielding when idle (they share the CPUs with the model's threads). Prints the figure;
 * checks that every frame is either received or counted as missed.
 */
public class E1000ThroughputTest {
    private static final int RING = 256;
    private static final int BATCH = 32;
    private static final long FRAMES = 100_000;
    private static final byte[] A = TestNic.mac("52:54:00:00:00:0a");
    private static final byte[] B = TestNic.mac("52:54:00:00:00:0b");

    private final Nics nics = new Nics();

    @After
    public void shutDown() {
        nics.close();
    }

    @Test
    public void framesPerSecondNicToNicThroughTheSwitch() throws Exception {
        TestNic a = nics.plug(Nics.SLOT3, "mac=52:54:00:00:00:0a").up(RING, RING, RCTL_SECRC);
        TestNic b = nics.plug(Nics.SLOT4, "mac=52:54:00:00:00:0b").up(RING, RING, RCTL_SECRC);
        b.send(TestNic.frame(A, B, 46));
        a.receive(1000);
        byte[] frame = TestNic.frame(B, A, 46);
        for (int i = 0; i < RING; i++) {
            a.txBuffers.buffer().put(i * TestNic.TX_BUFFER, frame);
        }
        AtomicLong received = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread receiver = new Thread(() -> drain(b, received, done), "test-receiver");
        receiver.start();
        long start = System.nanoTime();
        long sent = transmit(a, frame.length, FRAMES, start + TimeUnit.SECONDS.toNanos(3));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        long missed = 0;
        while (System.nanoTime() < deadline) {
            missed += b.get(MPC);
            if (received.get() + missed >= sent) {
                break;
            }
            Thread.sleep(1);
        }
        long elapsed = System.nanoTime() - start;
        done.set(true);
        receiver.join();
        double seconds = elapsed / 1e9;
        System.out.printf("e1000 NIC to NIC through the switch: %d frames of 60 bytes in %.2f s: %.0f frames/s "
                + "received, %d missed (no buffers)%n", sent, seconds, received.get() / seconds, missed);
        assertEquals("every frame sent is received or counted in MPC", sent, received.get() + missed);
        assertTrue("frames arrive", received.get() > 0);
    }

    /** Keeps A's ring full: reclaims descriptors with DD, fills free ones, rings TDT once per batch. */
    private static long transmit(TestNic a, int length, long frames, long deadline) {
        ByteBuffer ring = a.txRing.buffer();
        long base = a.txBuffers.physicalAddress();
        int clean = 0;
        int next = 0;
        long sent = 0;
        long queued = 0;
        while (sent < frames && System.nanoTime() < deadline) {
            while (clean != next && (ring.get(clean * DESCRIPTOR_SIZE + TDESC_STATUS) & TDESC_STATUS_DD) != 0) {
                clean = (clean + 1) % RING;
                sent++;
            }
            int free = (clean - next - 1 + RING) % RING;
            int batch = (int) Math.min(Math.min(free, BATCH), frames - queued);
            for (int i = 0; i < batch; i++) {
                int at = next * DESCRIPTOR_SIZE;
                ring.putLong(at + TDESC_BUFFER_ADDRESS, base + (long) next * TestNic.TX_BUFFER);
                ring.putShort(at + TDESC_LENGTH, (short) length);
                ring.put(at + TDESC_CMD, (byte) (TDESC_CMD_EOP | TDESC_CMD_IFCS | TDESC_CMD_RS));
                ring.putInt(at + TDESC_STATUS, 0);
                next = (next + 1) % RING;
                queued++;
            }
            if (batch > 0) {
                a.set(TDT, next);
            } else {
                Thread.yield();
            }
        }
        return sent;
    }

    /** Takes every frame B stores and hands its buffer back, one RDT write per batch. */
    private static void drain(TestNic b, AtomicLong received, AtomicBoolean done) {
        ByteBuffer ring = b.rxRing.buffer();
        int next = 0;
        int pending = 0;
        while (!done.get()) {
            int at = next * DESCRIPTOR_SIZE;
            if ((ring.get(at + RDESC_STATUS) & RDESC_STATUS_DD) == 0) {
                if (pending > 0) {
                    b.set(RDT, (next - 1 + RING) % RING);
                    pending = 0;
                }
                Thread.yield();
                continue;
            }
            ring.put(at + RDESC_STATUS, (byte) 0);
            received.incrementAndGet();
            next = (next + 1) % RING;
            if (++pending == BATCH) {
                b.set(RDT, (next - 1 + RING) % RING);
                pending = 0;
            }
        }
    }
}

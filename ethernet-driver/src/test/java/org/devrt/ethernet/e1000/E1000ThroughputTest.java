package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000NicTest.await;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.ethernet.e1000.ModelHarness.Port;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * A quick NIC-to-NIC figure through two drivers and two 82540EM models on one virtual switch: frames per second
 * for 64- and 1514-byte frames, and bytes allocated per frame on the sending thread and on the receiving port's
 * worker. The sender parks 20 us when the ring is full or the window closed, rather than spin, so that on a
 * small machine it leaves the CPU to the model's and the driver's threads. Not part of the build's tests: run with {@code -Ddevrt.bench=true -Dtest=E1000ThroughputTest}.
 */
public class E1000ThroughputTest {
    static final MacAddress MAC_A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("52:54:00:00:00:0b");
    static final long NANOS = 2_000_000_000L;

    ModelHarness h;
    Port a;
    Port b;
    final AtomicLong received = new AtomicLong();

    @Before
    public void pair() throws Exception {
        Assume.assumeTrue("a benchmark: -Ddevrt.bench=true", Boolean.getBoolean("devrt.bench"));
        h = new ModelHarness();
        a = h.plug("00:03.0", Map.of("backend", "switch:" + h.switchName, "mac", MAC_A.toString()),
                E1000Driver.RX_RING_SIZE);
        b = h.plug("00:04.0", Map.of("backend", "switch:" + h.switchName, "mac", MAC_B.toString()),
                E1000Driver.RX_RING_SIZE);
        await("links", () -> a.nic.isLinkUp() && b.nic.isLinkUp());
        b.nic.setReceiver(f -> received.incrementAndGet());
    }

    @After
    public void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    public void frames64() {
        run(60); // 64 on the wire with the FCS
    }

    @Test
    public void frames1514() {
        run(1514); // 1518 on the wire
    }

    /** What one register access costs in allocation, to tell the emulator's share from the driver's. */
    @Test
    public void registerAccess() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int n = 200_000;
        for (int round = 0; round < 2; round++) { // the first is warm-up
            long t0 = System.nanoTime();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                a.nic.regs.get(E1000Regs.STATUS);
            }
            long reads = threads.getThreadAllocatedBytes(id) - before;
            long t1 = System.nanoTime();
            before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                a.nic.regs.set(E1000Regs.ITR, 0);
            }
            long writes = threads.getThreadAllocatedBytes(id) - before;
            long t2 = System.nanoTime();
            System.out.printf("register access through the emulator: read %.0f ns, %.1f B; write %.0f ns, %.1f B%n",
                    (t1 - t0) / (double) n, reads / (double) n, (t2 - t1) / (double) n, writes / (double) n);
        }
    }

    private void run(int length) {
        ByteBuffer frame = ModelHarness.frame(MAC_B, MAC_A, 0, length);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("e1000 " + b.nic.name)).findFirst().orElseThrow();
        for (boolean windowed : new boolean[] {true, false}) {
            blast(frame, NANOS / 4, windowed); // warm-up
            long sentBefore = a.nic.counters().txPackets();
            long rxBefore = received.get();
            NetworkCounters bBefore = b.nic.counters();
            long me = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            long wk = threads.getThreadAllocatedBytes(worker.getId());
            long start = System.nanoTime();
            long sent = blast(frame, NANOS, windowed);
            long got = received.get() - rxBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            long meBytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - me;
            long wkBytes = threads.getThreadAllocatedBytes(worker.getId()) - wk;
            NetworkCounters bAfter = b.nic.counters();
            System.out.printf("%4d-byte frames, %s: sent %.0f/s, received %.0f/s (%.1f MB/s), missed %d; "
                    + "allocated per frame: sender %.1f B, receiver worker %.1f B; TX refusals %d%n",
                    length, windowed ? "window of 128" : "flat out", sent / seconds, got / seconds,
                    got * length / seconds / 1e6, bAfter.rxDropped() - bBefore.rxDropped(),
                    (double) meBytes / sent, (double) wkBytes / Math.max(1, got),
                    a.nic.counters().txDropped());
            assertTrue(got > 0 && a.nic.counters().txPackets() > sentBefore);
        }
    }

    /** Sends for {@code nanos}; with a window, never more than 128 frames ahead of the receiver. */
    private long blast(ByteBuffer frame, long nanos, boolean windowed) {
        LockSupport.parkNanos(200_000_000); // frames of the previous round drain first
        long end = System.nanoTime() + nanos;
        long sent = 0;
        long base = received.get();
        while (System.nanoTime() < end) {
            if (windowed) {
                while (sent - (received.get() - base) >= 128) {
                    LockSupport.parkNanos(20_000); // leave the CPU to the model's and the driver's threads
                }
            }
            if (a.nic.transmit(frame)) {
                sent++;
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        return sent;
    }
}

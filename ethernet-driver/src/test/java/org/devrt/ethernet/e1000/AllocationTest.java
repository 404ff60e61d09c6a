package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.INT_RXT0;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_STAT_DD;
import static org.devrt.ethernet.e1000.E1000Regs.RXD_STAT_EOP;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * The steady-state data path allocates nothing per frame: measured with the JVM's per-thread allocation counter
 * on the transmitting thread and on the port's worker, against the register file of {@link E1000NicTest}.
 */
public class AllocationTest {
    static final int FRAMES = 200_000;

    private final E1000NicTest fixture = new E1000NicTest();
    private com.sun.management.ThreadMXBean threads;

    @Before
    public void open() throws Exception {
        Assume.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assume.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        fixture.open();
        fixture.io.recordDoorbells = false;
    }

    @After
    public void close() {
        fixture.close();
    }

    @Test
    public void transmitAllocatesNothingPerFrame() {
        ByteBuffer frame = E1000NicTest.frame(64, 0);
        long id = Thread.currentThread().getId();
        sendMany(frame, 20_000); // warm-up: JIT, class loading
        long before = threads.getThreadAllocatedBytes(id);
        sendMany(frame, FRAMES);
        long perFrame = (threads.getThreadAllocatedBytes(id) - before) / FRAMES;
        System.out.printf("transmit: %d bytes allocated per frame%n", perFrame);
        assertTrue(perFrame + " bytes per frame", perFrame == 0);
    }

    private void sendMany(ByteBuffer frame, int count) {
        for (int i = 0; i < count; i++) {
            if (!fixture.nic.transmit(frame)) {
                throw new AssertionError("ring full at frame " + i);
            }
            fixture.deviceSendsAll();
        }
    }

    @Test
    public void receiveAllocatesNothingPerFrame() throws Exception {
        AtomicLong received = new AtomicLong();
        fixture.nic.setReceiver(f -> received.incrementAndGet());
        ByteBuffer frame = E1000NicTest.frame(64, 0);
        receiveMany(frame, received, 20_000);
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("e1000 test")).findFirst().orElseThrow();
        long before = threads.getThreadAllocatedBytes(worker.getId());
        receiveMany(frame, received, FRAMES);
        long perFrame = (threads.getThreadAllocatedBytes(worker.getId()) - before) / FRAMES;
        System.out.printf("receive: %d bytes allocated per frame%n", perFrame);
        assertTrue(perFrame + " bytes per frame", perFrame == 0);
    }

    private void receiveMany(ByteBuffer frame, AtomicLong received, int count) {
        long target = received.get() + count;
        while (received.get() < target) {
            long expected = received.get() + 8;
            for (int i = 0; i < 8; i++) {
                fixture.deviceStores(frame, RXD_STAT_DD | RXD_STAT_EOP, 0);
            }
            fixture.interrupt(INT_RXT0);
            while (received.get() < expected) {
                Thread.onSpinWait();
            }
        }
    }
}

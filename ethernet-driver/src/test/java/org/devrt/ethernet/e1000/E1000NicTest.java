package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.devrt.device.NetworkCounters;
import org.devrt.hw.Registers;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The data path against a register file, with the test playing the device: it writes receive descriptors back
 * and sets DD on sent ones. The 82540EM model tests ({@code E1000ModelTest}) run the same paths for real.
 */
public class E1000NicTest {
    static final int RING = 16;

    final FakeRegisters io = new FakeRegisters(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
    final FakeDma dma = new FakeDma(4 << 20);
    final FakeInterruptLine irq = new FakeInterruptLine();
    final List<Boolean> linkEvents = new CopyOnWriteArrayList<>();
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    long dmaAtStart;
    E1000Nic nic;
    int deviceRxIndex;

    @Before
    public void open() throws Exception {
        dmaAtStart = dma.available();
        nic = E1000Nic.open(new Registers(io, NAMES), dma, irq, "test", RING, RING, linkEvents::add);
        nic.setReceiver(f -> {
            byte[] copy = new byte[f.remaining()];
            f.get(copy);
            received.add(copy);
        });
        io.tdtWrites.clear(); // bring-up's own writes
        io.rdtWrites.clear();
    }

    @After
    public void close() {
        nic.close();
    }

    /**
     * A transmitter lets go of the TX lock while the worker's watchdog waits for it: the frame's TDT write is not
     * left to the watchdog, which writes none (the frame stayed in the ring until the next transmit).
     */
    @Test
    public void aFrameSentWhileTheWorkersWatchdogWaitsForTheTxLockReachesTdt() throws Exception {
        nic.txLock.lock(); // as a transmitter in the middle of its copy
        try {
            await("the worker's watchdog waiting for the TX lock", () -> nic.txLock.hasQueuedThreads());
            assertTrue(nic.transmit(frame(60, 1)));
        } finally {
            nic.txLock.unlock();
        }
        await("TDT written for the frame", () -> io.tdtWrites.contains(1));
    }

    static ByteBuffer frame(int length, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) (i < 6 ? 0xff : seq + i));
        }
        return b;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Plays the device storing {@code frame} in the next receive descriptor (without the interrupt). */
    void deviceStores(ByteBuffer frame, int status, int errors) {
        int i = deviceRxIndex;
        nic.rx.buf.put(Ring.bufferOffset(i), frame, 0, frame.remaining());
        nic.rx.desc.putShort(i * 16 + RXD_LENGTH, (short) frame.remaining());
        nic.rx.desc.put(i * 16 + RXD_ERRORS, (byte) errors);
        nic.rx.desc.put(i * 16 + RXD_STATUS, (byte) status);
        deviceRxIndex = (i + 1) % RING;
    }

    void interrupt(int causes) {
        io.cause(causes);
        irq.fire();
    }

    /** Plays the device sending everything up to TDT: DD on each descriptor. */
    void deviceSendsAll() {
        int tdt = io.get(TDT);
        for (int i = io.get(TDH); i != tdt; i = (i + 1) % RING) {
            nic.tx.desc.put(i * 16 + TXD_STATUS, (byte) TXD_STAT_DD);
        }
        io.values[TDH / 4] = tdt;
    }

    @Test
    public void transmitCopiesTheFrameIntoItsSlotAndHandsItOverWithOneTdtWrite() {
        ByteBuffer f = frame(60, 1);
        f.position(0);
        assertTrue(nic.transmit(f));
        assertEquals("caller's buffer untouched", 0, f.position());
        byte[] sent = new byte[60];
        nic.tx.buf.get(0, sent);
        assertArrayEquals(f.array(), sent);
        assertEquals(60, Descriptors.txLength(nic.tx.desc, 0));
        assertEquals(nic.tx.bufferAddress(0), nic.tx.desc.getLong(0));
        assertEquals(TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS, nic.tx.desc.get(TXD_CMD) & 0xff);
        assertEquals(List.of(1), io.tdtWrites);
    }

    @Test
    public void framesOutsideHeaderToMtuAreRefusedWithIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> nic.transmit(ByteBuffer.allocate(13)));
        assertThrows(IllegalArgumentException.class, () -> nic.transmit(ByteBuffer.allocate(1515)));
        assertTrue(nic.transmit(ByteBuffer.allocate(1514)));
    }

    @Test
    public void aFullTransmitRingReturnsFalseAndCountsTheDrop() {
        for (int i = 0; i < RING - 1; i++) {
            assertTrue("frame " + i, nic.transmit(frame(60, i)));
        }
        assertFalse(nic.transmit(frame(60, 99)));
        assertEquals(1, nic.counters().txDropped());
        assertEquals("tail stops one short of the unreclaimed head", RING - 1, io.get(TDT));
    }

    @Test
    public void sentDescriptorsAreReclaimedByDdAndCountedWithNoTransmitInterrupt() throws Exception {
        for (int i = 0; i < RING - 1; i++) {
            nic.transmit(frame(100, i));
        }
        deviceSendsAll();
        await("15 frames counted", () -> nic.counters().txPackets() == RING - 1);
        assertEquals(1500, nic.counters().txBytes());
        for (int round = 0; round < 3; round++) { // past the wrap, twice
            for (int i = 0; i < 10; i++) {
                assertTrue(nic.transmit(frame(100, i)));
                deviceSendsAll();
            }
        }
        await("45 frames counted", () -> nic.counters().txPackets() == RING - 1 + 30);
        assertEquals(0, nic.counters().txDropped());
    }

    @Test
    public void excessOrLateCollisionsCountAsTransmitErrors() throws Exception {
        nic.transmit(frame(60, 0));
        nic.tx.desc.put(TXD_STATUS, (byte) (TXD_STAT_DD | TXD_STAT_EC));
        await("error counted", () -> nic.counters().txErrors() == 1);
        assertEquals(0, nic.counters().txPackets());
    }

    @Test
    public void receivedFramesAreLentToTheReceiverAndGivenBackWithOneRdtWritePerBatch() throws Exception {
        for (int i = 0; i < 5; i++) {
            deviceStores(frame(60 + i, i), RXD_STAT_DD | RXD_STAT_EOP, 0);
        }
        interrupt(INT_RXT0);
        await("5 frames", () -> received.size() == 5);
        await("the batch given back", () -> !io.rdtWrites.isEmpty());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(frame(60 + i, i).array(), received.get(i));
        }
        assertEquals("one RDT write for the batch", List.of(4), io.rdtWrites);
        NetworkCounters c = nic.counters();
        assertEquals(5, c.rxPackets());
        assertEquals(60 + 61 + 62 + 63 + 64, c.rxBytes());
    }

    /** A frame the device completed but whose interrupt never came is taken by the worker's watchdog. */
    @Test
    public void aFrameWhoseInterruptWasLostIsTakenByTheWatchdog() throws Exception {
        deviceStores(frame(60, 7), RXD_STAT_DD | RXD_STAT_EOP, 0); // and no interrupt
        long start = System.nanoTime();
        await("the frame, without an interrupt", () -> received.size() == 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("taken after at least one watchdog period: " + millis + " ms",
                millis >= E1000Nic.WATCHDOG_NANOS / 1_000_000 - 50);
        assertArrayEquals(frame(60, 7).array(), received.get(0));
        assertEquals(1, nic.watchdogPasses());
    }

    @Test
    public void receiveWrapsAroundTheRingAndTheTailFollowsTheHead() throws Exception {
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 10; i++) {
                deviceStores(frame(64, round * 10 + i), RXD_STAT_DD | RXD_STAT_EOP, 0);
            }
            interrupt(INT_RXT0);
            int expected = (round + 1) * 10;
            await(expected + " frames", () -> received.size() == expected);
            int batches = round + 1;
            await(batches + " batches given back", () -> io.rdtWrites.size() == batches);
        }
        assertEquals(List.of(9, 3, 13, 7, 1), io.rdtWrites); // (50 - 1) % 16 = 1
        for (int n = 0; n < 50; n++) {
            assertArrayEquals("frame " + n, frame(64, n).array(), received.get(n));
        }
    }

    @Test
    public void theLentBufferIsReadOnlyAndBigEndian() throws Exception {
        List<ByteBuffer> seen = new CopyOnWriteArrayList<>();
        nic.setReceiver(f -> seen.add(f));
        deviceStores(frame(60, 0), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("frame", () -> seen.size() == 1);
        assertTrue(seen.get(0).isReadOnly());
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN, seen.get(0).order());
    }

    @Test
    public void withoutAReceiverFramesAreDroppedAndCounted() throws Exception {
        nic.setReceiver(null);
        deviceStores(frame(60, 0), RXD_STAT_DD | RXD_STAT_EOP, 0);
        deviceStores(frame(60, 1), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("2 drops", () -> nic.counters().rxDropped() == 2);
        // the worker counts each frame, then gives the batch back with one RDT write: wait for that write too
        await("the batch given back", () -> !io.rdtWrites.isEmpty());
        assertEquals(0, nic.counters().rxPackets());
        assertEquals("one RDT write for the batch", List.of(1), io.rdtWrites);
    }

    @Test
    public void badFramesAreCountedAsErrorsAndNeverDelivered() throws Exception {
        deviceStores(frame(60, 0), RXD_STAT_DD | RXD_STAT_EOP, RXD_ERR_CE); // CRC error
        deviceStores(frame(10, 1), RXD_STAT_DD | RXD_STAT_EOP, 0); // shorter than a header
        deviceStores(frame(60, 2), RXD_STAT_DD, 0); // a frame spread over two buffers
        deviceStores(frame(60, 3), RXD_STAT_DD | RXD_STAT_EOP, 0); // ... its end
        deviceStores(frame(60, 4), RXD_STAT_DD | RXD_STAT_EOP, 0); // good
        interrupt(INT_RXT0);
        await("the good frame", () -> received.size() == 1);
        assertArrayEquals(frame(60, 4).array(), received.get(0));
        assertEquals(3, nic.counters().rxErrors());
    }

    @Test
    public void aReceiverThatThrowsDoesNotStopReception() throws Exception {
        nic.setReceiver(f -> {
            throw new IllegalStateException("stack bug");
        });
        deviceStores(frame(60, 0), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("first batch given back", () -> io.rdtWrites.size() == 1);
        nic.setReceiver(f -> received.add(new byte[0]));
        deviceStores(frame(60, 1), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("second", () -> received.size() == 1);
    }

    /**
     * A receiver whose bundle was refreshed under it throws NoClassDefFoundError, an Error: the port goes on
     * receiving. The Error escaped the receive pass with descriptors reset but not given back, and the port heard
     * nothing more.
     */
    @Test
    public void aReceiverThatThrowsALinkageErrorDoesNotStopReception() throws Exception {
        nic.setReceiver(f -> {
            throw new NoClassDefFoundError("org/devrt/network/internal/stack/Stack (bundle refreshed)");
        });
        deviceStores(frame(60, 0), RXD_STAT_DD | RXD_STAT_EOP, 0);
        deviceStores(frame(60, 1), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("both given back", () -> io.rdtWrites.contains(1));
        nic.setReceiver(f -> received.add(new byte[0]));
        deviceStores(frame(60, 2), RXD_STAT_DD | RXD_STAT_EOP, 0);
        interrupt(INT_RXT0);
        await("the next frame received", () -> received.size() == 1);
    }

    @Test
    public void repliesSentFromTheReceiverAreHandedOverWithOneTdtWritePerReceiveBatch() throws Exception {
        nic.setReceiver(f -> {
            ByteBuffer reply = ByteBuffer.allocate(f.remaining());
            reply.put(f).flip();
            nic.transmit(reply);
            received.add(new byte[0]);
        });
        for (int i = 0; i < 5; i++) {
            deviceStores(frame(60, i), RXD_STAT_DD | RXD_STAT_EOP, 0);
        }
        interrupt(INT_RXT0);
        await("5 frames", () -> received.size() == 5);
        await("the flush", () -> !io.tdtWrites.isEmpty());
        assertEquals(List.of(5), io.tdtWrites);
    }

    @Test
    public void concurrentSendersShareTdtWritesAndLeaveNoDescriptorBehind() throws Exception {
        int threads = 4;
        int perThread = 2_000;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread device = new Thread(() -> { // plays the device: sends whatever TDT hands over
            while (!done.get()) {
                deviceSendsAll();
                Thread.onSpinWait();
            }
        });
        device.start();
        Thread[] senders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            senders[t] = new Thread(() -> {
                ByteBuffer f = frame(60, 0);
                for (int i = 0; i < perThread; i++) {
                    while (!nic.transmit(f)) {
                        Thread.onSpinWait();
                    }
                }
            });
            senders[t].start();
        }
        for (Thread t : senders) {
            t.join();
        }
        int frames = threads * perThread;
        await("every frame handed to the device", () -> io.get(TDT) == frames % RING);
        // the device may still be writing back the last batch: stop it only once its head caught up
        await("the device caught up with the tail", () -> io.get(TDH) == io.get(TDT));
        done.set(true);
        device.join();
        System.out.printf("%d frames from %d threads: %d TDT writes%n", frames, threads, io.tdtWrites.size());
        assertTrue(io.tdtWrites.size() <= frames);
        await("all counted", () -> nic.counters().txPackets() == frames);
    }

    @Test
    public void linkDownAndUpAreReadFromStatusOnLscAndReported() throws Exception {
        assertTrue(nic.isLinkUp());
        io.setStatus(STATUS_FD);
        interrupt(INT_LSC);
        await("link down", () -> !nic.isLinkUp());
        assertFalse("no transmit while the link is down", nic.transmit(frame(60, 0)));
        assertEquals(1, nic.counters().txDropped());
        io.setStatus(STATUS_FD | STATUS_LU | (2 << STATUS_SPEED_SHIFT));
        interrupt(INT_LSC);
        await("link up", nic::isLinkUp);
        assertEquals(List.of(false, true), linkEvents);
    }

    @Test
    public void aHalfDuplexLinkGetsTheHalfDuplexCollisionDistance() throws Exception {
        io.setStatus(STATUS_LU | (1 << STATUS_SPEED_SHIFT));
        interrupt(INT_LSC);
        await("COLD 0x200", () -> (io.get(TCTL) & TCTL_COLD_MASK) == 0x200 << TCTL_COLD_SHIFT);
    }

    @Test
    public void closeStopsReceiveAndTransmitMasksInterruptsAndFreesTheDmaMemory() {
        nic.close();
        assertEquals(0, io.get(RCTL) & RCTL_EN);
        assertEquals(0, io.get(TCTL) & TCTL_EN);
        assertEquals(0, io.get(IMS));
        assertNull(irq.handler);
        assertEquals(dmaAtStart, dma.available());
        assertFalse(nic.transmit(frame(60, 0)));
        nic.close(); // idempotent
        assertEquals(dmaAtStart, dma.available());
    }

    /** Linux's e1000_down: units off, a pause, the reset, and only then the rings freed; they were freed at once. */
    @Test
    public void closeResetsTheControllerBeforeItFreesTheRings() {
        java.util.concurrent.atomic.AtomicLong availableAtReset = new java.util.concurrent.atomic.AtomicLong(-1);
        io.onReset = () -> availableAtReset.set(dma.available());
        nic.close();
        assertTrue("no reset at close", availableAtReset.get() >= 0);
        assertTrue("the rings were freed before the reset: " + availableAtReset.get() + " bytes free of " + dmaAtStart,
                availableAtReset.get() < dmaAtStart);
        assertEquals(dmaAtStart, dma.available());
    }

    @Test
    public void closeAfterSurpriseRemovalReturnsPromptlyAndThrowsNothing() {
        io.revoked = true;
        irq.fire(); // the handler must swallow the revoked window
        assertFalse(nic.transmit(frame(60, 0)));
        long start = System.nanoTime();
        nic.close();
        assertTrue("close took too long", System.nanoTime() - start < 1_000_000_000L);
        assertEquals(dmaAtStart, dma.available());
    }
}

package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.AhciErrorTest.roundTrip;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.devrt.hw.DeviceTimeoutException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * NCQ against the model: READ/WRITE FPDMA QUEUED when CAP.SNCQ and IDENTIFY word 76 bit 8 allow it (PxSACT set for
 * each, completion by Set Device Bits FIS), READ/WRITE DMA EXT without (option {@code ncq=false}), FLUSH CACHE EXT
 * only once the queue has drained, and recovery from an NCQ error or a queued command that never completes.
 */
public class AhciNcqTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Samples {@code value} every 0.2 ms until {@code done}; returns the most bits it ever had set at once. */
    private static int mostBits(IntSupplier value, Future<?> done) throws Exception {
        int most = 0;
        while (!done.isDone()) {
            most = Math.max(most, Integer.bitCount(value.getAsInt()));
            TimeUnit.MICROSECONDS.sleep(200);
        }
        done.get();
        return most;
    }

    @Test
    public void readsAndWritesAreQueuedWhenTheHbaAndTheDiskSupportNcq() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(5));
            SataDisk disk = rig.disk(0);
            AhciPort port = disk.port();
            assertTrue("CAP.SNCQ and IDENTIFY word 76 bit 8: NCQ", port.queuing());
            rig.model.delayCompletions(0, 200);
            byte[] data = AhciIoTest.random(1 << 20, 1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> write = pool.submit(() -> {
                    disk.write(2048, ByteBuffer.wrap(data));
                    return null;
                });
                assertEquals("§3.3.13: the eight 128 KiB WRITE FPDMA QUEUED commands of 1 MiB outstanding at once", 8,
                        mostBits(() -> port.regs.get(Ahci.PxSACT), write));
                rig.model.delayCompletions(0, 0);
            } finally {
                pool.shutdownNow();
            }
            assertArrayEquals("the image holds the data", data, rig.imageBytes(2048, data.length));
            ByteBuffer back = ByteBuffer.allocate(data.length);
            disk.read(2048, back);
            assertArrayEquals("read back with READ FPDMA QUEUED", data, back.array());
            disk.flush();
            assertEquals("no error along the way", "", port.problem);
        }
    }

    @Test
    public void withoutNcqTheDiskFallsBackToDmaExt() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "ncq=false")) {
            rig.attach(Duration.ofSeconds(5));
            SataDisk disk = rig.disk(0);
            AhciPort port = disk.port();
            assertFalse("CAP.SNCQ clear, IDENTIFY word 76 bit 8 clear: no NCQ", port.queuing());
            rig.model.delayCompletions(0, 20);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> write = pool.submit(() -> {
                    roundTrip(disk, 4096, 512);
                    return null;
                });
                assertTrue("§3.3.14: commands issued through PxCI", mostBits(() -> port.regs.get(Ahci.PxCI), write) > 0);
                assertEquals("§3.3.13: PxSACT never used", 0, port.regs.get(Ahci.PxSACT));
            } finally {
                pool.shutdownNow();
            }
            disk.flush();
        }
    }

    @Test
    public void thirtyTwoConcurrentRequestsWithFlushesInBetween() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(10));
            SataDisk disk = rig.disk(0);
            AhciPort port = disk.port();
            rig.model.delayCompletions(0, 1);
            AtomicInteger mostQueued = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sampler = new Thread(() -> {
                while (!stop.get()) {
                    mostQueued.accumulateAndGet(Integer.bitCount(port.regs.get(Ahci.PxSACT)), Math::max);
                    Thread.onSpinWait();
                }
            });
            sampler.start();
            try {
                // a quarter of the threads flush after each write: non-queued, so they wait for the queue to drain
                AhciIoTest.concurrentRoundTrips(disk, 32, 6, true);
            } finally {
                stop.set(true);
                sampler.join();
            }
            assertEquals("no error: a FLUSH CACHE EXT sent while tags were outstanding would have been aborted", "",
                    port.problem);
            assertTrue("queued commands overlapped: at most " + mostQueued.get() + " tags at once",
                    mostQueued.get() > 1);
        }
    }

    /**
     * Writers of several commands each and flushers at once, for 4 s: no operation stalls. An interrupt serviced
     * between a command's PxCI write and the end of its ring skipped that command's completion, and a writer then
     * waiting for its turn behind a flush never looked again: the port stalled until the command's deadline.
     */
    @Test
    public void writersOfManyCommandsAndFlushersNeverStall() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(30));
            SataDisk disk = rig.disk(0);
            AtomicLong longest = new AtomicLong();
            AtomicInteger operations = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean flusher = t == 3;
                long lba = 4096L * t;
                threads.add(new Thread(() -> {
                    ByteBuffer data = ByteBuffer.wrap(AhciIoTest.random(256 << 10, (int) lba)); // heap: 4 commands
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        try {
                            if (flusher) {
                                disk.flush();
                            } else {
                                disk.write(lba, data.clear());
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                        operations.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(60_000);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(longest.get());
            assertTrue(operations.get() + " operations, the longest " + millis + " ms", millis < 2000);
            assertEquals("", disk.port().problem);
        }
    }

    @Test
    public void anNcqErrorFailsTheCommandTheDisksErrorLogNamesAndTheOthersGoAgainQueued() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(5));
            SataDisk disk = rig.disk(0);
            AhciPort port = disk.port();
            assertEquals("the last slot is kept for READ LOG EXT", 31, port.logSlot);
            rig.model.delayCompletions(0, 50);
            rig.model.failNext(0, 1); // the first queued command (slot 0) ends in a SDB FIS with ERR
            byte[] data = AhciIoTest.random(1 << 20, 2);
            IOException e = assertThrows(IOException.class, () -> disk.write(8192, ByteBuffer.wrap(data)));
            assertTrue("the failed command, named by the log, with the disk's error: " + e.getMessage(),
                    e.getMessage().contains("WRITE FPDMA QUEUED lba 8192 count 256 (slot 0) failed")
                            && e.getMessage().contains("ABRT") && e.getMessage().contains("NCQ error log"));
            int rest = data.length - (256 << 9);
            assertArrayEquals("the seven other commands of the write landed", Arrays.copyOfRange(data, 256 << 9,
                    data.length), rig.imageBytes(8192 + 256, rest));
            assertEquals("the disk was not reset: reading its log ended its error state", 0, port.comresets());
            rig.model.delayCompletions(0, 0);
            assertTrue("NCQ stays in use", port.queuing());
            roundTrip(disk, 100, 256);
            assertEquals(0, port.queuedIssued);
        }
    }

    @Test
    public void withoutReadLogExtAnNcqErrorIsRecoveredByRetryingTheOutstandingCommandsOneAtATime() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "gpl=false")) {
            rig.attach(Duration.ofSeconds(5));
            SataDisk disk = rig.disk(0);
            AhciPort port = disk.port();
            rig.model.delayCompletions(0, 50);
            rig.model.failNext(0, 1); // the first queued command ends in a SDB FIS with ERR: the queue is aborted
            byte[] data = AhciIoTest.random(1 << 20, 2);
            disk.write(8192, ByteBuffer.wrap(data));
            assertTrue("the error was seen: " + port.problem, port.problem.contains("TFES")
                    && port.problem.contains("NCQ tags"));
            assertArrayEquals("every command of the write was retried and landed", data,
                    rig.imageBytes(8192, data.length));
            assertEquals("no slot kept for a log the disk cannot give", -1, port.logSlot);
            assertEquals("the disk was reset to end its NCQ error state", 1, port.comresets());
            rig.model.delayCompletions(0, 0);
            assertTrue("NCQ stays in use", port.queuing());
            roundTrip(disk, 100, 256);
            assertEquals("queued again after the recovery", 0, port.queuedIssued);
        }
    }

    @Test
    public void aQueuedCommandThatNeverCompletesTimesOutWhileTheOthersComplete() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "hang=1")) {
            AhciPort port = rig.controller(Duration.ofMillis(1500)).port(0);
            SataDisk disk = rig.disk(port, ModelRig.sixteenMiB(32));
            assertTrue(port.queuing());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                long start = System.nanoTime();
                List<Future<?>> others = AhciErrorTest.firstThenSeven(pool, disk, 100); // the first: queued, lost
                Future<?> first = others.remove(0);
                for (Future<?> other : others) {
                    other.get(20, TimeUnit.SECONDS);
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertFalse("the others completed around the hung tag, before its time-out (" + millis + " ms)",
                        first.isDone());
                ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(20, TimeUnit.SECONDS));
                assertTrue("the hung command fails with a time-out, not " + e.getCause(),
                        e.getCause() instanceof DeviceTimeoutException);
                assertTrue(e.getCause().getMessage(),
                        e.getCause().getMessage().contains("WRITE FPDMA QUEUED lba 1000 count 64"));
            } finally {
                pool.shutdownNow();
            }
            roundTrip(disk, 1000, 64);
        }
    }
}

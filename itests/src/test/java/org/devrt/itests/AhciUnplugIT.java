package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.slf4j.LoggerFactory;

/** Unplugging the AHCI controller: quiet or under writers, what was flushed is there after the re-plug. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AhciUnplugIT extends AhciTestSupport {
    static final int WRITERS = 6;
    /** Blocks each writer owns; its runs are 1 to {@link #MAX_RUN} blocks. */
    static final int REGION = 256;
    static final int MAX_RUN = 8;
    static final int WRITES_PER_FLUSH = 8;
    /** Flushes each writer has done before the unplug. */
    static final int FLUSHES_BEFORE_UNPLUG = 5;
    static final long WRITER_REGIONS = 20_000;
    /** How soon after the unplug began every writer must have had its error. */
    static final long ERROR_WITHIN_MILLIS = 1000;
    /** How long a writer may take to end after the unplug before the test calls it hung. */
    static final long JOIN_MILLIS = 5000;

    @Test
    public void dataWrittenAndFlushedSurvivesAnUnplugAndReplugOfTheController() throws Exception {
        BlockDevice disk = awaitDisk();
        Object serviceId = awaitDiskService().getProperty(Constants.SERVICE_ID);
        long lba = 10_000;
        int count = 300;
        writePatterns(disk, lba, count, 1);
        writePatterns(disk, lba + 10, 5, 2);
        disk.flush();

        unplugController();

        await("no BlockDevice service of " + DISK_ID + " after the unplug", () -> diskServices().isEmpty());
        assertTrue(CONTROLLER_ID + " is still in the inventory after the unplug: " + inventory.device(CONTROLLER_ID),
            inventory.device(CONTROLLER_ID).isEmpty());
        assertGone("a write through the BlockDevice got before the unplug",
            () -> disk.write(lba, BlockPattern.of(lba, 3, BLOCK)));

        plugController();

        awaitController("BOUND to the ahci driver after the re-plug", AhciTestSupport::bound);
        BlockDevice again = awaitDisk();
        assertNotEquals("the BlockDevice service after the re-plug is the old one", serviceId,
            awaitDiskService().getProperty(Constants.SERVICE_ID));
        assertPatterns("blocks before the rewritten ones, after the re-plug", again, lba, 10, 1);
        assertPatterns("rewritten blocks, after the re-plug", again, lba + 10, 5, 2);
        assertPatterns("blocks after the rewritten ones, after the re-plug", again, lba + 15, count - 15, 1);
    }

    /** SATA hot plug: the disk pulled out of its port from the shell, the controller staying attached. */
    @Test
    public void aDiskPulledFromItsPortGoesAndComesBackWithItsDataWhenConnectedAgain() throws Exception {
        BlockDevice disk = awaitDisk();
        Object serviceId = awaitDiskService().getProperty(Constants.SERVICE_ID);
        long lba = 30_000;
        writePatterns(disk, lba, 64, 7);
        disk.flush();

        String pulled = shell("machine 00:1f.2 pull 0");
        assertEquals("0000:00:1f.2: pulled the disk out of port 0\n", pulled);
        await("no BlockDevice service of " + DISK_ID + " after the pull", () -> diskServices().isEmpty());
        assertGone("a write through the BlockDevice got before the pull",
            () -> disk.write(lba, BlockPattern.of(lba, 3, BLOCK)));
        awaitController("still BOUND: only the disk went, not the controller", AhciTestSupport::bound);

        assertEquals("0000:00:1f.2: connected the disk of port 0\n", shell("machine 00:1f.2 connect 0"));
        BlockDevice again = awaitDisk();
        assertNotEquals("the BlockDevice service after the connect is the old one", serviceId,
            awaitDiskService().getProperty(Constants.SERVICE_ID));
        assertPatterns("blocks flushed before the pull, after the connect", again, lba, 64, 7);
    }

    @Test
    public void aSurpriseUnplugFailsEveryConcurrentWriterWithinASecondAndKeepsWhatWasFlushed() throws Exception {
        BlockDevice disk = awaitDisk();
        CountDownLatch flushed = new CountDownLatch(WRITERS);
        List<Writer> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(new Writer(w, disk, WRITER_REGIONS + (long) w * REGION, flushed));
        }
        writers.forEach(Thread::start);
        try {
            if (!flushed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("the writers did not all flush " + FLUSHES_BEFORE_UNPLUG + " times within " + TIMEOUT + ": "
                    + writers.stream().map(Writer::summary).toList() + "\n" + state());
            }
            for (Writer w : writers) {
                assertEquals(w.getName() + " failed before the unplug", null, w.error);
            }

            long unplugStart = System.nanoTime();
            long[] unplugEnd = {0};
            Thread unplug = new Thread(() -> {
                unplugController();
                unplugEnd[0] = System.nanoTime();
            }, "ahci-unplug");
            unplug.setDaemon(true);
            unplug.start();

            long joinDeadline = unplugStart + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
            List<Thread> threads = new ArrayList<>(writers);
            threads.add(unplug);
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            }
            List<String> hung = threads.stream().filter(Thread::isAlive).map(t -> t.getName() + " at "
                + Arrays.stream(t.getStackTrace()).map(String::valueOf).collect(Collectors.joining("\n    ")))
                .toList();
            assertTrue("still running " + JOIN_MILLIS + " ms after the unplug began:\n" + String.join("\n", hung),
                hung.isEmpty());
            assertTrue("the unplug did not complete (see the log)", unplugEnd[0] != 0);
            long unplugMillis = TimeUnit.NANOSECONDS.toMillis(unplugEnd[0] - unplugStart);
            List<String> late = new ArrayList<>();
            for (Writer w : writers) {
                assertTrue(w.getName() + " ended with " + w.error + " instead of a DeviceGoneException",
                    w.error instanceof DeviceGoneException);
                long millis = TimeUnit.NANOSECONDS.toMillis(w.failedAt - unplugStart);
                if (millis > ERROR_WITHIN_MILLIS) {
                    late.add(w.getName() + " after " + millis + " ms");
                }
            }
            LoggerFactory.getLogger(AhciUnplugIT.class).info("surprise unplug under {} writers: the unplug call took {} "
                + "ms; errors after {} ms; {}", WRITERS, unplugMillis, writers.stream()
                    .map(w -> TimeUnit.NANOSECONDS.toMillis(w.failedAt - unplugStart)).toList(),
                writers.stream().map(Writer::summary).toList());
            assertTrue("writers that got their DeviceGoneException more than " + ERROR_WITHIN_MILLIS + " ms after the "
                + "unplug began (the unplug call took " + unplugMillis + " ms): " + late, late.isEmpty());
        } finally {
            writers.forEach(Thread::interrupt);
        }

        plugController();

        awaitController("BOUND to the ahci driver after the re-plug", AhciTestSupport::bound);
        BlockDevice again = awaitDisk();
        List<String> wrong = new ArrayList<>();
        int durable = 0;
        for (Writer w : writers) {
            ByteBuffer region = ByteBuffer.allocate(REGION * BLOCK);
            again.read(w.base, region);
            for (int i = 0; i < REGION; i++) {
                long lba = w.base + i;
                Set<Integer> acceptable = w.acceptable(lba);
                int found = BlockPattern.generation(region.slice(i * BLOCK, BLOCK), lba);
                if (!acceptable.contains(found)) {
                    wrong.add("block " + lba + " (" + w.getName() + ") holds " + BlockPattern.describe(found)
                        + ", expected one of generations " + new TreeSet<>(acceptable));
                }
                durable += w.durable.containsKey(lba) && acceptable.size() == 1 ? 1 : 0;
            }
        }
        assertTrue("blocks that do not read back as flushed (or written since the last flush) after the re-plug: "
            + wrong.size() + ", e.g. " + wrong.subList(0, Math.min(10, wrong.size())), wrong.isEmpty());
        assertTrue("no block was flushed and left alone afterwards: the check above checked nothing strict",
            durable > 0);
    }

    /**
     * Writes runs of 1 to {@link #MAX_RUN} blocks with a new generation each into its own {@link #REGION} blocks,
     * flushes every {@link #WRITES_PER_FLUSH} writes, and keeps a record: per block the generation a successful flush
     * made durable, and the generations written since (which may or may not be on the disk). Ends at the first error.
     */
    static final class Writer extends Thread {
        final long base;
        private final BlockDevice disk;
        private final CountDownLatch flushedEnough;
        private final Random random;
        /** Block to the last generation a successful flush covered. */
        final Map<Long, Integer> durable = new HashMap<>();
        /** Block to the generations written (or tried) since its last flush. */
        final Map<Long, Set<Integer>> unflushed = new HashMap<>();
        volatile Throwable error;
        volatile long failedAt;
        private volatile int writes;
        private volatile int flushes;

        Writer(int number, BlockDevice disk, long base, CountDownLatch flushedEnough) {
            super("ahci-writer-" + number);
            this.base = base;
            this.disk = disk;
            this.flushedEnough = flushedEnough;
            this.random = new Random(number);
            setDaemon(true);
        }

        @Override
        public void run() {
            Map<Long, Integer> latest = new HashMap<>();
            try {
                for (int generation = 1; ; generation++) {
                    int run = 1 + random.nextInt(MAX_RUN);
                    long lba = base + random.nextInt(REGION - run + 1);
                    ByteBuffer data = ByteBuffer.allocate(run * BLOCK);
                    for (int i = 0; i < run; i++) {
                        data.put(BlockPattern.of(lba + i, generation, BLOCK));
                        unflushed.computeIfAbsent(lba + i, k -> new HashSet<>()).add(generation);
                        latest.put(lba + i, generation);
                    }
                    disk.write(lba, data.flip());
                    if (++writes % WRITES_PER_FLUSH == 0) {
                        disk.flush();
                        durable.putAll(latest);
                        latest.clear();
                        unflushed.clear();
                        if (++flushes == FLUSHES_BEFORE_UNPLUG) {
                            flushedEnough.countDown();
                        }
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                failedAt = System.nanoTime();
                error = e;
            }
        }

        /** The generations block {@code lba} may hold: the durable one (0 if none), and any written since. */
        Set<Integer> acceptable(long lba) {
            Set<Integer> ok = new HashSet<>(unflushed.getOrDefault(lba, Set.of()));
            ok.add(durable.getOrDefault(lba, 0));
            return ok;
        }

        String summary() {
            return getName() + ": " + writes + " writes, " + flushes + " flushes"
                + (error == null ? "" : ", failed: " + error);
        }
    }
}

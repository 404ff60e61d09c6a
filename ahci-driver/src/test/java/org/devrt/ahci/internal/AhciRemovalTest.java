package org.devrt.ahci.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.devrt.device.DeviceGoneException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The device goes away under load: by surprise (unplug), or because the driver is detached. Nothing hangs. */
public class AhciRemovalTest {
    /** Longer than any of these tests may take: a request must never end by timing out here. */
    static final Duration LONG_TIMEOUT = Duration.ofSeconds(30);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A thread that writes until its first failure, which it keeps with the time it came. */
    static final class Writer extends Thread {
        final SataDisk disk;
        final long lba;
        final CountDownLatch started;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong failedAt = new AtomicLong();

        final boolean direct;

        /** A writer of 64 KiB at {@code lba}, from a direct buffer (which the driver maps) or a heap one. */
        Writer(SataDisk disk, long lba, CountDownLatch started, boolean direct) {
            super("writer-" + lba + (direct ? "-direct" : "-heap"));
            this.disk = disk;
            this.lba = lba;
            this.started = started;
            this.direct = direct;
        }

        @Override
        public void run() {
            ByteBuffer data = direct ? ByteBuffer.allocateDirect(64 << 10) : ByteBuffer.allocate(64 << 10);
            try {
                for (int i = 0;; i++) {
                    disk.write(lba, data.clear());
                    if (i == 0) {
                        started.countDown();
                    }
                }
            } catch (Throwable e) {
                failedAt.set(System.nanoTime());
                failure.set(e);
            }
        }
    }

    private static List<Writer> startWriters(SataDisk disk, int count) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Writer w = new Writer(disk, i * 256L, started, i % 2 == 1);
            writers.add(w);
            w.start();
        }
        assertTrue("writers under way", started.await(10, TimeUnit.SECONDS));
        return writers;
    }

    private static void assertAllGoneWithinASecond(List<Writer> writers, long since, String reason)
            throws InterruptedException {
        for (Writer w : writers) {
            w.join(5000);
            assertFalse(w.getName() + " still running: a request hangs", w.isAlive());
            Throwable e = w.failure.get();
            assertNotNull(w.getName() + " never failed", e);
            assertTrue(w.getName() + " failed with " + e + ", want DeviceGoneException", e instanceof DeviceGoneException);
            assertTrue(w.getName() + ": '" + e.getMessage() + "' should say " + reason, e.getMessage().contains(reason));
            long millis = TimeUnit.NANOSECONDS.toMillis(w.failedAt.get() - since);
            assertTrue(w.getName() + " failed " + millis + " ms after the device went, want under 1000", millis < 1000);
        }
    }

    @Test
    public void surpriseRemovalFailsConcurrentWritersWithinASecond() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "delay=2")) {
            rig.attach(LONG_TIMEOUT);
            List<Writer> writers = startWriters(rig.disk(0), 8);
            long unplugged = System.nanoTime();
            rig.machine.unplug(ModelRig.ADDRESS);
            assertAllGoneWithinASecond(writers, unplugged, "removed");
            long start = System.nanoTime();
            rig.attachment.detach(); // what the device manager then does: must neither throw nor hang
            rig.attachment = null;
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("detach after removal took " + millis + " ms", millis < 2000);
            assertEquals("writers' buffers still mapped after the removal", 0, rig.mappedBuffers());
        }
    }

    @Test
    public void detachFailsRequestsInFlightPromptly() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "delay=2")) {
            rig.attach(LONG_TIMEOUT);
            List<Writer> writers = startWriters(rig.disk(0), 8);
            long detached = System.nanoTime();
            rig.attachment.detach();
            rig.attachment = null;
            assertAllGoneWithinASecond(writers, detached, "detached");
            assertEquals("writers' buffers still mapped after the detach", 0, rig.mappedBuffers());
        }
    }

    @Test
    public void detachFailsACommandThatNeverCompletes() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "hang=1")) {
            AhciPort port = rig.controller(LONG_TIMEOUT).port(0);
            SataDisk disk = rig.disk(port, ModelRig.sixteenMiB());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong failedAt = new AtomicLong();
            Thread reader = new Thread(() -> {
                try {
                    disk.read(0, ByteBuffer.allocate(4096));
                } catch (Throwable e) {
                    failedAt.set(System.nanoTime());
                    failure.set(e);
                }
            });
            reader.start();
            Thread.sleep(300);
            long detached = System.nanoTime();
            rig.attachment.detach();
            rig.attachment = null;
            reader.join(5000);
            assertFalse("the read still waits after detach", reader.isAlive());
            assertTrue("the read failed with " + failure.get(), failure.get() instanceof DeviceGoneException);
            long millis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - detached);
            assertTrue("failed " + millis + " ms after detach", millis < 1000);
        }
    }
}

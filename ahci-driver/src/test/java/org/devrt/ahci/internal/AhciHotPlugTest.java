package org.devrt.ahci.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.devrt.device.DeviceGoneException;
import org.devrt.device.DeviceService;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Disks pulled from and connected to a port of an HBA that stays (SATA hot plug, PxIS.PRCS and PCS): the model's
 * {@code surpriseRemove} and {@code insert}.
 */
public class AhciHotPlugTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for " + what, System.nanoTime() < end);
            Thread.sleep(5);
        }
    }

    @Test
    public void aDiskPulledFromItsPortFailsItsRequestsItsServiceGoesAndItComesBackWhenConnected() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "delay=2")) {
            rig.attach(AhciRemovalTest.LONG_TIMEOUT);
            SataDisk disk = rig.disk(0);
            byte[] data = AhciIoTest.random(64 << 10, 7);
            disk.write(300, ByteBuffer.wrap(data));
            disk.flush();
            CountDownLatch started = new CountDownLatch(4);
            List<AhciRemovalTest.Writer> writers = List.of(new AhciRemovalTest.Writer(disk, 1000, started, false),
                    new AhciRemovalTest.Writer(disk, 2000, started, true),
                    new AhciRemovalTest.Writer(disk, 3000, started, false),
                    new AhciRemovalTest.Writer(disk, 4000, started, true));
            writers.forEach(Thread::start);
            assertTrue("writers under way", started.await(10, TimeUnit.SECONDS));

            long pulled = System.nanoTime();
            rig.model.surpriseRemove(0);
            for (AhciRemovalTest.Writer w : writers) {
                w.join(5000);
                assertFalse(w.getName() + " still running: a request hangs", w.isAlive());
                Throwable e = w.failure.get();
                assertNotNull(w.getName() + " never failed", e);
                assertTrue(w.getName() + " failed with " + e, e instanceof DeviceGoneException
                        && e.getMessage().contains("the disk was removed from port 0"));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pulled);
            assertTrue("requests failed " + millis + " ms after the pull: within the link's second and a bit",
                    millis < 3000);
            await("the disk's service withdrawn", () -> !rig.published.get(0).registered().get());
            assertEquals("the controller stays attached", 0, rig.problems.size());
            assertEquals("writers' buffers unmapped", 0, rig.mappedBuffers());

            rig.model.insert(0);
            await("the disk published again", () -> rig.published.size() == 2
                    && rig.published.get(1).registered().get());
            SataDisk again = rig.disk(1);
            assertEquals("emulated/0000:00:1f.2/port0", rig.published.get(1).properties().get(DeviceService.DEVICE_ID));
            ByteBuffer back = ByteBuffer.allocate(data.length);
            again.read(300, back);
            assertArrayEquals("what was flushed before the pull is on the disk", data, back.array());
            AhciErrorTest.roundTrip(again, 5000, 64);
        }
    }

    @Test
    public void aPortEmptyAtBringUpTakesADiskConnectedLater() throws Exception {
        Path second = tmp.getRoot().toPath().resolve("disk1.img");
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "disk1=" + second, "size1=8M")) {
            rig.model.surpriseRemove(1); // the cable of port 1 not plugged yet
            rig.attach(Duration.ofSeconds(5));
            assertEquals("one disk at bring-up", 1, rig.published.size());
            rig.model.insert(1);
            await("the connected disk published", () -> rig.published.size() == 2);
            assertEquals("emulated/0000:00:1f.2/port1", rig.published.get(1).properties().get(DeviceService.DEVICE_ID));
            SataDisk disk = rig.disk(1);
            assertEquals("the 8 MiB disk of port 1", 8L << 20, disk.blockCount() * disk.blockSize());
            AhciErrorTest.roundTrip(disk, 10, 16);
            AhciErrorTest.roundTrip(rig.disk(0), 10, 16);
        }
    }

    @Test
    public void theLinkDroppingForAComresetIsNoRemoval() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(5));
            rig.model.linkErrorNext(0, 1); // the recovery resets the port: PhyRdy goes down and up
            AhciErrorTest.roundTrip(rig.disk(0), 64, 8);
            Thread.sleep(AhciController.LINK_TIMEOUT.toMillis() + 300); // the port check has looked
            assertEquals("one disk, still published", 1, rig.published.size());
            assertTrue(rig.published.get(0).registered().get());
            AhciErrorTest.roundTrip(rig.disk(0), 128, 8);
        }
    }

    @Test
    public void aDiskStillSpinningUpAtBringUpIsPublishedOnceReady() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "spin-up=3500")) {
            long start = System.nanoTime();
            rig.attach(Duration.ofSeconds(5));
            long attach = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("attach waited " + attach + " ms: it waits 2 s for a busy disk, then leaves it to the port check",
                    attach < 3000);
            assertEquals("nothing published yet", 0, rig.published.size());
            assertEquals("no problem: the disk is spinning up", List.of(), rig.problems);
            await("the disk published once it spun up", () -> rig.published.size() == 1);
            AhciErrorTest.roundTrip(rig.disk(0), 10, 16);
        }
    }

    @Test
    public void aDiskThatNeverBecomesReadyIsLeftAloneAndReportedAsAProblem() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "spin-up=60000")) {
            List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
            AhciController hba = rig.controller(Duration.ofSeconds(5), Duration.ofMillis(500), problems::add);
            await("the problem reported", () -> !problems.isEmpty());
            assertEquals("port 0: a device is present but never became ready (PxTFD.STS BSY or DRQ stayed set for"
                    + " 500 ms); left alone", problems.get(0));
            assertEquals("no disk started", null, hba.port(0));
        }
    }
}

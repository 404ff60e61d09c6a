package org.devrt.ahci.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.devrt.hw.DeviceTimeoutException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Errors injected by the model ({@code fail=N}: the first N commands of each port abort; {@code hang=N}: they
 * never complete): the request fails with an IOException that says why, and the port recovers (§6.2.2.1) so the
 * next command works.
 */
public class AhciErrorTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void assertContains(String what, String text, String... parts) {
        for (String part : parts) {
            assertTrue(what + " should name " + part + ":\n" + text, text.contains(part));
        }
    }

    @Test
    public void abortedCommandFailsNamingTheAtaErrorAndThePortRecovers() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "fail=1")) {
            AhciPort port = rig.controller(Duration.ofSeconds(2)).port(0);
            IOException e = assertThrows(IOException.class, () -> AhciController.identify(port));
            assertContains("the aborted IDENTIFY's error", e.getMessage(), "IDENTIFY DEVICE", "TFES", "ABRT",
                    "PxTFD");
            IdentifyData id = AhciController.identify(port);
            assertEquals("IDENTIFY after recovery", 32768, id.sectors());
            roundTrip(rig.disk(port, id), 40, 16);
        }
    }

    /**
     * An interface error (a CRC error on a marginal cable: PxIS.IFS, the command never reached the disk) failed the
     * command at once, so a bad cable made file-system errors; libata retries an ATA bus error, and so does this now.
     */
    @Test
    public void aLinkErrorIsRetriedAfterAPortResetAndTheDataArrives() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(2));
            rig.model.linkErrorNext(0, 2); // each command's first try, and one retry, fail on the link
            roundTrip(rig.disk(0), 64, 8);
        }
    }

    /** A link that keeps failing fails the command after MAX_ATTEMPTS tries, naming the interface error. */
    /**
     * Interface errors the HBA recovers from (PxIS.INFS: it "was able to continue operation", §3.3.5) are no errors:
     * the commands complete, and the disk is not reset. Each stopped the engine and COMRESET the disk, and a command
     * that met three failed.
     */
    @Test
    public void interfaceErrorsTheHbaRecoversFromAreNoErrors() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(5));
            SataDisk disk = rig.disk(0);
            rig.model.recoveredErrorNext(0, 6);
            for (int i = 0; i < 3; i++) {
                roundTrip(disk, 64 * i, 8);
            }
            assertEquals("no COMRESET", 0, disk.port().comresets());
        }
    }

    @Test
    public void aLinkThatKeepsFailingFailsTheCommandAfterItsAttempts() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(2));
            rig.model.linkErrorNext(0, AhciPort.MAX_ATTEMPTS);
            IOException e = assertThrows(IOException.class,
                    () -> rig.disk(0).read(0, java.nio.ByteBuffer.allocate(512)));
            assertContains("the failure", e.getMessage(), "gave up after " + AhciPort.MAX_ATTEMPTS + " attempts",
                    "IFS");
        }
    }

    @Test
    public void attachSurvivesAnAbortedIdentifyByRetryingIt() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "fail=1")) {
            rig.attach(Duration.ofSeconds(2));
            assertEquals(1, rig.published.size());
            roundTrip(rig.disk(0), 0, 8);
        }
    }

    /** A disk whose IDENTIFY failed twice went missing with the controller BOUND, no reason, nothing in diag. */
    @Test
    public void aDiskThatNeverAnswersIdentifyIsReportedToTheDeviceManager() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "fail=2")) {
            rig.attach(Duration.ofSeconds(2));
            assertEquals(0, rig.published.size());
            assertEquals(1, rig.problems.size());
            assertEquals("the problem reported", "port 0: disk left out: IDENTIFY DEVICE (slot 0) failed: task file"
                    + " error (TFES), status 0x51 (DRDY DSC ERR), error 0x04 (ABRT) (twice; the log has the port's"
                    + " registers)", rig.problems.get(0));
            assertFalse("one line: " + rig.problems.get(0), rig.problems.get(0).contains("\n"));
        }
    }

    /**
     * Disks that never answer IDENTIFY cost at most two short time-outs and a recovery, every port at once: with the
     * command time-out (10 s) one such disk made the attach overrun the device manager's 10 s, and the whole
     * controller was quarantined instead of left without that disk.
     */
    @Test
    public void disksThatNeverAnswerIdentifyAreLeftOutWellWithinTheAttachTimeOut() throws Exception {
        Path dir = tmp.getRoot().toPath();
        try (ModelRig rig = new ModelRig(dir, "hang=2", "disk1=" + dir.resolve("disk1.img"), "size1=16M")) {
            long start = System.nanoTime();
            rig.attach(Duration.ofSeconds(30));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("attach took " + millis + " ms with two disks that never answer", millis < 8000);
            assertEquals(0, rig.published.size());
            assertEquals(1, rig.problems.size());
            for (int port = 0; port < 2; port++) {
                assertContains("the problem reported", rig.problems.get(0), "port " + port + ": disk left out:"
                        + " IDENTIFY DEVICE (slot 0) did not complete within 2000 ms (twice;");
            }
        }
    }

    /**
     * The same with disks that also stay busy after the recovery's COMRESET: a probed port's recovery waits 2 s for
     * them, not the 10 s a disk in use gets, which made the attach overrun the device manager's 10 s again.
     */
    @Test
    public void disksBusyAfterTheProbesComresetAreLeftOutWellWithinTheAttachTimeOut() throws Exception {
        Path dir = tmp.getRoot().toPath();
        try (ModelRig rig = new ModelRig(dir, "hang=2", "disk1=" + dir.resolve("disk1.img"), "size1=16M")) {
            AhciController hba = rig.controller(Duration.ofSeconds(30));
            rig.model.spinUp(15_000); // from the recovery's COMRESET on
            long start = System.nanoTime();
            assertEquals(List.of(), hba.identifyDisks());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("IDENTIFY of two disks busy after their COMRESET took " + millis + " ms", millis < 9000);
        }
    }

    @Test
    public void commandThatNeverCompletesTimesOutWithAPortRegisterDumpAndThePortRecovers() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "hang=1")) {
            AhciPort port = rig.controller(Duration.ofMillis(500)).port(0);
            long start = System.nanoTime();
            DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, () -> AhciController.identify(port));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("timed out after " + millis + " ms, want about 500", millis >= 450 && millis < 3000);
            assertContains("the time-out", e.getMessage(), "IDENTIFY DEVICE", "did not complete within 500 ms");
            assertContains("the register dump", e.registerDump(), "PxCI", "PxCMD", "PxTFD", "PxSSTS", "PxIS");
            IdentifyData id = AhciController.identify(port);
            roundTrip(rig.disk(port, id), 100, 300);
        }
    }

    /**
     * A disk that spins up again after the recovery's COMRESET (3 s here) is waited for: the recovery gave up after
     * 2 s before, and the port was out of service for good.
     */
    @Test
    public void aDiskBusyForSecondsAfterTheRecoverysComresetIsWaitedForAndThePortWorks() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofMillis(500));
            SataDisk disk = rig.disk(0);
            rig.model.spinUp(3000); // from the next link-up: the recovery's COMRESET
            rig.model.hangNext(0, 1);
            long start = System.nanoTime();
            assertThrows(DeviceTimeoutException.class, () -> roundTrip(disk, 8, 8));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("the recovery (time-out, COMRESET, 3 s of spin-up) ended after " + millis + " ms",
                    millis >= 3000);
            roundTrip(disk, 100, 300);
            assertTrue("the disk's service stays registered", rig.published.get(0).registered().get());
        }
    }

    /**
     * A detach while a recovery waits for a disk that stays busy does not wait for it: the recovery sees the port
     * closing, leaves the engine stopped and ends, and the detach is done at once.
     */
    @Test
    public void aDetachDuringARecoveryWaitingForABusyDiskEndsAtOnce() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "hang=1")) {
            AhciPort port = rig.controller(Duration.ofMillis(300)).port(0);
            rig.model.spinUp(60_000);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> identify = pool.submit(() -> AhciController.identify(port));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (port.comresets() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals("the recovery's COMRESET was sent", 1, port.comresets());
                Thread.sleep(200); // the recovery now waits for BSY to clear
                long start = System.nanoTime();
                rig.attachment.detach();
                rig.attachment = null;
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue("the detach took " + millis + " ms with a recovery waiting for a busy disk", millis < 1000);
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> identify.get(2, TimeUnit.SECONDS));
                assertTrue("the hung IDENTIFY fails with its time-out, not " + e.getCause(),
                        e.getCause() instanceof DeviceTimeoutException);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * An HBA that never writes PRDBC back (FreeBSD's AHCI_Q_NOCOUNT: Marvell 88SE6121/6141/6145, without NCQ): its
     * reads and writes work. They all failed ("moved 0 bytes (PRDBC), expected ..."), after an attach that went well.
     */
    @Test
    public void anHbaThatNeverWritesPrdbcBackStillReadsAndWrites() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "ncq=false", "prdbc=false")) {
            rig.attach(Duration.ofSeconds(5));
            roundTrip(rig.disk(0), 100, 300);
        }
    }

    @Test
    public void aChangedCommandTimeOutReachesTheAttachedDiskWithoutDetachingIt() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath())) {
            rig.attach(Duration.ofSeconds(30));
            SataDisk disk = rig.disk(0);

            rig.driver.modified(timeoutOf(400), Map.of("commandTimeoutMillis", 400L));
            rig.model.hangNext(0, 1);

            long start = System.nanoTime();
            DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, () -> roundTrip(disk, 8, 8));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("the hung write failed after " + millis + " ms; the new time-out is 400 ms, the old 30 s",
                    millis >= 350 && millis < 5000);
            assertContains("the time-out", e.getMessage(), "did not complete within 400 ms");
            assertTrue("the disk's service stays registered", rig.published.get(0).registered().get());
            roundTrip(disk, 8, 8);
        }
    }

    /** The driver's configuration with {@code millis}, as SCR would hand it over. */
    private static AhciDriver.Config timeoutOf(long millis) {
        return new AhciDriver.Config() {
            @Override
            public long commandTimeoutMillis() {
                return millis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return AhciDriver.Config.class;
            }
        };
    }

    @Test
    public void onlyTheCommandThatHungFailsAndTheOthersInFlightAreIssuedAgain() throws Exception {
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "hang=1")) {
            AhciPort port = rig.controller(Duration.ofMillis(800)).port(0);
            SataDisk disk = rig.disk(port, ModelRig.sixteenMiB());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> others = firstThenSeven(pool, disk, 200); // the first: the one that never completes
                Future<?> first = others.remove(0);
                ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(20, TimeUnit.SECONDS));
                assertTrue("the hung command fails with a time-out, not " + e.getCause(),
                        e.getCause() instanceof DeviceTimeoutException);
                assertContains("the time-out", e.getCause().getMessage(), "WRITE DMA EXT lba 1000 count 64");
                for (Future<?> other : others) {
                    other.get(20, TimeUnit.SECONDS); // completes after the recovery put it back
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Round trips of 64 blocks on the pool: from LBA 1000 first, alone (the port's first command), then
     * {@code millis} later seven more after it; the first future is the first of the list.
     */
    static List<Future<?>> firstThenSeven(ExecutorService pool, SataDisk disk, long millis)
            throws InterruptedException {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long lba = 1000 + i * 64L;
            all.add(pool.submit(() -> {
                roundTrip(disk, lba, 64);
                return null;
            }));
            if (i == 0) {
                Thread.sleep(millis);
            }
        }
        return all;
    }

    static void roundTrip(SataDisk disk, long lba, int blocks) throws IOException {
        byte[] data = new byte[blocks * 512];
        new java.util.Random(lba).nextBytes(data);
        disk.write(lba, ByteBuffer.wrap(data));
        ByteBuffer back = ByteBuffer.allocate(data.length);
        disk.read(lba, back);
        assertArrayEquals("data at lba " + lba, data, back.array());
    }
}

package org.devrt.itests;

import static org.devrt.device.DeviceState.ATTACHING;
import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.device.DeviceState.INSTALLING;
import static org.devrt.device.DeviceState.QUARANTINED;
import static org.devrt.itests.DriverBundle.driver;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceStatus;
import org.devrt.itests.testdriver.DriverTrace;
import org.devrt.pci.PciFunction;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.osgi.framework.Bundle;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Attaches that throw, hang or finish too late: retries with back-off, quarantine, time-outs, revoked access. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverFailureIT extends DeviceManagerTestSupport {
    static final long ATTACH_TIMEOUT = 500;
    static final long BACKOFF = 100;
    static final int MAX_ATTEMPTS = 3;

    /** Throws on its first three attaches (as many as the manager tries before quarantine), then attaches. */
    static final DriverBundle FLAKY = driver("itest.flaky", "itest-flaky").ids(0x1234, 0x0101).behaviour("throw:3");
    static final DriverBundle HANGS = driver("itest.hangs", "itest-hangs").ids(0x1234, 0x0102).behaviour("hang");
    static final DriverBundle LATE = driver("itest.late", "itest-late").ids(0x1234, 0x0103)
            .behaviour("late:" + (ATTACH_TIMEOUT + 300));
    /** Takes most of the attach time-out: long enough to be unbound while it attaches. */
    static final DriverBundle SLOW = driver("itest.slow", "itest-slow").ids(0x1234, 0x0105)
            .behaviour("late:" + ATTACH_TIMEOUT * 4 / 5);
    /** Comes back from its attach after the device manager was stopped under it. */
    static final DriverBundle OUTLIVES = driver("itest.outlives", "itest-outlives").ids(0x1234, 0x0107)
            .behaviour("late:" + ATTACH_TIMEOUT * 4 / 5);
    /** Declares the driver itest-silent and never registers it (as a driver whose component cannot activate). */
    static final DriverBundle SILENT = driver("itest.silent", "itest-silent").ids(0x1234, 0x0104).behaviour("silent");

    /** Matches 1234:0106 by its ids (score 4) and refuses every attach; FALLBACK matches its class (score 2). */
    static final DriverBundle BROKEN = driver("itest.broken", "itest-broken").ids(0x1234, 0x0106).behaviour("throw");
    static final DriverBundle FALLBACK = driver("itest.fallback", "itest-fallback").classAndSubclass(0xfe, 0x01);

    @Override
    protected List<DriverBundle> drivers() {
        return List.of(FLAKY, HANGS, LATE, SILENT, SLOW, BROKEN, FALLBACK, OUTLIVES);
    }

    /**
     * The best driver fails as often as the manager tries: the next matching one is tried, as Linux's driver core
     * goes on to the next driver when a probe fails. The device was quarantined beside a driver that would work.
     */
    @Test
    public void whenTheBestDriverKeepsFailingTheNextMatchingDriverTakesTheDevice() throws Exception {
        String id = plug("00:16.0", 0x1234, 0x0106, 0xfe0100);

        DeviceStatus bound = awaitState(id, BOUND);
        assertEquals("driver of " + id + "\n" + state(), FALLBACK.driverId(), bound.driverId());
        assertEquals("attaches of " + BROKEN + " before it was given up on\n" + state(), MAX_ATTEMPTS,
                traceCount(BROKEN, DriverTrace.ATTACH_CALLS));
        assertTrue("the last FAILED reason does not say " + BROKEN.driverId() + " was given up on for the next: "
                + failedReasons(id), failedReasons(id).stream().anyMatch(r -> r.contains(BROKEN.driverId()
                        + " given up on for this device after " + MAX_ATTEMPTS + " failures in a row; next: "
                        + FALLBACK.driverId())));
        String why = shell("devrt:why " + id);
        assertTrue("'why' does not say which driver is in use:\n" + why, why.lines().anyMatch(
                l -> l.contains(FALLBACK.driverId()) && l.strip().endsWith("in use")));
        assertTrue("'why' does not say " + BROKEN.driverId() + " was given up on:\n" + why, why.lines().anyMatch(
                l -> l.contains(BROKEN.driverId()) && l.contains("not used: given up on for this device after "
                        + MAX_ATTEMPTS + " failures in a row; 'bind " + id + "' tries it again")));
        assertStays("no more attaches by " + BROKEN, Duration.ofMillis(500),
                () -> traceCount(BROKEN, DriverTrace.ATTACH_CALLS) == MAX_ATTEMPTS);
    }

    @Test
    public void aDriverBundleThatNeverRegistersItsDriverFailsTheDevicePointingAtDiag() throws Exception {
        String id = plug("00:13.0", 0x1234, 0x0104, 0xff0000);

        String[] waiting = new String[1];
        await("INSTALLING, waiting for itest.silent's driver", () -> inventory.device(id)
                .filter(d -> d.state() == INSTALLING && d.reason().contains("to register driver"))
                .map(d -> waiting[0] = d.reason()).isPresent());
        assertTrue("the reason does not say 'diag itest.silent' tells why: " + waiting[0],
                waiting[0].contains("waiting for itest.silent to register driver itest-silent")
                        && waiting[0].contains("'diag itest.silent'"));
        await("a FAILED state for " + id, () -> !failedReasons(id).isEmpty());
        String failed = failedReasons(id).get(0);
        assertTrue("the FAILED reason does not name the missing driver, the time-out and diag: " + failed,
                failed.contains("driver bundle itest.silent registered no PciDriver service 'itest-silent' within "
                        + ATTACH_TIMEOUT + " ms") && failed.contains("'diag itest.silent'"));
    }

    @Override
    protected Map<String, String> managerConfig() {
        Map<String, String> config = super.managerConfig();
        config.put("attachTimeoutMillis", Long.toString(ATTACH_TIMEOUT));
        config.put("maxAttempts", Integer.toString(MAX_ATTEMPTS));
        config.put("retryBackoffMillis", Long.toString(BACKOFF));
        return config;
    }

    @Test
    public void anAttachThatThrowsIsRetriedWithDoublingBackOffThenQuarantinedAndBindTriesAgain() throws Exception {
        String id = plug("00:10.0", 0x1234, 0x0101, 0xff0000);

        DeviceStatus quarantined = awaitState(id, QUARANTINED);
        assertEquals("attaches before quarantine\n" + state(), MAX_ATTEMPTS, traceCount(FLAKY, DriverTrace.ATTACH_CALLS));
        assertTrue("the reason does not give the driver's error: " + quarantined.reason(),
                quarantined.reason().contains("refuses attach 3"));
        assertTrue("the reason does not say 'bind " + id + "' tries again: " + quarantined.reason(),
                quarantined.reason().contains("bind " + id));
        long[] started = (long[]) trace(FLAKY).get(DriverTrace.ATTACH_MILLIS);
        long firstGap = started[1] - started[0];
        long secondGap = started[2] - started[1];
        assertTrue("attaches began at " + Arrays.toString(started) + ": the first retry came before the back-off of "
                + BACKOFF + " ms", firstGap >= BACKOFF);
        assertTrue("attaches began at " + Arrays.toString(started) + ": the second retry came before the doubled back-off of "
                + 2 * BACKOFF + " ms", secondGap >= 2 * BACKOFF);
        assertArrayEquals("the reasons of the FAILED states", new String[] {
            "retry 1 of 2 in " + BACKOFF + " ms", "retry 2 of 2 in " + 2 * BACKOFF + " ms"},
                failedReasons(id).stream().map(r -> r.substring(r.lastIndexOf("; ") + 2)).toArray());
        assertStays("no attach while " + id + " is quarantined", Duration.ofMillis(800),
                () -> traceCount(FLAKY, DriverTrace.ATTACH_CALLS) == MAX_ATTEMPTS
                        && inventory.device(id).get().state() == QUARANTINED);
        String overview = shell("devrt:diag");
        assertTrue("diag does not name the quarantined device with its reason:\n" + overview,
                overview.contains("device " + id + " is QUARANTINED: " + quarantined.reason()));

        inventory.bind(id);

        awaitState(id, BOUND);
        assertEquals("attaches after bind\n" + state(), MAX_ATTEMPTS + 1, traceCount(FLAKY, DriverTrace.ATTACH_CALLS));
        assertEquals("device services of " + id + "\n" + state(), 1, servicesOf(id).size());
    }

    @Test
    public void anAttachThatHangsIsTimedOutAndLosesItsAccessToTheDevice() throws Exception {
        String id = plug("00:11.0", 0x1234, 0x0102, 0xff0000);

        await("a FAILED state for " + id, () -> !failedReasons(id).isEmpty());
        String failed = failedReasons(id).get(0);
        assertTrue("the FAILED reason does not name the time-out of " + ATTACH_TIMEOUT + " ms: " + failed,
                failed.contains("did not finish within " + ATTACH_TIMEOUT + " ms"));
        await("the hung attach of " + HANGS + " sees its register access revoked",
                () -> revocations().length >= 1);
        String revoked = revocations()[0];
        assertTrue("what the hung driver got is not a revocation of its BAR: " + revoked,
                revoked.contains("BAR 0") && revoked.contains("revoked"));

        DeviceStatus quarantined = awaitState(id, QUARANTINED);
        assertTrue("the quarantine reason does not name the time-out: " + quarantined.reason(),
                quarantined.reason().contains("did not finish within " + ATTACH_TIMEOUT + " ms"));
        await("each of the " + MAX_ATTEMPTS + " hung attaches lost its access", () -> revocations().length == MAX_ATTEMPTS);
        assertTrue("a device service of " + id + " although no attach finished\n" + state(), servicesOf(id).isEmpty());
        PciFunction device = function(id);
        try (PciFunction.AccessGrant grant = device.grantAccess()) {
            assertTrue("a fresh grant's view is not attachable", grant.function().isAttachable());
        } catch (IOException e) {
            fail("the hung driver still holds " + id + ": " + e.getMessage() + "\n" + state());
        }
    }

    @Test
    public void anAttachThatFinishesAfterItsTimeOutIsDetachedAtOnce() throws Exception {
        String id = plug("00:12.0", 0x1234, 0x0103, 0xff0000);

        awaitState(id, QUARANTINED);
        await("every late attach of " + LATE + " detached again",
                () -> traceCount(LATE, DriverTrace.ATTACHED) == MAX_ATTEMPTS
                        && traceCount(LATE, DriverTrace.DETACH_CALLS) == MAX_ATTEMPTS);
        assertTrue("a device service of " + id + " stayed from a late attach\n" + state(), servicesOf(id).isEmpty());
        assertTrue("the device was BOUND by a late attach: " + eventNames(id),
                !eventNames(id).contains(DeviceEvents.DEVICE_STATE + " BOUND"));
    }

    /**
     * Unbound while its driver attached, then bound at once: the second attach began while the first still ran in
     * the driver (which returned later and registered its device beside the second's, as the network stack's
     * "eth0 exists already" showed). The second now waits for the first to return and be detached.
     */
    @Test
    public void anAttachCutOffByUnbindReturnsBeforeTheNextOneBegins() throws Exception {
        String id = plug("00:15.0", 0x1234, 0x0105, 0xff0000);
        await("an ATTACHING state for " + id, () -> eventNames(id).contains(DeviceEvents.DEVICE_STATE + " ATTACHING"));
        inventory.unbind(id);
        inventory.bind(id);

        awaitState(id, BOUND);
        await("two attaches of " + SLOW + ", the first detached", () -> traceCount(SLOW, DriverTrace.ATTACH_CALLS) == 2
                && traceCount(SLOW, DriverTrace.DETACH_CALLS) == 1);
        assertEquals("attaches of " + id + " running at one time", 1,
                traceCount(SLOW, DriverTrace.MOST_CONCURRENT_ATTACHES));
        assertEquals("device services of " + id + "\n" + state(), 1, servicesOf(id).size());
    }

    /** The reasons of the FAILED state events of {@code deviceId}, in order. */
    private List<String> failedReasons(String deviceId) {
        return eventsOf(deviceId).stream().filter(e -> "FAILED".equals(e.getProperty(DeviceEvents.STATE)))
                .map(e -> (String) e.getProperty(DeviceEvents.REASON)).toList();
    }

    /**
     * The device manager stopped while a driver attached: the attach that came back afterwards is detached at once.
     * Its outcome went to the stopped manager's worker, which refused it, and its services stayed registered over
     * revoked handles; the next manager's attach of the device then registered a second set.
     */
    @Test
    public void anAttachThatReturnsAfterTheManagerStoppedIsDetachedAtOnce() throws Exception {
        String id = plug("00:17.0", 0x1234, 0x0107, 0xff0000);
        awaitState(id, ATTACHING);
        Bundle manager = bundles("devrt.device-manager").get(0);

        manager.stop();
        try {
            await("the attach of " + OUTLIVES + " that returned after the manager stopped detached", () ->
                    traceCount(OUTLIVES, DriverTrace.ATTACH_CALLS) == 1
                            && traceCount(OUTLIVES, DriverTrace.DETACH_CALLS) == 1);
            assertStays("no device service of " + id + " while the manager is stopped", Duration.ofMillis(300),
                    () -> servicesOf(id).isEmpty());
        } finally {
            manager.start();
            inventory = awaitService(DeviceInventory.class, "(repository=" + filterValue(indexFile().toString())
                    + ")");
        }
        awaitState(id, BOUND);
        assertEquals("device services of " + id + " once the manager attached it again\n" + state(), 1,
                servicesOf(id).size());
    }

    private String[] revocations() {
        Object r = trace(HANGS).get(DriverTrace.REVOKED);
        return r instanceof String[] a ? a : new String[0];
    }
}

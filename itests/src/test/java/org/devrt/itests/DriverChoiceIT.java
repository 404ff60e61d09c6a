package org.devrt.itests;

import static org.devrt.device.DeviceState.BOUND;
import static org.devrt.itests.DriverBundle.driver;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.devrt.device.DeviceStatus;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Which of several matching drivers a device gets: the higher score, then driver id, bundle symbolic name and the
 * newest version, whatever is installed; and {@code why} shows the ranking.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DriverChoiceIT extends DeviceManagerTestSupport {
    static final DriverBundle BY_IDS = driver("itest.byids", "itest-byids").ids(0x1234, 0x0020);
    static final DriverBundle BY_CLASS = driver("itest.byclass", "itest-byclass").classAndSubclass(0x0b, 0x40);
    // Equal scores (4, vendor+device), each pair differing first in driver id, then in bundle, then in version.
    // The first of each pair wins; the second would win by the next key, and is installed by hand first.
    static final DriverBundle TIE_ID_WINNER = driver("itest.tie.zz", "itest-tie-a").ids(0x1234, 0x0021);
    static final DriverBundle TIE_ID_LOSER = driver("itest.tie.aa", "itest-tie-b").ids(0x1234, 0x0021);
    static final DriverBundle TIE_NAME_WINNER = driver("itest.same.a", "itest-same").ids(0x1234, 0x0022);
    static final DriverBundle TIE_NAME_LOSER = driver("itest.same.b", "itest-same").ids(0x1234, 0x0022);
    static final DriverBundle TIE_VERSION_WINNER = driver("itest.ver", "itest-ver").version("1.10.0").ids(0x1234, 0x0023);
    static final DriverBundle TIE_VERSION_LOSER = driver("itest.ver", "itest-ver").version("1.9.0").ids(0x1234, 0x0023);

    @Override
    protected List<DriverBundle> drivers() {
        return List.of(BY_IDS, BY_CLASS, TIE_ID_WINNER, TIE_ID_LOSER, TIE_NAME_WINNER, TIE_NAME_LOSER,
                TIE_VERSION_WINNER, TIE_VERSION_LOSER);
    }

    @Test
    public void theIdsRuleBeatsTheClassRuleAndWhyListsBothWithScoreAndVerdict() throws Exception {
        String id = plug("00:10.0", 0x1234, 0x0020, 0x0b4000);

        assertBoundTo(id, BY_IDS);
        assertNull("the losing driver " + BY_CLASS + " was installed\n" + state(), installed(BY_CLASS));
        String why = shell("devrt:why " + id);
        assertCandidate(why, 4, BY_IDS, "in use");
        assertCandidate(why, 2, BY_CLASS, "lower score than " + BY_IDS.driverId());
    }

    @Test
    public void equalScoresGoByDriverIdThenBundleThenNewestVersionWhateverIsInstalled() throws Exception {
        for (DriverBundle loser : List.of(TIE_ID_LOSER, TIE_NAME_LOSER, TIE_VERSION_LOSER)) {
            if (installed(loser) == null) {
                installByHand(loser);
            }
        }
        for (int round = 1; round <= 2; round++) { // the second time, winners and losers are all installed
            String byId = plug("00:11.0", 0x1234, 0x0021, 0xff0000);
            String byName = plug("00:12.0", 0x1234, 0x0022, 0xff0000);
            String byVersion = plug("00:13.0", 0x1234, 0x0023, 0xff0000);

            assertBoundTo(byId, TIE_ID_WINNER);
            assertBoundTo(byName, TIE_NAME_WINNER);
            assertBoundTo(byVersion, TIE_VERSION_WINNER);
            String same = "same score, ordered after ";
            String why = shell("devrt:why " + byId);
            assertCandidate(why, 4, TIE_ID_WINNER, "in use");
            assertCandidate(why, 4, TIE_ID_LOSER, same + TIE_ID_WINNER.driverId());
            why = shell("devrt:why " + byName);
            assertCandidate(why, 4, TIE_NAME_WINNER, "in use");
            assertCandidate(why, 4, TIE_NAME_LOSER, same + TIE_NAME_WINNER.driverId());
            why = shell("devrt:why " + byVersion);
            assertCandidate(why, 4, TIE_VERSION_WINNER, "in use");
            assertCandidate(why, 4, TIE_VERSION_LOSER, same + TIE_VERSION_WINNER.driverId());

            for (String id : List.of(byId, byName, byVersion)) {
                unplug(id);
                await(id + " removed", () -> inventory.device(id).isEmpty());
            }
        }
    }

    /**
     * Of two versions of a driver, the user uninstalls the one in use: the other, installed and matching, takes the
     * device. The uninstall was taken as the user's word against the symbolic name, and the device went NO_DRIVER.
     */
    @Test
    public void uninstallingTheVersionInUseHandsTheDeviceToTheOtherVersion() throws Exception {
        if (installed(TIE_VERSION_LOSER) == null) {
            installByHand(TIE_VERSION_LOSER);
        }
        String id = plug("00:14.0", 0x1234, 0x0023, 0xff0000);
        assertBoundTo(id, TIE_VERSION_WINNER);
        // 'drivers' counted the devices of a driver id, so both versions' rows said 1
        String drivers = shell("devrt:drivers");
        assertTrue("'drivers' does not count the device for 1.10.0, the version in use:\n" + drivers,
                drivers.lines().anyMatch(l -> l.matches("itest-ver\\s+itest\\.ver\\s+1\\.10\\.0\\s+.*\\s1")));
        assertTrue("'drivers' counts the device for 1.9.0 too, which does not serve it:\n" + drivers,
                drivers.lines().anyMatch(l -> l.matches("itest-ver\\s+itest\\.ver\\s+1\\.9\\.0\\s+.*\\s0")));

        installed(TIE_VERSION_WINNER).uninstall();
        try {
            assertBoundTo(id, TIE_VERSION_LOSER);
            assertTrue("the uninstalled version came back from the repository\n" + state(),
                    installed(TIE_VERSION_WINNER) == null);
        } finally {
            unplug(id);
            await(id + " removed", () -> inventory.device(id).isEmpty());
            installByHand(TIE_VERSION_WINNER); // the user's word against the repository's copy ends with it
        }
    }

    /** The device is BOUND to {@code driver}'s id, and its device service comes from that very bundle. */
    private void assertBoundTo(String id, DriverBundle driver) throws InterruptedException {
        DeviceStatus status = awaitState(id, BOUND);
        assertEquals("driver of " + id + "\n" + state(), driver.driverId(), status.driverId());
        await("a device service for " + id, () -> !servicesOf(id).isEmpty());
        ServiceReference<?> service = servicesOf(id).get(0);
        Bundle b = service.getBundle();
        assertNotNull("the device service of " + id + " went", b);
        assertEquals("bundle that serves " + id + "\n" + state(), driver.symbolicName() + " " + driver.version(),
                b.getSymbolicName() + " " + b.getVersion());
    }

    /** {@code why} has a row: score, driver id, bundle and version, ..., a verdict that starts with {@code verdict}. */
    private static void assertCandidate(String why, int score, DriverBundle driver, String verdict) {
        Pattern row = Pattern.compile("\\s*" + score + "\\s+" + Pattern.quote(driver.driverId()) + "\\s+"
                + Pattern.quote(driver.symbolicName() + " " + driver.version()) + "\\b.*\\s" + Pattern.quote(verdict) + ".*");
        assertTrue("'why' has no row with score " + score + ", " + driver + " and verdict '" + verdict + "':\n" + why,
                why.lines().anyMatch(l -> row.matcher(l).matches()));
    }
}

package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.device.BlockDevice;
import org.junit.Before;
import org.osgi.service.condition.Condition;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.helpers.SubstituteLoggerFactory;

/** The assembled runtime boots healthy: its bundles, its components, its logging. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BootIT extends RuntimeTestSupport {

    /**
     * The runtime's own devrt bundles (in run.jar). Driver bundles are not among them: the device manager installs
     * them from the driver repository when a device needs one.
     */
    static final Set<String> DEVRT_BUNDLES = Set.of(
        "devrt.service-registry", "devrt.system", "devrt.native-access", "devrt.emulator", "devrt.device-manager",
        "devrt.vfs", "devrt.network", "devrt.logging");

    /**
     * The drivers the shipped machine (conf/devrt.emulator.function-*.cfg) needs at boot, which the device manager
     * installs from the repository: the AHCI driver for the SATA controller at 00:1f.2 and the e1000 driver for
     * the NIC at 00:03.0.
     */
    static final Set<String> DRIVERS_AT_BOOT = Set.of("devrt.ahci-driver", "devrt.ethernet-driver");

    /** Where the device manager installs driver bundles from. */
    static final String REPOSITORY_LOCATION = "devrt-repository:";

    /** A line as the runtime's slf4j-simple settings write it: time, [thread], level, logger name, message. */
    static final String LINE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^\\]]+\\] %s %s - %s";

    @Before
    public void runtimeStarted() throws InterruptedException {
        awaitRuntimeStarted();
    }

    @Test
    public void theRuntimeHasItsOwnBundlesAndTheAhciDriverInstalledFromTheRepositoryForTheShippedDisk()
            throws InterruptedException {
        // Waits: the driver is installed on demand after the framework has started.
        eventually(() -> runtimeBundleNames().equals(DEVRT_BUNDLES) && driverBundleNames().equals(DRIVERS_AT_BOOT)
            ? List.of() : List.of("not yet"));
        assertEquals("devrt bundles of the runtime itself (not installed from the repository)",
            new TreeSet<>(DEVRT_BUNDLES), runtimeBundleNames());
        assertEquals("devrt bundles the device manager installed from the repository (location " + REPOSITORY_LOCATION
            + "...) for the shipped machine's devices: " + devrtBundles().stream()
                .map(b -> b.getSymbolicName() + " " + b.getLocation()).toList(),
            new TreeSet<>(DRIVERS_AT_BOOT), driverBundleNames());
    }

    @Test
    public void everyDevrtBundleIsActiveTheAhciDriverToo() throws InterruptedException {
        List<String> notActive = eventually(() -> {
            List<String> problems = new ArrayList<>();
            Set<String> installed = devrtBundles().stream().map(Bundle::getSymbolicName).collect(Collectors.toSet());
            Stream.concat(DEVRT_BUNDLES.stream(), DRIVERS_AT_BOOT.stream()).sorted()
                .filter(name -> !installed.contains(name)).forEach(name -> problems.add(name + " not installed"));
            // A fragment (devrt.logging) is never started: RESOLVED means attached to its host.
            devrtBundles().stream().filter(b -> b.getState() != (isFragment(b) ? Bundle.RESOLVED : Bundle.ACTIVE))
                .forEach(b -> problems.add(b.getSymbolicName() + " [" + b.getBundleId() + "] " + stateName(b)));
            return problems;
        });
        assertTrue("devrt bundles not ACTIVE: " + notActive, notActive.isEmpty());
    }

    @Test
    public void everyComponentOfTheDevrtBundlesIsSatisfied() throws Exception {
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class, null);
        assertNotNull("no ServiceComponentRuntime service: Declarative Services (org.apache.felix.scr) is not running "
            + "in the runtime", scr);

        List<String> problems = eventually(() -> Components.problems(scr, devrtBundles()));
        assertTrue("devrt components not satisfied:\n  " + String.join("\n  ", problems), problems.isEmpty());
    }

    @Test
    public void slf4jIsBoundToARealProviderThatWritesTheLogFile() throws Exception {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        assertTrue("SLF4J has no provider inside the runtime: its logger factory is " + factory.getClass().getName(),
            !(factory instanceof NOPLoggerFactory) && !(factory instanceof SubstituteLoggerFactory));

        String message = "log line check " + UUID.randomUUID();
        LoggerFactory.getLogger(BootIT.class).info(message);
        Pattern expected = Pattern.compile(String.format(LINE, "INFO", Pattern.quote(BootIT.class.getName()),
            Pattern.quote(message)));
        List<String> missing = eventually(() -> linesMatching(expected).isEmpty()
            ? List.of("no line matching " + expected + " in " + logFile()) : List.of());
        assertTrue(String.join("", missing), missing.isEmpty());
    }

    @Test
    public void nothingIsLoggedAtErrorDuringBoot() throws Exception {
        // Boot includes the shipped disk: its driver installed and attached, its BlockDevice registered.
        assertNotNull("no BlockDevice service for the shipped disk (conf/devrt.emulator.function-ahci0.cfg) within "
            + TIMEOUT, awaitService(BlockDevice.class, null));
        assertNotNull("devrt.ready not registered within " + TIMEOUT, awaitReady());
        // A line logged now shows the file is the one the runtime writes; then the boot lines are all before it.
        String marker = "boot done " + UUID.randomUUID();
        LoggerFactory.getLogger(BootIT.class).info(marker);
        List<String> noMarker = eventually(() -> linesMatching(Pattern.compile(".*" + Pattern.quote(marker)))
            .isEmpty() ? List.of("the runtime's log " + logFile() + " does not get its lines") : List.of());
        assertTrue(String.join("", noMarker), noMarker.isEmpty());

        List<String> errors = linesMatching(Pattern.compile("\\S+ \\[.*?\\] ERROR .*"));
        assertTrue("ERROR lines in " + logFile() + ":\n" + String.join("\n", errors), errors.isEmpty());
    }

    private Condition awaitReady() throws Exception {
        return awaitService(Condition.class, "(osgi.condition.id=devrt.ready)");
    }

    @Test
    public void theShippedMachineBecomesReadyAndTheReadyCommandShowsWhatCameUpAndHowLongItTook() throws Exception {
        assertNotNull("devrt.ready not registered within " + TIMEOUT + "; 'ready -w 0' says:\n"
            + shell("devrt:ready -w 0"), awaitReady());
        awaitCommand("devrt", "ready", "devrt.device-manager");
        String banner = shell("devrt:ready");
        List<String> lines = banner.lines().toList();
        assertTrue("first line of the banner:\n" + banner, lines.get(0).matches(
            "devrt ready \\d+\\.\\d s after the JVM started: \\d+ devices, 2 bound, \\d+ without a driver"));
        assertTrue("the AHCI driver's line:\n" + banner,
            lines.stream().anyMatch(l -> l.matches("  driver     \\S*ahci\\S*: emulated/0000:00:1f\\.2")));
        assertTrue("the volume made on first start (conf/devrt.vfs.initialize-disk0.cfg):\n" + banner,
            lines.contains("  volume     /mnt/sda1 (sda1, FAT32, DEVRT)"));
        assertTrue("the interface of conf/devrt.network.interface-eth0.cfg:\n" + banner,
            lines.contains("  interface  eth0 10.0.2.15/24 52:54:00:12:34:56"));
        assertEquals("ready with a bad argument", "ready: bad arguments '-x'", shell("devrt:ready -x").lines()
            .findFirst().orElse(""));
    }

    /**
     * A refresh takes every bundle wired to the ones refreshed, and their dependants in turn. When service-registry
     * (whose org.devrt.device every device bundle imports) also imported JLine, Metatype, Configuration Admin and
     * SCR's runtime API, and Felix's Event Admin, Configuration Admin and Metatype exported their APIs themselves,
     * refreshing any of those restarted the device manager, every driver, the VFS (volumes unmounted) and the
     * network stack. Those imports are devrt.system's now, and the APIs come from their own OSGi bundles. (SCR is
     * another matter: every bundle with components requires it as its osgi.component extender, a wire like a
     * package's.)
     */
    @Test
    public void refreshingJLineOrAFelixServiceRestartsNoDeviceBundle() throws InterruptedException {
        eventually(() -> driverBundleNames().equals(DRIVERS_AT_BOOT) ? List.of() : List.of("not yet"));
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Set<String> deviceBundles = new TreeSet<>(DRIVERS_AT_BOOT);
        deviceBundles.addAll(DEVRT_BUNDLES);
        deviceBundles.removeAll(Set.of("devrt.system", "devrt.logging"));
        for (String name : List.of("org.jline", "org.apache.felix.metatype", "org.apache.felix.configadmin",
                "org.apache.felix.eventadmin")) {
            Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> name.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(name + " is not in the runtime"));
            Set<String> refreshed = wiring.getDependencyClosure(List.of(bundle)).stream()
                .map(Bundle::getSymbolicName).collect(Collectors.toCollection(TreeSet::new));
            if (name.equals("org.jline")) {
                assertTrue("a refresh of " + name + " does not take devrt.system, which uses it: " + refreshed,
                    refreshed.contains("devrt.system"));
            }
            refreshed.retainAll(deviceBundles);
            assertEquals("device bundles a refresh of " + name + " would restart", Set.of(), refreshed);
        }
    }

    /** The devrt bundles that came with the runtime. */
    private Set<String> runtimeBundleNames() {
        return devrtBundles().stream().filter(b -> !b.getLocation().startsWith(REPOSITORY_LOCATION))
            .map(Bundle::getSymbolicName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The devrt bundles the device manager installed from the driver repository. */
    private Set<String> driverBundleNames() {
        return devrtBundles().stream().filter(b -> b.getLocation().startsWith(REPOSITORY_LOCATION))
            .map(Bundle::getSymbolicName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isFragment(Bundle b) {
        return (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private List<Bundle> devrtBundles() {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName() != null
            && b.getSymbolicName().startsWith("devrt.")).toList();
    }

    private static List<String> linesMatching(Pattern pattern) {
        try {
            return logLines().stream().filter(line -> pattern.matcher(line).matches()).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + logFile(), e);
        }
    }
}

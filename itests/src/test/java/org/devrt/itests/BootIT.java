package org.devrt.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
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
     * The runtime's own devrt bundles. Driver bundles are not among them: the device manager installs them from
     * the driver repository when a device needs one, and the shipped machine has no emulated device yet.
     */
    static final Set<String> DEVRT_BUNDLES = Set.of(
        "devrt.service-registry", "devrt.native-access", "devrt.emulator", "devrt.device-manager",
        "devrt.vfs", "devrt.network");

    /** A line as the runtime's slf4j-simple settings write it: time, [thread], level, logger name, message. */
    static final String LINE = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\[[^\\]]+\\] %s %s - %s";

    @Before
    public void runtimeStarted() throws InterruptedException {
        awaitRuntimeStarted();
    }

    @Test
    public void theRuntimeHasTheSixSystemBundlesAndNoDriverNoDeviceAskedFor() throws InterruptedException {
        // Waits: a driver installed on demand after boot would show here.
        eventually(() -> devrtBundleNames().equals(DEVRT_BUNDLES) ? List.of() : List.of("not yet"));
        assertEquals("devrt bundles in the runtime", new TreeSet<>(DEVRT_BUNDLES), devrtBundleNames());
    }

    @Test
    public void everyDevrtBundleIsActive() throws InterruptedException {
        List<String> notActive = eventually(() -> devrtBundles().stream()
            .filter(b -> b.getState() != Bundle.ACTIVE)
            .map(b -> b.getSymbolicName() + " [" + b.getBundleId() + "] " + stateName(b))
            .toList());
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
        // A line logged now shows the file is the one the runtime writes; then the boot lines are all before it.
        String marker = "boot done " + UUID.randomUUID();
        LoggerFactory.getLogger(BootIT.class).info(marker);
        List<String> noMarker = eventually(() -> linesMatching(Pattern.compile(".*" + Pattern.quote(marker)))
            .isEmpty() ? List.of("the runtime's log " + logFile() + " does not get its lines") : List.of());
        assertTrue(String.join("", noMarker), noMarker.isEmpty());

        List<String> errors = linesMatching(Pattern.compile("\\S+ \\[.*?\\] ERROR .*"));
        assertTrue("ERROR lines in " + logFile() + ":\n" + String.join("\n", errors), errors.isEmpty());
    }

    private Set<String> devrtBundleNames() {
        return devrtBundles().stream().map(Bundle::getSymbolicName).collect(Collectors.toCollection(TreeSet::new));
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

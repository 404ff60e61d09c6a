package org.devrt.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

import org.devrt.device.BlockDevice;
import org.devrt.device.NetworkDevice;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The Gogo command {@code devrt:diag [bundle-id|bsn]...} explains deliberately broken bundles, built
 * here: one importing a package nobody exports, one with a component whose mandatory reference
 * nobody can satisfy.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DiagIT extends RuntimeTestSupport {

    static final String MISSING_PACKAGE = "org.devrt.nonexistent";
    static final String MISSING_SERVICE = "org.devrt.nonexistent.MissingService";

    static final String COMPONENT_XML = """
        <?xml version="1.0" encoding="UTF-8"?>
        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.NeedsMissingService" immediate="true">
          <implementation class="itest.NeverInstantiated"/>
          <reference name="missingService" interface="%s" cardinality="1..1" policy="static"/>
        </scr:component>
        """.formatted(MISSING_SERVICE);

    private final List<Bundle> installed = new ArrayList<>();

    @Before
    public void runtimeStarted() throws InterruptedException {
        awaitRuntimeStarted();
    }

    @After
    public void uninstallBrokenBundles() throws BundleException {
        for (Bundle bundle : installed) {
            bundle.uninstall();
        }
    }

    @Test
    public void diagReportsAnUnresolvedBundleWithItsMissingPackageAndRange() throws Exception {
        Bundle broken = install("itest.missing-package",
            Map.of("Import-Package", MISSING_PACKAGE + ";version=\"[1.0,2.0)\""), Map.of());
        assertFalse("the framework resolved a bundle importing " + MISSING_PACKAGE + ", which nobody exports",
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(broken)));
        assertEquals("state of the broken bundle", Bundle.INSTALLED, broken.getState());

        String report = diag(broken.getSymbolicName());

        String bundleLine = report.lines().filter(line -> line.contains(broken.getSymbolicName())).findFirst()
            .orElseThrow(() -> new AssertionError("diag does not name " + broken.getSymbolicName() + ":\n" + report));
        assertTrue("diag does not say " + broken.getSymbolicName() + " is INSTALLED:\n" + report,
            bundleLine.contains("INSTALLED"));
        // The range as written ([1.0,2.0)) or as OSGi prints a VersionRange ([1.0.0,2.0.0)).
        Pattern packageAndRange = Pattern.compile(Pattern.quote(MISSING_PACKAGE) + "\\W.*\\[1\\.0(\\.0)?,2\\.0(\\.0)?\\)");
        assertTrue("diag does not name the missing package " + MISSING_PACKAGE + " with its range [1.0,2.0):\n" + report,
            packageAndRange.matcher(report).find());
    }

    @Test
    public void diagNamesTheServiceAnUnsatisfiedComponentIsMissing() throws Exception {
        Bundle broken = install("itest.missing-reference",
            Map.of("Service-Component", "OSGI-INF/itest.xml"), Map.of("OSGI-INF/itest.xml", COMPONENT_XML));
        broken.start();

        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class, null);
        assertNotNull("no ServiceComponentRuntime service: Declarative Services is not running", scr);
        List<String> notSeen = eventually(() -> Components.problems(scr, List.of(broken)).stream()
            .anyMatch(p -> p.contains("UNSATISFIED_REFERENCE") && p.contains(MISSING_SERVICE)) ? List.of()
            : List.of("SCR does not report the component of " + broken.getSymbolicName() + " as missing "
                + MISSING_SERVICE + "; it reports " + Components.problems(scr, List.of(broken))));
        assertTrue(String.join("", notSeen), notSeen.isEmpty());

        String report = diag(broken.getSymbolicName());

        assertTrue("diag does not name " + broken.getSymbolicName() + ":\n" + report,
            report.contains(broken.getSymbolicName()));
        assertTrue("diag does not name the missing reference's interface " + MISSING_SERVICE + ":\n" + report,
            report.contains(MISSING_SERVICE));
    }

    /**
     * Three configurations that do not fit their components' metatype descriptions, there from the first moment:
     * words where the AHCI driver's command time-out and the device manager's attach time-out want numbers (SCR
     * alone would throw a NumberFormatException naming no property from each use: the AHCI driver would not
     * activate, and every attach would fail), and, for the host bus, a rescan interval below its minimum of 0 and a
     * misspelt property. Beside them, a gateway whose address is a word, which its component refuses.
     */
    @Override
    protected void prepareConf(Path conf) throws IOException {
        Files.writeString(conf.resolve("devrt.ahci.cfg"), "commandTimeoutMillis = soon\n");
        Files.writeString(conf.resolve("devrt.pci.host.cfg"), "rescanIntervalSeconds = -5\nenabeld = false\n");
        Path manager = conf.resolve("devrt.devicemanager.cfg");
        String shipped = Files.readString(manager);
        String changed = shipped.replaceFirst("(?m)^attachTimeoutMillis = .*$", "attachTimeoutMillis = 10s");
        if (changed.equals(shipped)) {
            throw new IllegalStateException("no attachTimeoutMillis line in " + manager + " to make wrong");
        }
        Files.writeString(manager, changed);
        Files.writeString(conf.resolve(BAD_GATEWAY), "address = gateway\n");
    }

    static final String BAD_GATEWAY = "devrt.emulator.gateway-bad.cfg";

    @Test
    public void aConfigurationAComponentRefusedIsListedByDiagUntilItIsDeleted() throws Exception {
        awaitCommand("devrt", "ready", "device-manager");
        String banner = shell("devrt:ready");
        assertTrue("the banner does not count the refused configuration:\n" + banner,
            banner.contains("\n  refused    1 configuration ('diag' lists them)"));
        awaitCommand("devrt", "diag", "system");
        String refused = "configuration devrt.emulator.gateway~bad (" + confCopy().resolve(BAD_GATEWAY)
            + "): address 'gateway': not an IPv4 address (want four numbers like 10.0.2.15): gateway; no gateway";
        List<String> notSeen = eventually(() -> {
            String report = shellQuietly("devrt:diag");
            return report.contains(refused) ? List.of() : List.of("diag does not list the refused gateway:\n" + report);
        });
        assertTrue(String.join("", notSeen), notSeen.isEmpty());

        Files.delete(confCopy().resolve(BAD_GATEWAY));
        List<String> stillThere = eventually(() -> {
            String now = shellQuietly("devrt:diag");
            return now.contains("gateway~bad") ? List.of("diag still lists the deleted configuration:\n" + now)
                : List.of();
        });
        assertTrue(String.join("", stillThere), stillThere.isEmpty());
    }

    @Test
    public void aValueThatDoesNotConvertCostsOnlyItselfIsNamedByDiagAndForgottenOnceMended() throws Exception {
        assertNotNull("no block device: with commandTimeoutMillis = soon the AHCI driver did not attach the disk "
            + "on its default time-out", awaitService(BlockDevice.class, null));
        assertNotNull("no network device: with attachTimeoutMillis = 10s the device manager did not attach the NIC "
            + "on its default time-out", awaitService(NetworkDevice.class, null));

        awaitCommand("devrt", "diag", "system");
        String ahci = "configuration devrt.ahci (" + confCopy().resolve("devrt.ahci.cfg")
            + "): commandTimeoutMillis = 'soon': invalid value (want a whole number (long); default 10000)";
        String manager = "configuration devrt.devicemanager (" + confCopy().resolve("devrt.devicemanager.cfg")
            + "): attachTimeoutMillis = '10s': invalid value (want a whole number (long); default 10000)";
        String host = "configuration devrt.pci.host (" + confCopy().resolve("devrt.pci.host.cfg")
            + "): rescanIntervalSeconds = '-5': less than minimum (want a whole number (int); default 0)";
        String misspelt = "configuration devrt.pci.host (" + confCopy().resolve("devrt.pci.host.cfg")
            + "): 'enabeld' is not one of its properties (did you mean enabled?); its value is not used";
        List<String> notSeen = eventually(() -> {
            String report = shellQuietly("devrt:diag");
            return report.contains(ahci) && report.contains(manager) && report.contains(host)
                && report.contains(misspelt) ? List.of() : List.of("diag does not name the four problems:\n" + report);
        });
        assertTrue(String.join("", notSeen), notSeen.isEmpty());
        String report = shell("devrt:diag");
        assertFalse("diag names a shipped configuration, which fits:\n" + report,
            report.contains("configuration devrt.emulator.function") || report.contains("gateway~default")
                || report.contains("configuration devrt.network"));

        Files.writeString(confCopy().resolve("devrt.ahci.cfg"), "commandTimeoutMillis = 5000\n");
        List<String> stillThere = eventually(() -> {
            String now = shellQuietly("devrt:diag");
            return now.contains("configuration devrt.ahci") ? List.of("diag still names the mended file:\n" + now)
                : List.of();
        });
        assertTrue(String.join("", stillThere), stillThere.isEmpty());
        assertTrue("the other configuration's problem went with it:\n" + shell("devrt:diag"),
            shell("devrt:diag").contains(host));
    }

    /** Runs {@code devrt:diag args} in a Gogo session and returns what it returned and printed. */
    private String diag(String args) throws Exception {
        awaitCommand("devrt", "diag", "system");
        return shell("devrt:diag " + args);
    }

    /**
     * Felix logs its own errors (here an update it refuses) to standard output with their stack traces: 25 lines on the
     * terminal for one refused 'update'. They reach devrt's log as one line, naming what was refused and why.
     */
    @Test
    public void felixsOwnErrorIsOneLineOfTheLogWithoutAStackTrace() throws Exception {
        install("itest.twin", Map.of(), Map.of());
        Bundle newer = install("itest.twin", "itest:itest.twin-2", Map.of("Bundle-Version", "2.0.0"), Map.of());
        int before = logLines().size();

        BundleException refused = org.junit.Assert.assertThrows(BundleException.class,
            () -> newer.update(new ByteArrayInputStream(jar("itest.twin", Map.of(), Map.of()))));

        List<String> missing = eventually(() -> {
            try {
                return logLines().stream().skip(before).anyMatch(l -> l.contains(" ERROR Events.Felix - ")
                    && l.contains("Unable to update the bundle")) ? List.of() : List.of("not yet");
            } catch (IOException e) {
                return List.of(e.toString());
            }
        });
        List<String> lines = logLines().subList(before, logLines().size());
        assertTrue("Felix's refusal (" + refused.getMessage() + ") is not in the log:\n" + String.join("\n", lines),
            missing.isEmpty());
        assertFalse("a stack trace is in the log:\n" + String.join("\n", lines),
            lines.stream().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("org.osgi.framework.BundleException")));
    }

    /** Installs a bundle built here from manifest headers and text entries. */
    private Bundle install(String symbolicName, Map<String, String> headers, Map<String, String> entries)
        throws Exception {
        return install(symbolicName, "itest:" + symbolicName, headers, entries);
    }

    private Bundle install(String symbolicName, String location, Map<String, String> headers,
        Map<String, String> entries) throws Exception {
        Bundle bundle = context.installBundle(location, new ByteArrayInputStream(jar(symbolicName, headers, entries)));
        installed.add(bundle);
        return bundle;
    }

    /** A bundle's jar: version 1.0.0 unless {@code headers} say otherwise. */
    private static byte[] jar(String symbolicName, Map<String, String> headers, Map<String, String> entries)
        throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(entry.getKey()));
                jar.write(entry.getValue().getBytes(UTF_8));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

package org.devrt.ethernet.e1000;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/** The ids bnd.bnd declares to the device manager are exactly the ids the driver's probe accepts. */
public class SupportedDevicesTest {
    @Test
    public void manifestCapabilitiesAndProbeTableNameTheSameDevices() throws Exception {
        Manifest manifest;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/META-INF/MANIFEST.MF"))) {
            manifest = new Manifest(in);
        }
        String provide = manifest.getMainAttributes().getValue("Provide-Capability");
        Set<Integer> declared = new TreeSet<>();
        for (String clause : provide.split(",(?=devrt\\.driver;|osgi\\.)")) {
            if (!clause.startsWith("devrt.driver;")) {
                continue;
            }
            assertFalse("no class rules: " + clause, clause.contains("class"));
            assertEquals(clause, "e1000", attribute(clause, "devrt\\.driver=([a-z0-9]+)"));
            assertEquals(clause, "32902", attribute(clause, "vendor:Long=(\\d+)"));
            declared.add(Integer.parseInt(attribute(clause, "device:Long=(\\d+)")));
        }
        assertEquals(new TreeSet<>(E1000Regs.DEVICES.keySet()), declared);
    }

    private static String attribute(String clause, String regex) {
        Matcher m = Pattern.compile(regex).matcher(clause);
        return m.find() ? m.group(1) : null;
    }
}

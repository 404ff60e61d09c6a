package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.osgi.framework.Version;

/** What the device manager installs from its repository: only the bundle the index names. */
public class DriverInstallerTest {
    private static final RepositoryIndex.Entry AHCI = new RepositoryIndex.Entry("devrt.ahci-driver",
            Version.parseVersion("1.0.0.SNAPSHOT"), URI.create("file:/repo/ahci.jar"), "0".repeat(64), 0, List.of());

    private static byte[] jar(String symbolicName, String version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            manifest.getMainAttributes().putValue("Bundle-Version", version);
        }
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            out.flush();
        }
        return bytes.toByteArray();
    }

    /**
     * A jar with the index's hash but no manifest was installed as an empty bundle that never registered its driver;
     * another driver's jar failed with the framework's "Bundle symbolic name and version are not unique".
     */
    @Test
    public void aJarThatIsNotTheBundleTheIndexNamesIsRefusedWithWhatItIs() throws Exception {
        DriverInstaller.checkIdentity(AHCI, jar("devrt.ahci-driver;singleton:=true", "1.0.0.SNAPSHOT"));
        assertEquals("refusing driver file:/repo/ahci.jar: it is no OSGi bundle (its manifest has no"
                + " Bundle-SymbolicName), not devrt.ahci-driver 1.0.0.SNAPSHOT as the index says",
                assertThrows(IOException.class, () -> DriverInstaller.checkIdentity(AHCI, jar(null, null)))
                        .getMessage());
        assertEquals("refusing driver file:/repo/ahci.jar: it is devrt.ethernet-driver 1.0.0.SNAPSHOT, not"
                + " devrt.ahci-driver 1.0.0.SNAPSHOT as the index says", assertThrows(IOException.class,
                () -> DriverInstaller.checkIdentity(AHCI, jar("devrt.ethernet-driver", "1.0.0.SNAPSHOT")))
                        .getMessage());
        assertEquals("refusing driver file:/repo/ahci.jar: it is no OSGi bundle (its manifest has no"
                + " Bundle-SymbolicName), not devrt.ahci-driver 1.0.0.SNAPSHOT as the index says",
                assertThrows(IOException.class, () -> DriverInstaller.checkIdentity(AHCI, "not a zip".getBytes()))
                        .getMessage());
    }
}

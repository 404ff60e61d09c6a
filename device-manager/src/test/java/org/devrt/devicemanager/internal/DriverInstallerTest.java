package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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

    /**
     * A repository that keeps a jar's URL for its next version: the framework hands back the bundle installed from
     * that location before and ignores the new jar; the installer updates it to the new one.
     */
    @Test
    public void aNewVersionAtTheLocationOfAnInstalledOneUpdatesIt() throws Exception {
        byte[] newer = jar("devrt.ahci-driver", "1.0.1");
        Path file = Files.createTempFile("ahci", ".jar");
        try {
            Files.write(file, newer);
            RepositoryIndex.Entry entry = new RepositoryIndex.Entry("devrt.ahci-driver", Version.parseVersion("1.0.1"),
                    file.toUri(), DriverInstaller.sha256(newer), newer.length, List.of());
            AtomicReference<byte[]> updatedWith = new AtomicReference<>();
            Bundle installed = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Bundle.class}, (proxy, m, args) ->
                    switch (m.getName()) {
                        case "getVersion" -> Version.parseVersion(updatedWith.get() == null ? "1.0.0" : "1.0.1");
                        case "update" -> {
                            updatedWith.set(((InputStream) args[0]).readAllBytes());
                            yield null;
                        }
                        default -> null;
                    });
            BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {BundleContext.class},
                    (proxy, m, args) -> m.getName().equals("installBundle") ? installed : null);

            new DriverInstaller(context).install(entry);

            assertArrayEquals("the installed bundle updated with the repository's new jar", newer,
                    updatedWith.get());
        } finally {
            Files.delete(file);
        }
    }
}

package org.devrt.devicemanager.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a driver bundle from the repository, only when its content's SHA-256 is the one the index gives.
 * Bundles it installs get a location starting with {@value #LOCATION_PREFIX}, which is how the device manager
 * tells them apart from bundles a user installed (it never uninstalls those).
 */
final class DriverInstaller {
    static final String LOCATION_PREFIX = "devrt-repository:";
    private static final Logger LOG = LoggerFactory.getLogger(DriverInstaller.class);
    private static final long MAX_DRIVER_BYTES = 64L << 20;

    private final BundleContext context;

    DriverInstaller(BundleContext context) {
        this.context = context;
    }

    static boolean installedByUs(Bundle b) {
        return b.getLocation().startsWith(LOCATION_PREFIX);
    }

    /**
     * Downloads, verifies and installs {@code entry} (not started).
     *
     * @throws IOException if it cannot be read, is too large, or its hash differs from the index (the message
     *         names the file and both hashes)
     * @throws BundleException if the framework refuses it
     */
    Bundle install(RepositoryIndex.Entry entry) throws IOException, BundleException {
        byte[] content = verified(entry);
        Bundle b = context.installBundle(LOCATION_PREFIX + entry.url(), new ByteArrayInputStream(content));
        if (!b.getVersion().equals(entry.version())) {
            // A repository that kept the jar's URL for a new version: the framework returned the bundle installed
            // from that location before and ignored the stream, so the old version ran while the log said the new
            // one was installed, and the new offer was chosen again at every look. It is updated to the new jar.
            LOG.info("driver bundle {} {} from {} replaces {} from the same location", entry.bsn(), entry.version(),
                    entry.url(), b.getVersion());
            b.update(new ByteArrayInputStream(content));
        }
        return b;
    }

    /**
     * The jar's bytes, when their SHA-256 is the one the index gives.
     *
     * @throws IOException if it cannot be read, is too large, or its hash differs (naming the file and both hashes)
     */
    static byte[] verified(RepositoryIndex.Entry entry) throws IOException {
        byte[] content = download(entry);
        String actual = sha256(content);
        if (!actual.equals(entry.sha256())) {
            throw new IOException("refusing driver " + entry.url() + ": its SHA-256 is " + actual
                    + " but the repository index says " + entry.sha256());
        }
        checkIdentity(entry, content);
        return content;
    }

    /**
     * Refuses a jar that is not the bundle the index says, whatever its hash: one without a manifest became an empty
     * bundle that never registered its driver (30 s of waiting, then retries that installed it again), one of
     * another driver failed with the framework's "Bundle symbolic name and version are not unique".
     */
    static void checkIdentity(RepositoryIndex.Entry entry, byte[] content) throws IOException {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(content))) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            throw new IOException("refusing driver " + entry.url() + ": it is not a jar (" + e.getMessage() + ")", e);
        }
        String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        String bsn = name == null ? null : name.split(";", 2)[0].trim();
        Version version;
        try {
            version = manifest == null ? null
                    : Version.parseVersion(manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
        } catch (IllegalArgumentException e) {
            version = null;
        }
        if (bsn == null) {
            throw new IOException("refusing driver " + entry.url() + ": it is no OSGi bundle (its manifest has no"
                    + " Bundle-SymbolicName), not " + entry.bsn() + " " + entry.version() + " as the index says");
        }
        if (!bsn.equals(entry.bsn()) || !entry.version().equals(version)) {
            throw new IOException("refusing driver " + entry.url() + ": it is " + bsn + " " + version + ", not "
                    + entry.bsn() + " " + entry.version() + " as the index says");
        }
    }

    private static byte[] download(RepositoryIndex.Entry entry) throws IOException {
        try (InputStream in = RepositoryIndex.open(entry.url(), "driver")) {
            byte[] content = in.readNBytes((int) MAX_DRIVER_BYTES + 1);
            if (content.length > MAX_DRIVER_BYTES) {
                throw new IOException("driver " + entry.url() + " is larger than " + (MAX_DRIVER_BYTES >> 20) + " MiB");
            }
            return content;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains(entry.url().toString())) {
                throw e;
            }
            throw new IOException("cannot read driver " + entry.url() + ": " + e, e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}

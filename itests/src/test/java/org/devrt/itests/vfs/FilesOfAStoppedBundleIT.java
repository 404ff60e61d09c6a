package org.devrt.itests.vfs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.devrt.device.DeviceEvents;
import org.devrt.itests.DriverBundle;
import org.devrt.itests.vfsuser.LeakyVfsUser;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A bundle that opened a file through the Vfs service and never closed it: when it stops, its files are closed (the
 * service is bundle-scoped), as a process's are when it exits. Before, the file stayed open until its volume was
 * unmounted: it could not be deleted, and a umount without -f was refused for it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FilesOfAStoppedBundleIT extends VfsTestSupport {
    static final String SLOT = "00:17.0";
    static final String IMAGE = "leaky.img";
    static final String PACKAGE = "org.devrt.itests.vfsuser";
    static final String JAR = "leaky-vfs-user.jar";
    /** On the first disk the test plugs, sda. */
    static final String PATH = "/mnt/sda1/left open.txt";

    /** The image, and the bundle: built outside the framework, where the test classes are files. */
    @Override
    protected void makeImages(Path dir) throws Exception {
        twoFatPartitions(dir, IMAGE);
        Files.write(dir.resolve(JAR), leakyBundle(PATH));
    }

    @Test
    public void theFilesABundleLeftOpenAreClosedWhenItStopsAndCanThenBeDeleted() throws Exception {
        plugAhci(SLOT, DiskImage.at(imageDir().resolve(IMAGE)));
        awaitEvents(DeviceEvents.MOUNTED, "/mnt/sda1", "/mnt/sda2");
        String path = PATH;
        Bundle leaky = context.installBundle(imageDir().resolve(JAR).toUri().toString());
        try {
            leaky.start();
            assertEquals("what the bundle wrote", LeakyVfsUser.TEXT, new String(readVfs(path), UTF_8));
            String refused = sh("devrt:rm '" + path + "'");
            assertTrue("rm of the file the bundle holds open: " + refused, refused.contains("the file is open"));

            leaky.stop();

            awaitLogLine("for the files the stopped bundle left open", "itest.leaky-vfs-user [" + leaky.getBundleId()
                    + "] let the VFS go with 1 file open; closed: " + path);
            assertEquals("rm once the bundle stopped", "", sh("devrt:rm '" + path + "'"));
            assertThrows(FileSystemException.class, () -> vfs.stat(path));
        } finally {
            leaky.uninstall();
        }
    }

    /** A bundle of {@link LeakyVfsUser} alone, whose header names the file it is to leave open. */
    private static byte[] leakyBundle(String path) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "itest.leaky-vfs-user");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", PACKAGE + ".LeakyVfsUser");
        main.putValue("Import-Package", "org.devrt.vfs;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        main.putValue(LeakyVfsUser.PATH, path);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> c : DriverBundle.classesOf(PACKAGE).entrySet()) {
                jar.putNextEntry(new JarEntry(c.getKey()));
                jar.write(c.getValue());
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

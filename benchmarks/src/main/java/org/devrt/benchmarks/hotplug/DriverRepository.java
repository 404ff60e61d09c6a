package org.devrt.benchmarks.hotplug;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.devrt.benchmarks.hotplug.driver.HotPlugDriverActivator;

/**
 * The benchmark's driver repository: one driver bundle, built with java.util.jar from the class files of
 * {@link org.devrt.benchmarks.hotplug.driver}, and an OSGi Repository index as bnd's indexer writes it
 * (osgi.identity; osgi.content with the SHA-256 in upper-case hex, the url and the size; a devrt.driver
 * capability). The driver drives a {@code generic} function with the ids {@link #VENDOR}:{@link #DEVICE}.
 */
final class DriverRepository {
    static final String BSN = "devrt.bench.hotplug-driver";
    static final String VERSION = "1.0.0";
    static final String DRIVER_ID = "bench.hotplug";
    static final int VENDOR = 0x1b36;
    static final int DEVICE = 0xbe11;
    /** By name only: this class space has no org.devrt.pci, so the driver classes must not be loaded here. */
    private static final String PACKAGE = "org.devrt.benchmarks.hotplug.driver";
    private static final String PACKAGE_FOLDER = PACKAGE.replace('.', '/') + "/";

    private DriverRepository() {
    }

    /** Writes the driver jar and index.xml into {@code dir}; returns the index. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] jar = driverJar();
        Path file = Files.write(dir.resolve(fileName()), jar);
        String xml = "<?xml version='1.0' encoding='UTF-8'?>\n"
                + "<repository xmlns=\"http://www.osgi.org/xmlns/repository/v1.0.0\" name=\"devrt hot-plug benchmark\" increment=\"1\">\n"
                + "  <resource>\n"
                + capability("osgi.identity", attr("osgi.identity", BSN, null), attr("type", "osgi.bundle", null),
                        attr("version", VERSION, "Version"))
                + capability("osgi.content", attr("osgi.content", sha256(jar).toUpperCase(), null),
                        attr("url", file.getFileName().toString(), null), attr("size", Long.toString(jar.length), "Long"),
                        attr("mime", "application/vnd.osgi.bundle", null))
                + capability("devrt.driver", attr("devrt.driver", DRIVER_ID, null),
                        attr("vendor", Long.toString(VENDOR), "Long"), attr("device", Long.toString(DEVICE), "Long"))
                + "  </resource>\n</repository>\n";
        return Files.writeString(dir.resolve("index.xml"), xml, StandardCharsets.UTF_8);
    }

    static String fileName() {
        return BSN + "-" + VERSION + ".jar";
    }

    private static byte[] driverJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", BSN);
        main.putValue("Bundle-Version", VERSION);
        main.putValue("Bundle-Activator", PACKAGE + ".HotPlugDriverActivator");
        main.putValue("Import-Package", "org.devrt.device;version=\"[1.0,2)\",org.devrt.hw;version=\"[1.0,2)\","
                + "org.devrt.pci;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        main.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
        main.putValue("Provide-Capability",
                "devrt.driver;devrt.driver=" + DRIVER_ID + ";vendor:Long=" + VENDOR + ";device:Long=" + DEVICE);
        main.putValue(HotPlugDriverActivator.DRIVER_ID, DRIVER_ID);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> c : driverClasses().entrySet()) {
                JarEntry entry = new JarEntry(c.getKey());
                entry.setTime(0);
                jar.putNextEntry(entry);
                jar.write(c.getValue());
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The driver package's class files, from this class's jar (benchmarks.jar) or classes folder. */
    private static Map<String, byte[]> driverClasses() throws IOException {
        Path source;
        try {
            source = Path.of(DriverRepository.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the benchmark's classes", e);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(PACKAGE_FOLDER))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    classes.put(PACKAGE_FOLDER + p.getFileName(), Files.readAllBytes(p));
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                for (JarEntry e : jar.stream().filter(DriverRepository::isDriverClass).toList()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        classes.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException("no class files of " + PACKAGE_FOLDER + " in " + source);
        }
        return classes;
    }

    private static boolean isDriverClass(JarEntry e) {
        String name = e.getName();
        return name.startsWith(PACKAGE_FOLDER) && name.endsWith(".class") && name.indexOf('/', PACKAGE_FOLDER.length()) < 0;
    }

    private static String capability(String namespace, String... attributes) {
        return "    <capability namespace=\"" + namespace + "\">\n" + String.join("", attributes) + "    </capability>\n";
    }

    private static String attr(String name, String value, String type) {
        return "      <attribute name=\"" + name + "\" value=\"" + value + "\"" + (type == null ? "" : " type=\"" + type + "\"")
                + "/>\n";
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

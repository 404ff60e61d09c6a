package org.devrt.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.itests.testdriver.TestDriverActivator;

/**
 * A driver bundle built for the tests with java.util.jar: a manifest that declares a {@code devrt.driver}
 * capability per match rule, and the class files of {@link org.devrt.itests.testdriver} copied from the test
 * classpath. Built outside the framework, before it boots (see {@link DeviceManagerTestSupport#prepareConf}).
 */
public final class DriverBundle {
    /** By name only: the probe holds a copy of the package too, and must not load it. */
    static final String TESTDRIVER_PACKAGE = "org.devrt.itests.testdriver";
    static final String ACTIVATOR = TESTDRIVER_PACKAGE + ".TestDriverActivator";

    private final String symbolicName;
    private final String driverId;
    private String version = "1.0.0";
    private String behaviour = "ok";
    private final List<Map<String, Long>> rules = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean inRepository = true;
    private String indexedSha256;
    private boolean upperCaseHash = true;

    private DriverBundle(String symbolicName, String driverId) {
        this.symbolicName = symbolicName;
        this.driverId = driverId;
    }

    /** A driver bundle {@code symbolicName} 1.0.0 whose PciDriver has {@code devrt.driver.id=driverId}. */
    public static DriverBundle driver(String symbolicName, String driverId) {
        return new DriverBundle(symbolicName, driverId);
    }

    public DriverBundle version(String v) {
        version = v;
        return this;
    }

    /** {@code ok}, {@code throw}, {@code throw:N}, {@code hang}, {@code late:MILLIS} (see the test driver), {@code silent}. */
    public DriverBundle behaviour(String b) {
        behaviour = b;
        return this;
    }

    /** A rule {@code vendor:Long=..;device:Long=..} (score 4). */
    public DriverBundle ids(int vendor, int device) {
        rules.add(rule("vendor", vendor, "device", device));
        return this;
    }

    /** A rule {@code class:Long=..;subclass:Long=..} (score 2). */
    public DriverBundle classAndSubclass(int baseClass, int subclass) {
        rules.add(rule("class", baseClass, "subclass", subclass));
        return this;
    }

    public DriverBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Built, but left out of the repository index (the tests install it by hand). */
    public DriverBundle notInRepository() {
        inRepository = false;
        return this;
    }

    /** The index gives this SHA-256 for the jar instead of the real one. */
    public DriverBundle indexedSha256(String sha256) {
        indexedSha256 = sha256;
        return this;
    }

    /** The index gives the SHA-256 in lower-case hex (bnd writes upper-case, the default here). */
    public DriverBundle lowerCaseHash() {
        upperCaseHash = false;
        return this;
    }

    public String symbolicName() {
        return symbolicName;
    }

    public String driverId() {
        return driverId;
    }

    public String version() {
        return version;
    }

    public String fileName() {
        return symbolicName + "-" + version + ".jar";
    }

    List<Map<String, Long>> rules() {
        return rules;
    }

    boolean inRepository() {
        return inRepository;
    }

    /** The SHA-256 the index is to give, as it is to be written, or null for the real one. */
    String indexedSha256() {
        return indexedSha256;
    }

    boolean upperCaseHash() {
        return upperCaseHash;
    }

    /** The bundle's manifest headers, in order. */
    Map<String, String> manifestHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", symbolicName);
        h.put("Bundle-Version", version);
        h.put("Bundle-Name", "devrt test driver " + driverId + " (" + behaviour + ")");
        h.put("Bundle-Activator", ACTIVATOR);
        h.put("Import-Package", "org.devrt.device;version=\"[1.0,2)\",org.devrt.hw;version=\"[1.0,2)\","
                + "org.devrt.pci;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        h.put("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version>=17))\"");
        h.put("Provide-Capability", rules.stream().map(r -> "devrt.driver;devrt.driver=" + driverId
                + r.entrySet().stream().map(e -> ";" + e.getKey() + ":Long=" + e.getValue()).collect(Collectors.joining()))
                .collect(Collectors.joining(",")));
        h.put(TestDriverActivator.DRIVER_ID, driverId);
        h.put(TestDriverActivator.BEHAVIOUR, behaviour);
        h.putAll(headers);
        return h;
    }

    /** Writes the jar into {@code dir} as {@link #fileName()}; returns its path. */
    Path writeTo(Path dir) throws IOException {
        if (rules.isEmpty()) {
            throw new IllegalStateException(symbolicName + ": a test driver needs at least one match rule");
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifestHeaders().forEach(main::putValue);
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
        Path file = dir.resolve(fileName());
        Files.write(file, bytes.toByteArray());
        return file;
    }

    /** The class files of the test driver package, read from the test classpath, by jar entry name. */
    private static Map<String, byte[]> driverClasses() throws IOException {
        return classesOf(TESTDRIVER_PACKAGE);
    }

    /** The class files of a package of the tests, read from the test classpath, by jar entry name. */
    public static Map<String, byte[]> classesOf(String packageName) throws IOException {
        String folder = packageName.replace('.', '/');
        URL url = DriverBundle.class.getClassLoader().getResource(folder);
        if (url == null || !url.getProtocol().equals("file")) {
            throw new IOException("the classes of " + packageName + " are not in a folder on the test classpath: "
                    + url);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    classes.put(folder + "/" + p.getFileName(), in.readAllBytes());
                }
            }
        } catch (URISyntaxException e) {
            throw new IOException(url + " is not a file", e);
        }
        return classes;
    }

    @Override
    public String toString() {
        return symbolicName + " " + version + " (driver " + driverId + ", " + behaviour + ")";
    }

    private static Map<String, Long> rule(String k1, long v1, String k2, long v2) {
        Map<String, Long> r = new LinkedHashMap<>();
        r.put(k1, v1);
        r.put(k2, v2);
        return r;
    }
}

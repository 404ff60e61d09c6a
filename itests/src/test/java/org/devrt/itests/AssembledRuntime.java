package org.devrt.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Version;

/**
 * The runtime as runtime/target/run.jar (a bnd executable jar) assembles it, as Pax Exam
 * options: its run bundles with their start levels, its framework properties and its beginning
 * start level. Nothing here lists bundles by hand.
 */
public final class AssembledRuntime {

    /** Bundles of run.jar that a test framework must not get, and why. */
    static final Map<String, String> LEFT_OUT = Map.of(
        "org.apache.felix.gogo.jline", "the interactive shell would grab the console",
        "org.apache.felix.framework", "Pax Exam launches its own framework");

    static final String BEGINNING_START_LEVEL = "org.osgi.framework.startlevel.beginning";

    /** One of launch.bundles, with the start level launch.runbundles.attrs gives it. */
    /** @param fragment whether it has a Fragment-Host (a fragment is installed, never started) */
    record RunBundle(String symbolicName, File file, int startLevel, boolean fragment) {}

    private final List<RunBundle> bundles;
    private final Map<String, String> properties;

    private AssembledRuntime(List<RunBundle> bundles, Map<String, String> properties) {
        this.bundles = bundles;
        this.properties = properties;
    }

    /** Extracts the run bundles of {@code runJar} into {@code dir} and reads its launcher.properties. */
    public static AssembledRuntime extract(File runJar, File dir) throws IOException {
        if (!runJar.isFile()) {
            throw new IOException(runJar + " does not exist: build it with `mvn -pl runtime install -DskipTests`");
        }
        Files.createDirectories(dir.toPath());
        try (JarFile jar = new JarFile(runJar)) {
            Properties launcher = new Properties();
            try (InputStream in = open(jar, "launcher.properties")) {
                launcher.load(in);
            }
            Map<String, Integer> startLevels = startLevels(required(launcher, "launch.runbundles.attrs"));
            List<RunBundle> bundles = new ArrayList<>();
            for (String path : required(launcher, "launch.bundles").split(",")) {
                File file = new File(dir, new File(path.trim()).getName());
                try (InputStream in = open(jar, path.trim())) {
                    Files.copy(in, file.toPath(), StandardCopyOption.REPLACE_EXISTING);
                }
                RunBundle bundle = readBundle(file, startLevels);
                if (!LEFT_OUT.containsKey(bundle.symbolicName())) {
                    bundles.add(bundle);
                }
            }
            Map<String, String> properties = new LinkedHashMap<>();
            launcher.stringPropertyNames().stream().sorted()
                .filter(key -> !key.startsWith("launch."))   // the bnd launcher's own settings
                .forEach(key -> properties.put(key, launcher.getProperty(key)));
            return new AssembledRuntime(List.copyOf(bundles), properties);
        }
    }

    /** Replaces one of the runtime's framework properties for the tests (e.g. a folder under target/). */
    public AssembledRuntime withProperty(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(properties);
        changed.put(key, value);
        return new AssembledRuntime(bundles, changed);
    }

    /** One of the runtime's framework properties, or null. */
    public String property(String key) {
        return properties.get(key);
    }

    /** The start level the runtime runs at: its beginning start level, or else its highest bundle level. */
    public int startLevel() {
        String beginning = properties.get(BEGINNING_START_LEVEL);
        return beginning != null ? Integer.parseInt(beginning.trim())
            : bundles.stream().mapToInt(RunBundle::startLevel).max().orElse(1);
    }

    /**
     * The runtime's bundles, framework properties and start level as Pax Exam options. One change:
     * Pax Exam installs its own bundles first, at level {@value Constants#START_LEVEL_SYSTEM_BUNDLES},
     * and they log; so whatever the runtime starts at that level or below (SLF4J and its binding) comes
     * up here at level 1, installed in the runtime's level order, before anything that logs.
     */
    public Option[] options() {
        List<Option> options = new ArrayList<>();
        bundles.stream().sorted(Comparator.comparingInt(RunBundle::startLevel)).forEach(b -> {
            int level = b.startLevel() <= Constants.START_LEVEL_SYSTEM_BUNDLES ? 1 : b.startLevel();
            options.add(bundle(b.file().toURI().toString()).startLevel(level).start(!b.fragment()));
        });
        properties.forEach((key, value) -> {
            if (key.equals(BEGINNING_START_LEVEL)) {
                return;                                      // Pax Exam raises the level itself, below
            }
            options.add(frameworkProperty(key).value(value));
            if (key.startsWith("org.slf4j.") || key.startsWith("slf4j.")) {
                options.add(systemProperty(key).value(value)); // slf4j-simple reads only system properties
            }
        });
        options.add(frameworkStartLevel(startLevel()));
        return options.toArray(new Option[0]);
    }

    /** "bsn;version=\"1.0\";startlevel=10,..." as bsn;version to start level. */
    private static Map<String, Integer> startLevels(String attrs) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (String clause : attrs.split(",")) {
            String[] parts = clause.split(";");
            String version = null;
            Integer level = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String value = kv.length == 2 ? kv[1].trim().replace("\"", "") : "";
                switch (kv[0].trim()) {
                    case "version" -> version = value;
                    case "startlevel" -> level = Integer.valueOf(value);
                    default -> { }
                }
            }
            if (level == null) {
                throw new IllegalArgumentException("launch.runbundles.attrs: no startlevel in " + clause);
            }
            levels.put(key(parts[0].trim(), version), level);
        }
        return levels;
    }

    private static RunBundle readBundle(File file, Map<String, Integer> startLevels) throws IOException {
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(file.getName() + " in launch.bundles is not a bundle");
            }
            bsn = bsn.split(";")[0].trim();
            String version = manifest.getMainAttributes().getValue("Bundle-Version");
            Integer level = startLevels.get(key(bsn, version));
            if (level == null) {
                throw new IOException("launch.runbundles.attrs has no start level for " + bsn + " " + version
                    + " (" + file.getName() + "); it has " + startLevels.keySet());
            }
            return new RunBundle(bsn, file, level, manifest.getMainAttributes().getValue("Fragment-Host") != null);
        }
    }

    private static String key(String bsn, String version) {
        return bsn + ";" + Version.parseVersion(version);
    }

    private static InputStream open(JarFile jar, String path) throws IOException {
        ZipEntry entry = jar.getEntry(path);
        if (entry == null) {
            throw new IOException(jar.getName() + " has no " + path);
        }
        return jar.getInputStream(entry);
    }

    private static String required(Properties launcher, String key) {
        String value = launcher.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("launcher.properties has no " + key);
        }
        return value;
    }
}

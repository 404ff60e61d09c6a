package org.devrt.benchmarks.hotplug;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The runtime as runtime/target/run.jar assembles it, booted in this JVM on the Felix framework of the class
 * path: run.jar's bundles with their start levels (launch.runbundles.attrs) minus the Gogo JLine shell, and its
 * framework properties, with the framework storage and File Install's conf/ folder in {@code dir}. As
 * itests' AssembledRuntime does; slf4j-simple reads only system properties, so its settings become system
 * properties, and its output goes to {@code dir}/{@value #LOG} rather than the benchmark's console. Public for the
 * endurance suite ({@code org.devrt.benchmarks.endurance}).
 */
public final class EmbeddedRuntime implements AutoCloseable {
    /** The interactive shell would grab the console; the framework is the one on the class path. */
    private static final Set<String> LEFT_OUT = Set.of("org.apache.felix.gogo.jline", "org.apache.felix.framework");
    static final long BOOT_SECONDS = 60;
    /** The runtime's log, in the folder it boots in. */
    public static final String LOG = "devrt.log";

    /** The last {@code count} lines of the runtime's log in {@code dir}, for a failure's report. */
    public static String logTail(Path dir, int count) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(LOG));
            return "last lines of the runtime's log:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "no log: " + e;
        }
    }

    private record RunBundle(String symbolicName, Path file, int startLevel) {
    }

    private final Framework framework;

    private EmbeddedRuntime(Framework framework) {
        this.framework = framework;
    }

    /** run.jar of the repository at -Ddevrt.root (default: the working directory). */
    public static Path runJar() {
        Path jar = Path.of(System.getProperty("devrt.root", "."), "runtime/target/run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: `mvn -B -q -pl runtime install -DskipTests`, and run"
                    + " from the repository root or set -Ddevrt.root");
        }
        return jar;
    }

    /**
     * Boots the runtime in {@code dir} (which holds conf/) and waits for the framework's STARTED event. Bundles
     * named in {@code notStarted} are installed but not started.
     */
    public static EmbeddedRuntime boot(Path dir, Set<String> notStarted) throws Exception {
        Properties launcher = new Properties();
        List<RunBundle> bundles = extract(runJar(), Files.createDirectories(dir.resolve("bundles")), launcher);
        Map<String, String> props = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.")) {
                props.put(key, launcher.getProperty(key));
            }
        }
        props.put(Constants.FRAMEWORK_STORAGE, dir.resolve("storage").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.fileinstall.dir", dir.resolve("conf").toString());
        // Bundles see nothing of the class path, as under run.jar's launcher: without this, Felix lets the JDK's
        // ServiceLoader, called in slf4j-api, find the slf4j-simple that benchmarks.jar also holds (and fail on it)
        props.put("felix.bootdelegation.implicit", "false");
        props.forEach((k, v) -> {
            if (k.startsWith("org.slf4j.") || k.startsWith("slf4j.")) { // slf4j reads system properties only
                System.setProperty(k, v);
            }
        });
        System.setProperty("org.slf4j.simpleLogger.logFile", dir.resolve(LOG).toString());

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (see run-hotplug.sh)"))
                .newFramework(props);
        framework.init();
        BundleContext context = framework.getBundleContext();
        for (RunBundle rb : bundles) {
            Bundle b = context.installBundle(rb.file().toUri().toString());
            b.adapt(BundleStartLevel.class).setStartLevel(rb.startLevel());
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null; // devrt.logging: never started
            if (!fragment && !notStarted.contains(rb.symbolicName())) {
                b.start();
            }
        }
        CountDownLatch started = new CountDownLatch(1);
        context.addFrameworkListener(e -> {
            if (e.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        });
        framework.start();
        if (!started.await(BOOT_SECONDS, TimeUnit.SECONDS)) {
            framework.stop();
            throw new IllegalStateException("the framework did not start within " + BOOT_SECONDS + " s");
        }
        return new EmbeddedRuntime(framework);
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(TimeUnit.SECONDS.toMillis(BOOT_SECONDS));
    }

    /** Copies launch.bundles out of run.jar into {@code dir}, loads its launcher.properties into {@code launcher}. */
    private static List<RunBundle> extract(Path runJar, Path dir, Properties launcher) throws IOException {
        try (JarFile jar = new JarFile(runJar.toFile())) {
            try (InputStream in = open(jar, "launcher.properties")) {
                launcher.load(in);
            }
            Map<String, Integer> levels = startLevels(launcher.getProperty("launch.runbundles.attrs", ""));
            List<RunBundle> bundles = new ArrayList<>();
            for (String path : launcher.getProperty("launch.bundles", "").split(",")) {
                Path file = dir.resolve(Path.of(path.trim()).getFileName());
                try (InputStream in = open(jar, path.trim())) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                RunBundle bundle = readBundle(file, levels);
                if (!LEFT_OUT.contains(bundle.symbolicName())) {
                    bundles.add(bundle);
                }
            }
            bundles.sort(Comparator.comparingInt(RunBundle::startLevel));
            return bundles;
        }
    }

    /** "bsn;version=\"1.0\";startlevel=10,..." as "bsn;version" to start level. */
    private static Map<String, Integer> startLevels(String attrs) {
        Map<String, Integer> levels = new HashMap<>();
        for (String clause : attrs.split(",")) {
            String[] parts = clause.split(";");
            String version = "0.0.0";
            int level = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String value = kv.length == 2 ? kv[1].trim().replace("\"", "") : "";
                switch (kv[0].trim()) {
                    case "version" -> version = value;
                    case "startlevel" -> level = Integer.parseInt(value);
                    default -> { }
                }
            }
            levels.put(parts[0].trim() + ";" + Version.parseVersion(version), level);
        }
        return levels;
    }

    private static RunBundle readBundle(Path file, Map<String, Integer> levels) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            String bsn = main.getValue(Constants.BUNDLE_SYMBOLICNAME).split(";")[0].trim();
            String key = bsn + ";" + Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION));
            Integer level = levels.get(key);
            if (level == null) {
                throw new IOException("launch.runbundles.attrs has no start level for " + key);
            }
            return new RunBundle(bsn, file, level);
        }
    }

    private static InputStream open(JarFile jar, String path) throws IOException {
        ZipEntry entry = jar.getEntry(path);
        if (entry == null) {
            throw new IOException(jar.getName() + " has no " + path);
        }
        return jar.getInputStream(entry);
    }
}

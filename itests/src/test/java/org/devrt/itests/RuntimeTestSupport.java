package org.devrt.itests;

import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the assembled runtime (see {@link AssembledRuntime}) in a fresh Felix, one per test class,
 * with SLF4J writing to target/logs/&lt;TestClass&gt;.log.
 */
public abstract class RuntimeTestSupport {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";
    static final String RUNTIME_START_LEVEL = "devrt.itests.startLevel";
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        File target = new File(required("devrt.itests.dir"));
        String name = getClass().getSimpleName();
        File log = new File(target, "logs/" + name + ".log");
        Files.createDirectories(log.getParentFile().toPath());
        Files.deleteIfExists(log.toPath());

        AssembledRuntime runtime = AssembledRuntime
            .extract(new File(required("devrt.runtime.jar")), new File(target, "runtime"));
        // The runtime's configuration folder, copied: File Install writes changed configurations back.
        String confDir = runtime.property(FILEINSTALL_DIR);
        if (confDir != null) {
            Path conf = confSource(Path.of(required("devrt.home")).resolve(confDir));
            Path copy = confCopy();
            copyFolder(conf, copy);
            // The emulated disks of the copy get this class's own fresh images, never the ones in the repo's var/.
            deleteFolder(diskImages());
            relocateDiskImages(copy, diskImages());
            prepareConf(copy);
            runtime = runtime.withProperty(FILEINSTALL_DIR, copy.toString());
        }
        return options(
            composite(runtime.options()),
            systemProperty(LOG_FILE).value(log.getAbsolutePath()),
            systemProperty(RUNTIME_START_LEVEL).value(String.valueOf(runtime.startLevel())),
            workingDirectory(new File(target, "pax-exam/" + name).getPath()),
            cleanCaches(true),
            junitBundles());
    }

    /** The folder this class's configuration is copied from: the runtime's conf/ unless a subclass names another. */
    protected Path confSource(Path shipped) {
        return shipped;
    }

    /** target/conf/&lt;TestClass&gt;: this class's copy of the runtime's conf/ folder, which File Install reads. */
    protected Path confCopy() {
        return Path.of(required("devrt.itests.dir"), "conf", getClass().getSimpleName());
    }

    /**
     * target/disks/&lt;TestClass&gt;: this class's disk images. Every {@code disk<n>} of an emulated function's
     * configuration ({@code devrt.emulator.function-*.cfg}) in {@link #confCopy()} is moved here before the framework
     * boots (a relative path keeps its folders: {@code var/disks/disk0.img} becomes
     * {@code target/disks/<TestClass>/var/disks/disk0.img}), and the folder is emptied first: each class starts with
     * fresh sparse images and never touches the images of a runtime started from the repository.
     */
    protected Path diskImages() {
        return Path.of(required("devrt.itests.dir"), "disks", getClass().getSimpleName());
    }

    /** Where {@code image}, a {@code disk<n>} value of the runtime's conf/, is for this class (see {@link #diskImages()}). */
    protected Path diskImage(String image) {
        return relocated(Path.of(image), diskImages());
    }

    /**
     * Called outside the framework, before it boots, with this class's copy of the runtime's conf/ folder (which
     * File Install reads): a subclass may change or add configuration files there, so that they are the
     * configuration from the first moment on. Does nothing by default.
     */
    protected void prepareConf(Path conf) throws IOException {
    }

    /** Waits until the framework has reached the runtime's start level; fails if it does not. */
    protected void awaitRuntimeStarted() throws InterruptedException {
        int expected = Integer.parseInt(required(RUNTIME_START_LEVEL));
        FrameworkStartLevel fsl = context.getBundle(0).adapt(FrameworkStartLevel.class);
        List<String> problems = eventually(() -> fsl.getStartLevel() >= expected ? List.of()
            : List.of("framework start level is " + fsl.getStartLevel() + ", the runtime's is " + expected));
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.get(0));
        }
    }

    /** Polls {@code check} until it reports no problem or {@link #TIMEOUT} passes; returns its last report. */
    protected static List<String> eventually(Supplier<List<String>> check) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> problems = check.get();
        while (!problems.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            problems = check.get();
        }
        return problems;
    }

    /** Waits until {@code condition} holds; fails naming {@code what} with the {@link #state()} if it does not. */
    protected void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not so after " + TIMEOUT.toSeconds() + " s: " + what + "\n" + state());
            }
            Thread.sleep(20);
        }
    }

    /** Checks that {@code condition} holds all through {@code period}; fails naming {@code what} when it breaks. */
    protected void assertStays(String what, Duration period, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                fail("no longer so: " + what + "\n" + state());
            }
            Thread.sleep(20);
        } while (System.nanoTime() < end);
    }

    /** What a failure message of {@link #await} and {@link #assertStays} shows of the runtime; a subclass says. */
    protected String state() {
        return "";
    }

    /** The service, waiting up to {@link #TIMEOUT} for it; null if there is none. */
    protected <T> T awaitService(Class<T> type, String filter) throws InterruptedException, InvalidSyntaxException {
        String objectClass = "(objectClass=" + type.getName() + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
            context.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")"), null);
        tracker.open();   // left open: the service stays got until the framework stops with the class
        return tracker.waitForService(TIMEOUT.toMillis());
    }

    /** The service, waiting up to {@link #TIMEOUT} for it; fails naming the bundle that is to provide it. */
    protected <T> T requiredService(Class<T> type, String providedBy) throws InterruptedException, InvalidSyntaxException {
        T service = awaitService(type, null);
        if (service == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service within " + TIMEOUT + " (" + providedBy
                + " provides it)");
        }
        return service;
    }

    /** Waits for the Gogo command {@code scope:function}; fails naming the bundle that is to provide it. */
    protected void awaitCommand(String scope, String function, String providedBy) throws InterruptedException {
        String filter = "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))";
        List<String> missing = eventually(() -> {
            try {
                return context.getServiceReferences((String) null, filter) != null ? List.of()
                    : List.of("no Gogo command " + scope + ":" + function + " is registered (no service matches "
                        + filter + "); " + providedBy + " is to provide it");
            } catch (InvalidSyntaxException e) {
                return List.of(e.toString());
            }
        });
        if (!missing.isEmpty()) {
            throw new AssertionError(missing.get(0));
        }
    }

    /** {@link #shell} that answers a failure with its text, for conditions and failure messages. */
    protected String shellQuietly(String commandLine) {
        try {
            return shell(commandLine);
        } catch (Exception e) {
            return commandLine + ": " + e;
        }
    }

    /** Runs a command line in a Gogo session, as the shell does; returns what it returned and what it printed. */
    protected String shell(String commandLine) throws Exception {
        CommandProcessor processor = awaitService(CommandProcessor.class, null);
        if (processor == null) {
            throw new AssertionError("no Gogo CommandProcessor service (org.apache.felix.gogo.runtime) in the runtime");
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), printed, printed)) {
            Object returned = session.execute(commandLine);
            return (returned == null ? "" : returned + "\n") + printed.toString(StandardCharsets.UTF_8);
        }
    }

    protected static Path logFile() {
        return Path.of(required(LOG_FILE));
    }

    protected static List<String> logLines() throws IOException {
        Path log = logFile();
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    protected static String stateName(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + bundle.getState();
        };
    }

    protected static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it from itests/pom.xml)");
        }
        return value;
    }

    /** A {@code disk<n>} line of a properties file: key and separator, then the image's path. */
    private static final Pattern DISK_LINE = Pattern.compile("^(\\s*disk\\d+\\s*[=:]\\s*)(\\S.*?)\\s*$");

    /** Points every {@code disk<n>} of the emulated functions' configurations in {@code conf} into {@code images}. */
    private static void relocateDiskImages(Path conf, Path images) throws IOException {
        List<Path> functions;
        try (Stream<Path> files = Files.list(conf)) {
            functions = files.filter(f -> f.getFileName().toString().matches("devrt\\.emulator\\.function-.*\\.cfg"))
                .toList();
        }
        for (Path cfg : functions) {
            List<String> lines = Files.readAllLines(cfg, StandardCharsets.ISO_8859_1);
            List<String> rewritten = lines.stream().map(line -> {
                Matcher m = DISK_LINE.matcher(line);
                return m.matches() ? m.group(1) + relocated(Path.of(m.group(2)), images).toString().replace("\\", "/")
                    : line;
            }).toList();
            if (!rewritten.equals(lines)) {
                Files.write(cfg, rewritten, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** {@code image} under {@code images}: a relative path with its folders, any other by its file name. */
    private static Path relocated(Path image, Path images) {
        Path inside = image.isAbsolute() ? null : images.resolve(image).normalize();
        return inside != null && inside.startsWith(images) ? inside : images.resolve(image.getFileName());
    }

    /**
     * A new folder target/{@code name} holding what {@code java -jar run.jar} reads in the folder it starts in, as
     * the repository has it for ./devrt: conf/, etc/ and the driver repository; for tests that start run.jar in a
     * JVM of its own.
     */
    static Path freshRuntimeFolder(String name) throws IOException {
        Path home = Path.of(required("devrt.home"));
        Path dir = Path.of(required("devrt.itests.dir"), name);
        deleteFolder(dir);
        for (String folder : List.of("conf", "etc", "runtime/target/drivers")) {
            copyFolder(home.resolve(folder), dir.resolve(folder));
        }
        return dir;
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    static void deleteFolder(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Replaces {@code to} with a copy of {@code from} (empty if there is no {@code from}). */
    static void copyFolder(Path from, Path to) throws IOException {
        deleteFolder(to);
        Files.createDirectories(to);
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : files.toList()) {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest);
                    }
                }
            }
        }
    }
}

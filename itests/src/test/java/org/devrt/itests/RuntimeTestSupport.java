package org.devrt.itests;

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
import java.util.function.Supplier;
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
            Path conf = Path.of(required("devrt.home")).resolve(confDir);
            Path copy = target.toPath().resolve("conf").resolve(name);
            copyFolder(conf, copy);
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

    /** The service, waiting up to {@link #TIMEOUT} for it; null if there is none. */
    protected <T> T awaitService(Class<T> type, String filter) throws InterruptedException, InvalidSyntaxException {
        String objectClass = "(objectClass=" + type.getName() + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
            context.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")"), null);
        tracker.open();   // left open: the service stays got until the framework stops with the class
        return tracker.waitForService(TIMEOUT.toMillis());
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

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it from itests/pom.xml)");
        }
        return value;
    }

    /** Replaces {@code to} with a copy of {@code from} (empty if there is no {@code from}). */
    private static void copyFolder(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
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

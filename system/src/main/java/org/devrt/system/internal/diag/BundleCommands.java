package org.devrt.system.internal.diag;

import static org.devrt.system.internal.diag.Diagnostics.name;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.felix.service.command.Descriptor;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.devrt.system.internal.shell.InteractiveShell;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The bundle life-cycle commands of devrt's scope, which comes before Gogo's: {@code install}, {@code start},
 * {@code stop}, {@code uninstall}, {@code update} and {@code refresh}, each taking bundles by id or symbolic name (as
 * {@link BundleNames} finds them) and saying in one line what went wrong. Gogo's own took names only where the
 * converter reached them: {@code start devrt.vfs} failed with {@code MalformedURLException: no protocol},
 * {@code refresh} with nothing after it with a {@code NullPointerException}, {@code update} of a bundle of run.jar
 * with a stack trace, and a bundle that does not exist with "Cannot coerce uninstall(Token) to any of
 * [(Bundle[])]". Success is silent, as with Gogo's and a Unix shell's commands; the log says what the system did.
 */
@Component(service = BundleCommands.class, property = {"osgi.command.scope=devrt", "osgi.command.function=start",
    "osgi.command.function=install", "osgi.command.function=stop", "osgi.command.function=uninstall",
    "osgi.command.function=update", "osgi.command.function=refresh", "osgi.command.function=headers"})
public final class BundleCommands {
    static final String START = """
            usage: start <id | symbolic-name | url>...
              start bundles; a URL (file:/path/driver.jar) is installed first
            """;
    static final String INSTALL = """
            usage: install <url>...
              install bundles from jars (file:/path/driver.jar); 'start' starts them
            """;
    static final String STOP = """
            usage: stop [-f] <id | symbolic-name>...
              stop bundles ('stop 0' stops the framework; 'exit' ends devrt)
              -f, --force  also the shell's bundles, SCR and devrt.system, which are refused without it
            """;
    static final String UNINSTALL = """
            usage: uninstall [-f] <id | symbolic-name>...
              uninstall bundles
              -f, --force  also run.jar's own bundles (the shell's, SCR, devrt's services, the emulator), which are
                           refused without it: they come back only at the next start
            """;
    static final String UPDATE = """
            usage: update <id | symbolic-name> [url]
              update a bundle from its location, or from the jar at url (file:/path/driver.jar)
            """;
    static final String HEADERS = """
            usage: headers [id | symbolic-name]...
              the manifest headers of the bundles given (default: every bundle)
            """;
    static final String REFRESH = """
            usage: refresh [id | symbolic-name]...
              refresh the bundles given (default: those uninstalled or updated since the last refresh) and
              those wired to them, and wait until that is done
            """;
    /** The bnd launcher's list of run.jar's bundles: {@code name;version="...";startlevel=...}, comma-separated. */
    static final String RUN_BUNDLES = "launch.runbundles.attrs";
    static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    static final String SERVICE_COMPONENT_RUNTIME = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    /** Gogo's basic commands: it registers them as plain objects, so it is known by its name. */
    static final String GOGO_COMMAND = "org.apache.felix.gogo.command";
    /** How long {@code refresh} waits for the framework to finish. */
    static final long REFRESH_SECONDS = 60;

    private final BundleContext context;

    @Activate
    public BundleCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("start bundles, by id, symbolic name or URL (a URL is installed first)")
    public String start(@Descriptor("<id | symbolic-name | url>...") String... args) {
        return each("start", START, args, operand -> {
            Bundle found = BundleNames.find(context, operand);
            Bundle bundle = bundle(operand, found == null && operand.contains(":") ? install(operand) : found);
            if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
                throw new BundleException(name(bundle) + " is a fragment: it is not started, it is attached to its"
                        + " host when the host resolves");
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                throw explained(bundle, e);
            }
            return "";
        });
    }

    /**
     * Gogo's {@code headers} took a name only through devrt's converter, and a name no bundle has gave "Cannot coerce
     * headers(Token) to any of [(Bundle[])]": each bundle's headers as Gogo prints them, and a name that matches none
     * said as the other commands say it.
     */
    @Descriptor("the manifest headers of bundles, by id or symbolic name (default: every bundle)")
    public String headers(@Descriptor("[id | symbolic-name]...") String... words) {
        String[] args = Arguments.present(words);
        if (args.length == 0) {
            StringBuilder all = new StringBuilder();
            for (Bundle b : context.getBundles()) {
                all.append(headersOf(b));
            }
            return all.toString();
        }
        return each("headers", HEADERS, args, operand -> headersOf(bundle(operand,
                BundleNames.find(context, operand))));
    }

    /** One bundle's headers: its name and id, underlined, then {@code Name = value} in the manifest's order. */
    private static String headersOf(Bundle bundle) {
        java.util.Dictionary<String, String> headers = bundle.getHeaders();
        String name = headers.get(Constants.BUNDLE_NAME);
        String title = (name != null ? name : bundle.getSymbolicName()) + " (" + bundle.getBundleId() + ")";
        StringBuilder out = new StringBuilder(title).append('\n').append("-".repeat(title.length())).append('\n');
        for (java.util.Enumeration<String> keys = headers.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            out.append(key).append(" = ").append(headers.get(key)).append('\n');
        }
        return out.append('\n').toString();
    }

    @Descriptor("install bundles from URLs")
    public String install(@Descriptor("<url>...") String... args) {
        return each("install", INSTALL, args, operand -> "installed " + name(install(operand))
                + "\n");
    }

    @Descriptor("stop bundles, by id or symbolic name")
    public String stop(@Descriptor("[-f] <id | symbolic-name>...") String... args) {
        boolean force = forced(args);
        return each("stop", STOP, operands(args), operand -> {
            Bundle bundle = bundle(operand, BundleNames.find(context, operand));
            if (!force) {
                refuseCore("stop", bundle, operand);
            }
            boolean self = bundle.getBundleId() == context.getBundle().getBundleId();
            bundle.stop();
            // these commands went with it, and 'start' then reached no command at all: say which one is left
            return self ? name(bundle) + " stopped, and devrt's start and stop with it: 'felix:start "
                    + bundle.getBundleId() + "' starts it again\n" : "";
        });
    }

    @Descriptor("uninstall bundles, by id or symbolic name")
    public String uninstall(@Descriptor("[-f] <id | symbolic-name>...") String... args) {
        boolean force = forced(args);
        return each("uninstall", UNINSTALL, operands(args), operand -> {
            Bundle bundle = bundle(operand, BundleNames.find(context, operand));
            if (bundle.getBundleId() == 0) {
                throw new BundleException("the system bundle cannot be uninstalled ('exit' ends devrt)");
            }
            if (!force) {
                refuseCore("uninstall", bundle, operand);
                if (runJarBundles().contains(bundle.getSymbolicName())) { // install refuses it until the next start
                    throw new BundleException(name(bundle) + " is a bundle of run.jar: uninstalled, it cannot be"
                            + " installed again until devrt starts again ('stop " + operand + "' takes it away for"
                            + " now); 'uninstall -f " + operand + "' does it anyway");
                }
            }
            bundle.uninstall();
            return "";
        });
    }

    /** Whether {@code -f} or {@code --force} is among the arguments (before the names or after them). */
    private static boolean forced(String[] args) {
        return Arrays.stream(args).anyMatch(BundleCommands::isForce);
    }

    /** The arguments without {@code -f}. */
    private static String[] operands(String[] args) {
        return Arrays.stream(args).filter(a -> !isForce(a)).toArray(String[]::new);
    }

    private static boolean isForce(String arg) {
        return "-f".equals(arg) || "--force".equals(arg);
    }

    /**
     * Refuses to stop or uninstall a bundle that keeps devrt in the user's hands, naming what it would take away:
     * Gogo's own {@code stop} of the shell's bundle left a terminal without a prompt that only a SIGTERM ended, and of
     * this bundle took {@code exit} and the shutdown hook with it, so that the SIGTERM then ended the JVM without
     * stopping the framework (volumes left dirty). As Karaf's {@code bundle:stop} does for its system
     * bundles, {@code -f} does it anyway.
     */
    private void refuseCore(String command, Bundle bundle, String operand) throws BundleException {
        String role = coreBundles().get(bundle.getBundleId());
        if (role != null) {
            throw new BundleException(name(bundle) + " " + role + "; '" + command + " -f " + operand + "' does it"
                    + " anyway");
        }
    }

    /** The bundles that keep devrt in the user's hands, by id, each with what it does for that. */
    Map<Long, String> coreBundles() {
        Map<Long, String> core = new LinkedHashMap<>();
        serviceBundle(InteractiveShell.GOGO_SHELL, core, "runs this shell's prompt: without it there is no prompt,"
                + " and only a SIGTERM ends devrt");
        serviceBundle(COMMAND_PROCESSOR, core, "runs the shell's commands: without it the prompt takes none, not"
                + " even 'exit'");
        serviceBundle(SERVICE_COMPONENT_RUNTIME, core, "runs every component: the drivers, the VFS, the network"
                + " stack, 'exit' and the shutdown hook all stop with it");
        for (Bundle bundle : context.getBundles()) {
            if (GOGO_COMMAND.equals(bundle.getSymbolicName())) {
                core.putIfAbsent(bundle.getBundleId(), "brings lb, install and help: without it no bundle can be"
                        + " installed from this shell, not even it again");
            }
        }
        core.putIfAbsent(context.getBundle().getBundleId(), "holds 'exit', these commands, and the shutdown hook"
                + " that stops the framework at a SIGTERM (without it volumes are left dirty)");
        return core;
    }

    /** Adds the bundle that registered the service {@code className}, if one did. */
    private void serviceBundle(String className, Map<Long, String> core, String role) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(className, null);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Bundle bundle = ref.getBundle();
                if (bundle != null) {
                    core.putIfAbsent(bundle.getBundleId(), role);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new AssertionError("no filter was given", e);
        }
    }

    @Descriptor("update a bundle from its location or from a URL")
    public String update(@Descriptor("<id | symbolic-name> [url]") String... words) {
        String[] args = Arguments.present(words);
        if (wantsHelp(args)) {
            return CommandOutput.of(UPDATE);
        }
        if (args.length == 0 || args.length > 2) {
            return CommandOutput.error("update: " + (args.length == 0 ? "missing <id | symbolic-name>"
                    : "unexpected argument '" + args[2] + "'") + "\n" + UPDATE);
        }
        return each("update", UPDATE, new String[] {args[0]}, operand -> {
            Bundle bundle = bundle(operand, BundleNames.find(context, operand));
            if (bundle.getBundleId() == 0) {
                throw new BundleException("the system bundle is not updated from the shell (that ends devrt); a new"
                        + " run.jar is taken at the next start");
            }
            if (args.length == 2) {
                byte[] jar = sameBundle(bundle, args[1]);
                bundle.update(new ByteArrayInputStream(jar));
                return "";
            }
            String location = bundle.getLocation();
            if (!isUrl(location)) {
                throw new BundleException(name(bundle) + " was installed from '" + location + "', which is not a"
                        + " URL to read it again (a bundle of run.jar: a rebuilt run.jar's bundles are taken at the"
                        + " next start); give the jar: update " + bundle.getBundleId() + " file:/path/to/new.jar");
            }
            // read here first: one the framework cannot read it logged with a stack trace (a driver whose
            // repository moved: "... is not in the driver repository's index any more")
            bundle.update(new ByteArrayInputStream(sameBundle(bundle, location)));
            return "";
        });
    }

    @Descriptor("refresh bundles (default: those uninstalled or updated) and wait until it is done")
    public String refresh(@Descriptor("[id | symbolic-name]...") String... words) throws InterruptedException {
        String[] args = Arguments.present(words);
        if (wantsHelp(args)) {
            return CommandOutput.of(REFRESH);
        }
        List<Bundle> bundles = new ArrayList<>();
        for (String operand : args) {
            Bundle bundle = BundleNames.find(context, operand);
            if (bundle == null) {
                return CommandOutput.error("refresh: " + noBundle(operand));
            }
            if (bundle.getBundleId() == 0) {
                return CommandOutput.error("refresh: refreshing the system bundle restarts the framework, which ends"
                        + " devrt here; 'exit' ends it");
            }
            bundles.add(bundle);
        }
        FrameworkWiring wiring = wiring();
        Collection<Bundle> refreshed = wiring.getDependencyClosure(bundles.isEmpty()
                ? wiring.getRemovalPendingBundles() : bundles);
        if (refreshed.contains(context.getBundle())) {
            // this command's own bundle stops and starts again: its classes cannot be used once that begins
            String text = CommandOutput.of("refresh: " + name(context.getBundle()) + ", which runs"
                    + " this command, is among the bundles refreshed; not waiting for the refresh to end");
            wiring.refreshBundles(bundles.isEmpty() ? null : bundles);
            return text;
        }
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles.isEmpty() ? null : bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        return done.await(REFRESH_SECONDS, TimeUnit.SECONDS) ? CommandOutput.of("")
                : CommandOutput.error("refresh: not done within " + REFRESH_SECONDS + " s; it goes on ('diag' shows"
                        + " what is not active)");
    }

    /** What a command does with one operand; a failure is said in the command's line for it. */
    private interface Action {
        /** @return what it has to say (empty for nothing) */
        String run(String operand) throws BundleException, IOException;
    }

    /**
     * Does {@code action} for each operand, in order; one that fails gives its line and the others are still done.
     * What the actions say goes where the command's output goes, the failures' lines where its errors go.
     */
    private static String each(String command, String usage, String[] words, Action action) {
        String[] operands = Arguments.present(words);
        if (wantsHelp(operands)) {
            return CommandOutput.of(usage);
        }
        if (operands.length == 0) {
            return CommandOutput.error(command + ": missing operand\n" + usage);
        }
        for (String operand : operands) {
            // no bundle's id, name or URL starts with '-': an option this command does not know. Taken for a name,
            // it failed alone and the bundles after it were stopped or uninstalled all the same ('stop -x devrt.vfs')
            if (operand.startsWith("-") && operand.length() > 1) {
                return CommandOutput.error(command + ": unknown option '" + operand + "'; nothing done\n" + usage);
            }
        }
        StringBuilder out = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        StringBuilder both = new StringBuilder();
        for (String operand : operands) {
            String line;
            try {
                line = action.run(operand);
                out.append(line);
            } catch (BundleException | IOException | IllegalStateException | SecurityException e) {
                line = command + ": " + message(e) + "\n";
                errors.append(line);
            }
            both.append(line);
        }
        return CommandOutput.of(out.toString(), errors.toString(), both.toString());
    }

    /** The exception's message, and its cause's when it adds one (Felix: "Unable to cache bundle: ..."). */
    private static String message(Exception e) {
        Throwable cause = e.getCause();
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        return cause == null || cause.getMessage() == null || text.contains(cause.getMessage()) ? text
                : text + " (" + cause.getMessage() + ")";
    }

    private static boolean wantsHelp(String[] args) {
        return args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"));
    }

    /** A jar read whole, and the symbolic name its manifest gives (null if none: no OSGi bundle). */
    private record Jar(byte[] bytes, String symbolicName) {
    }

    /** Reads the jar at {@code location}: it is installed or updated from these bytes, once they are looked at. */
    private static Jar read(String location) throws IOException {
        byte[] bytes;
        try (InputStream in = url(location).openStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IOException("cannot read " + location + ": " + e.getMessage(), e);
        }
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes))) {
            Manifest manifest = in.getManifest();
            String name = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return new Jar(bytes, name == null ? null : name.split(";", 2)[0].trim());
        } catch (IOException e) {
            throw new IOException(location + " is not a jar: " + e.getMessage(), e);
        }
    }

    /**
     * The jar at {@code location}, once it is known to be another version of {@code bundle}: the framework would take
     * any jar (one without a manifest became an empty R3 bundle in the driver's place, one of another driver turned
     * the e1000 driver into the AHCI driver), and the next start would inherit it.
     */
    private static byte[] sameBundle(Bundle bundle, String location) throws IOException, BundleException {
        Jar jar = read(location);
        if (jar.symbolicName() == null) {
            throw new BundleException(location + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName;"
                    + " " + name(bundle) + " is left as it was");
        }
        if (!jar.symbolicName().equals(bundle.getSymbolicName())) {
            throw new BundleException(location + " is " + jar.symbolicName() + ", not " + bundle.getSymbolicName()
                    + "; " + name(bundle) + " is left as it was");
        }
        return jar.bytes();
    }

    /**
     * Installs the jar at {@code location}, unless it is no OSGi bundle (the framework would install a jar without
     * Bundle-SymbolicName as an R3 bundle with nothing in it) or one of run.jar's bundles, which run.jar installs
     * again at each start: two of one name cannot be (the next start failed with "Bundle symbolic name and version
     * are not unique"), and of two versions both would run.
     */
    private Bundle install(String location) throws BundleException, IOException {
        Jar jar = read(location);
        if (jar.symbolicName() == null) {
            throw new BundleException(location + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName;"
                    + " nothing installed");
        }
        if (runJarBundles().contains(jar.symbolicName())) {
            String name = jar.symbolicName();
            throw new BundleException(location + " is " + name + ", a bundle of run.jar, which run.jar installs again"
                    + " at each start (where two of one name cannot be): " + (BundleNames.find(context, name) != null
                            ? "'update " + name + " " + location + "' replaces it"
                            : "run.jar's own comes back at the next start, and 'update " + name + " " + location
                                    + "' then replaces it")
                    + "; nothing installed");
        }
        return context.installBundle(location, new ByteArrayInputStream(jar.bytes()));
    }

    /**
     * The symbolic names of the bundles run.jar installs at each start ({@code launch.runbundles.attrs}, set by the
     * bnd launcher); none when devrt runs otherwise (Pax Exam).
     */
    private Set<String> runJarBundles() {
        String attrs = context.getProperty(RUN_BUNDLES);
        Set<String> names = new HashSet<>();
        for (String clause : attrs == null ? new String[0] : attrs.split(",")) {
            names.add(clause.split(";", 2)[0].trim());
        }
        return names;
    }

    /**
     * A failure to resolve said as {@code diag} says it ("missing package com.example [1.0,2.0)") when requirements
     * have no provider; otherwise (a uses-constraint conflict, a failing activator) the framework's own words.
     */
    private BundleException explained(Bundle bundle, BundleException e) {
        if (e.getType() != BundleException.RESOLVE_ERROR) {
            return e;
        }
        List<String> missing = new BundleDiagnosis(wiring()).problems(bundle).stream()
                .filter(line -> line.startsWith("missing ")).toList();
        return missing.isEmpty() ? e : new BundleException(name(bundle) + " does not resolve: "
                + String.join("; ", missing) + " ('diag " + bundle.getBundleId() + "' tells more)",
                BundleException.RESOLVE_ERROR);
    }

    private FrameworkWiring wiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    private static URL url(String text) throws MalformedURLException {
        try {
            return URI.create(text).toURL();
        } catch (IllegalArgumentException e) {
            throw new MalformedURLException("not a URL: '" + text + "' (a jar is given as file:/path/driver.jar)");
        }
    }

    private static boolean isUrl(String location) {
        try {
            url(location);
            return true;
        } catch (MalformedURLException e) {
            return false;
        }
    }

    private static Bundle bundle(String operand, Bundle found) throws BundleException {
        if (found == null) {
            throw new BundleException(noBundle(operand));
        }
        return found;
    }

    private static String noBundle(String operand) {
        return "no bundle with id or symbolic name '" + operand + "' ('lb' lists them)";
    }

}

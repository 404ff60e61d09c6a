package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.devrt.system.internal.shell.InteractiveShell;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

public class BundleCommandsTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<String> calls = new ArrayList<>();
    private final Map<Long, Bundle> bundles = Map.of(
            0L, bundle(0, "org.apache.felix.framework", "System Bundle", false, null),
            3L, bundle(3, "devrt.logging", "jar/logging-1.0.0-SNAPSHOT.jar", true, null),
            5L, bundle(5, "devrt.network", "jar/network-1.0.0-SNAPSHOT.jar", false, null),
            6L, bundle(6, "devrt.system", "jar/system-1.0.0-SNAPSHOT.jar", false, null),
            7L, bundle(7, "org.apache.felix.gogo.jline", "jar/org.apache.felix.gogo.jline-1.1.8.jar", false, null),
            8L, bundle(8, "org.apache.felix.gogo.runtime", "jar/org.apache.felix.gogo.runtime-1.1.6.jar", false,
                    null),
            9L, bundle(9, "org.apache.felix.scr", "jar/org.apache.felix.scr-2.2.18.jar", false, null),
            10L, bundle(10, "org.apache.felix.gogo.command", "jar/org.apache.felix.gogo.command-1.1.2.jar", false,
                    null),
            24L, bundle(24, "devrt.ahci-driver", "file:/drivers/ahci.jar", false,
                    new BundleException("Unable to resolve devrt.ahci-driver [24]: missing requirement [...]",
                            BundleException.RESOLVE_ERROR)),
            25L, bundle(25, "devrt.broken", "file:/drivers/broken.jar", false,
                    new BundleException("Activator start error in bundle devrt.broken [25].",
                            BundleException.ACTIVATOR_ERROR)));
    private final BundleCommands commands = new BundleCommands(context());

    private Bundle bundle(long id, String name, String location, boolean fragment, BundleException startFails) {
        FakeRevision[] revision = new FakeRevision[1];
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> Long.hashCode(id);
                    case "getSymbolicName" -> name;
                    case "getVersion" -> Version.emptyVersion;
                    case "getLocation" -> location;
                    case "getHeaders" -> new java.util.Hashtable<>(java.util.Map.of(
                            org.osgi.framework.Constants.BUNDLE_SYMBOLICNAME, name));
                    case "getState" -> startFails != null ? Bundle.INSTALLED : Bundle.RESOLVED;
                    case "adapt" -> args[0] == BundleRevision.class ? revision[0] : wiring();
                    case "start" -> {
                        if (startFails != null) {
                            throw startFails;
                        }
                        calls.add("start " + id);
                        yield null;
                    }
                    case "stop", "uninstall", "update" -> {
                        calls.add(method.getName() + " " + id + (args == null ? "" : " from a stream"));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        revision[0] = new FakeRevision(bundle, fragment ? BundleRevision.TYPE_FRAGMENT : 0);
        if (id == 24) {
            revision[0].require("osgi.wiring.package", "(osgi.wiring.package=com.example.nothere)");
        }
        return bundle;
    }

    private FrameworkWiring wiring() {
        return (FrameworkWiring) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FrameworkWiring.class}, (proxy, method, args) -> {
                    String called = method.getName();
                    if (called.equals("findProviders") || called.equals("getRemovalPendingBundles")) {
                        return List.of();
                    }
                    if (method.getName().equals("getDependencyClosure")) {
                        @SuppressWarnings("unchecked")
                        Collection<Bundle> which = (Collection<Bundle>) args[0];
                        return which; // nothing is wired to them here
                    }
                    if (!method.getName().equals("refreshBundles")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    @SuppressWarnings("unchecked")
                    Collection<Bundle> which = (Collection<Bundle>) args[0];
                    FrameworkListener[] listeners = (FrameworkListener[]) args[1];
                    calls.add("refresh " + (which == null ? "pending"
                            : which.stream().map(Bundle::getBundleId).toList())
                            + (listeners.length == 0 ? " without waiting" : ""));
                    for (FrameworkListener listener : (FrameworkListener[]) args[1]) {
                        listener.frameworkEvent(new FrameworkEvent(FrameworkEvent.PACKAGES_REFRESHED,
                                bundles.get(0L), null));
                    }
                    return null;
                });
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> args == null ? bundles.get(6L)
                            : args[0] instanceof Long id ? bundles.get(id) : bundles.get(0L);
                    case "getBundles" -> bundles.values().toArray(new Bundle[0]);
                    case "getProperty" -> BundleCommands.RUN_BUNDLES.equals(args[0])
                            ? "devrt.network;version=\"1.0.0.SNAPSHOT\";startlevel=10,devrt.vfs;version=\"1.0.0\";"
                                    + "startlevel=10"
                            : null;
                    case "getAllServiceReferences" -> switch ((String) args[0]) {
                        case InteractiveShell.GOGO_SHELL -> new ServiceReference<?>[] {reference(7)};
                        case BundleCommands.COMMAND_PROCESSOR -> new ServiceReference<?>[] {reference(8)};
                        case BundleCommands.SERVICE_COMPONENT_RUNTIME -> new ServiceReference<?>[] {reference(9)};
                        default -> null;
                    };
                    case "installBundle" -> {
                        calls.add("install " + args[0]);
                        yield bundle(30, "devrt.new-driver", (String) args[0], false, null);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private ServiceReference<?> reference(long bundleId) {
        return (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getBundle")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return bundles.get(bundleId);
                });
    }

    @Test
    public void bundlesAreTakenByIdOrSymbolicNameAndSuccessIsSilent() {
        assertEquals("", commands.start("devrt.network"));
        assertEquals("", commands.stop("5"));
        assertEquals("", commands.uninstall("devrt.ahci-driver"));
        assertEquals(List.of("start 5", "stop 5", "uninstall 24"), calls);
    }

    /** Gogo's headers gave "Cannot coerce headers(Token) to any of [(Bundle[])]" for a name no bundle has. */
    @Test
    public void headersTakesIdsAndNamesAndSaysWhichNameMatchesNoBundle() {
        assertEquals("headers: no bundle with id or symbolic name 'nosuch' ('lb' lists them)\n",
                commands.headers("nosuch"));
        assertEquals("devrt.network (5)\n-----------------\nBundle-SymbolicName = devrt.network\n\n",
                commands.headers("devrt.network"));
        assertEquals(commands.headers("devrt.network"), commands.headers("5"));
    }

    /** An unknown option is refused before anything is done: 'stop -x devrt.vfs' stopped devrt.vfs. */
    @Test
    public void anUnknownOptionIsRefusedAndNothingIsDone() {
        assertEquals("stop: unknown option '-x'; nothing done\n" + BundleCommands.STOP, commands.stop("-x", "5"));
        assertEquals("uninstall: unknown option '-F'; nothing done\n" + BundleCommands.UNINSTALL,
                commands.uninstall("-F", "devrt.ahci-driver"));
        assertEquals("start: unknown option '--now'; nothing done\n" + BundleCommands.START,
                commands.start("devrt.network", "--now"));
        assertEquals(List.of(), calls);
    }

    @Test
    public void eachOperandThatFailsSaysWhyAndTheOthersAreStillDone() {
        assertEquals("stop: no bundle with id or symbolic name '999' ('lb' lists them)\n", commands.stop("999", "5"));
        assertEquals(List.of("stop 5"), calls);
    }

    @Test
    public void startSaysWhyABundleDoesNotStart() {
        assertEquals("start: devrt.ahci-driver [24] does not resolve: missing package com.example.nothere ('diag 24'"
                + " tells more)\n", commands.start("24"));
        assertEquals("start: Activator start error in bundle devrt.broken [25].\n", commands.start("devrt.broken"));
        assertEquals("start: devrt.logging [3] is a fragment: it is not started, it is attached to its host when"
                + " the host resolves\n", commands.start("devrt.logging"));
        assertEquals("start: cannot read file:/nowhere/x.jar: /nowhere/x.jar (No such file or directory)\n",
                commands.start("file:/nowhere/x.jar"));
        assertEquals(List.of(), calls);
    }

    @Test
    public void theShellsBundlesScrGogosCommandsAndItsOwnBundleAreStoppedOrUninstalledOnlyWithForce() {
        assertEquals("""
                stop: org.apache.felix.gogo.jline [7] runs this shell's prompt: without it there is no prompt, and only\
                 a SIGTERM ends devrt; 'stop -f org.apache.felix.gogo.jline' does it anyway
                stop: org.apache.felix.gogo.runtime [8] runs the shell's commands: without it the prompt takes none,\
                 not even 'exit'; 'stop -f 8' does it anyway
                stop: org.apache.felix.scr [9] runs every component: the drivers, the VFS, the network stack, 'exit'\
                 and the shutdown hook all stop with it; 'stop -f 9' does it anyway
                stop: devrt.system [6] holds 'exit', these commands, and the shutdown hook that stops the\
                 framework at a SIGTERM (without it volumes are left dirty); 'stop -f 6' does it anyway
                stop: org.apache.felix.gogo.command [10] brings lb, install and help: without it no bundle can be\
                 installed from this shell, not even it again; 'stop -f 10' does it anyway
                """, commands.stop("org.apache.felix.gogo.jline", "8", "9", "6", "10", "5"));
        assertEquals("uninstall: devrt.system [6] holds 'exit', these commands, and the shutdown hook that"
                + " stops the framework at a SIGTERM (without it volumes are left dirty); 'uninstall -f"
                + " devrt.system' does it anyway\n", commands.uninstall("devrt.system"));
        assertEquals("the others were still done", List.of("stop 5"), calls);
        // its own bundle stopped, start and stop went with it: 'start 6' reached no command ('felix:start' is left)
        assertEquals("devrt.system [6] stopped, and devrt's start and stop with it: 'felix:start 6' starts"
                + " it again\n", commands.stop("-f", "org.apache.felix.gogo.jline", "6"));
        assertEquals("", commands.uninstall("9", "--force"));
        assertEquals(List.of("stop 5", "stop 7", "stop 6", "uninstall 9"), calls);
        assertEquals("stop: missing operand\n" + BundleCommands.STOP, commands.stop("-f"));
    }

    /** 'start $x' with x unset: Gogo gives a null word; every bundle command failed with a NullPointerException. */
    @Test
    public void anUnsetVariableIsLeftOutAsAPosixShellDropsIt() throws Exception {
        assertEquals("start: missing operand\n" + BundleCommands.START, commands.start((String) null));
        assertEquals("uninstall: missing operand\n" + BundleCommands.UNINSTALL, commands.uninstall(null, null));
        assertEquals(commands.headers("devrt.system"), commands.headers(null, "devrt.system"));
    }

    /** Uninstalled, devrt.emulator took the whole machine away until the next start: install refuses run.jar's own. */
    @Test
    public void aBundleOfRunJarIsUninstalledOnlyWithForce() {
        assertEquals("uninstall: devrt.network [5] is a bundle of run.jar: uninstalled, it cannot be installed again"
                + " until devrt starts again ('stop devrt.network' takes it away for now); 'uninstall -f devrt.network'"
                + " does it anyway\n", commands.uninstall("devrt.network"));
        assertEquals(List.of(), calls);
        assertEquals("", commands.uninstall("-f", "5"));
        assertEquals(List.of("uninstall 5"), calls);
    }

    @Test
    public void theSystemBundleIsNotUninstalled() {
        assertEquals("uninstall: the system bundle cannot be uninstalled ('exit' ends devrt)\n",
                commands.uninstall("0"));
        assertEquals(List.of(), calls);
    }

    @Test
    public void updateOfABundleOfRunJarSaysWhereToGiveTheJar() throws Exception {
        String text = commands.update("devrt.network");
        assertTrue(text, text.startsWith("update: devrt.network [5] was installed from"
                + " 'jar/network-1.0.0-SNAPSHOT.jar', which is not a URL to read it again"));
        assertTrue(text, text.endsWith("give the jar: update 5 file:/path/to/new.jar\n"));

        assertEquals("", commands.update("devrt.network", jar("network.jar", "devrt.network;singleton:=true")));
        assertEquals(List.of("update 5 from a stream"), calls);
        // its location read first: the framework logged a stack trace for one it could not read (a moved repository)
        String unreadable = commands.update("devrt.ahci-driver");
        assertTrue(unreadable, unreadable.startsWith("update: cannot read file:/drivers/ahci.jar: "));
        assertEquals("nothing asked of the framework", List.of("update 5 from a stream"), calls);

        String missing = commands.update("5", "file:/nowhere/network.jar");
        assertTrue(missing, missing.startsWith("update: cannot read file:/nowhere/network.jar: "));
    }

    /** A jar whose manifest names {@code symbolicName}, or has no Bundle-SymbolicName if it is null; its URL. */
    private String jar(String file, String symbolicName) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        File jar = folder.newFile(file);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()), manifest)) {
            out.putNextEntry(new JarEntry("a.txt"));
        }
        return jar.toURI().toString();
    }

    @Test
    public void updateTakesOnlyAnotherVersionOfTheSameBundle() throws Exception {
        String plain = jar("plain.jar", null);
        assertEquals("update: " + plain + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName;"
                + " devrt.ahci-driver [24] is left as it was\n", commands.update("24", plain));
        String other = jar("other.jar", "devrt.ethernet-driver");
        assertEquals("update: " + other + " is devrt.ethernet-driver, not devrt.ahci-driver; devrt.ahci-driver [24]"
                + " is left as it was\n", commands.update("devrt.ahci-driver", other));
        File notAJar = folder.newFile("text.jar");
        Files.writeString(notAJar.toPath(), "not a jar");
        String text = commands.update("24", notAJar.toURI().toString());
        assertTrue(text, text.startsWith("update: ") && text.contains("is not an OSGi bundle"));
        assertEquals("update: the system bundle is not updated from the shell (that ends devrt); a new run.jar is"
                + " taken at the next start\n", commands.update("0", plain));
        assertEquals(List.of(), calls);
    }

    @Test
    public void refreshWithoutBundlesRefreshesThePendingOnesAndWaitsForTheFramework() throws Exception {
        assertEquals("", commands.refresh());
        assertEquals("", commands.refresh("devrt.network", "24"));
        assertEquals("refresh: no bundle with id or symbolic name 'x' ('lb' lists them)", commands.refresh("x"));
        assertEquals(List.of("refresh pending", "refresh [5, 24]"), calls);
    }

    @Test
    public void refreshOfItsOwnBundleDoesNotWaitAndTheSystemBundleIsNotRefreshed() throws Exception {
        assertEquals("refresh: devrt.system [6], which runs this command, is among the bundles refreshed;"
                + " not waiting for the refresh to end", commands.refresh("devrt.system"));
        assertEquals("refresh: refreshing the system bundle restarts the framework, which ends devrt here; 'exit'"
                + " ends it", commands.refresh("0"));
        assertEquals(List.of("refresh [6] without waiting"), calls);
    }

    @Test
    public void aWrongLineGivesTheUsage() throws Exception {
        assertEquals("start: missing operand\n" + BundleCommands.START, commands.start());
        assertEquals(BundleCommands.STOP, commands.stop("--help"));
        assertEquals("update: missing <id | symbolic-name>\n" + BundleCommands.UPDATE, commands.update());
        assertEquals(BundleCommands.REFRESH, commands.refresh("-h"));
    }

    @Test
    public void installSaysWhatItInstalledAndRefusesAJarThatIsNoBundleWithoutInstallingIt() throws Exception {
        String plain = jar("plain.jar", null);
        String driver = jar("driver.jar", "devrt.new-driver");
        assertEquals("install: " + plain + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName; nothing"
                + " installed\ninstalled devrt.new-driver [30]\n", commands.install(plain, driver));
        assertEquals(List.of("install " + driver), calls);
        assertEquals("start: " + plain + " is not an OSGi bundle: its manifest has no Bundle-SymbolicName; nothing"
                + " installed\n", commands.start(plain));
    }

    @Test
    public void aBundleOfRunJarIsNotInstalledBesideItsOwnCopyButUpdated() throws Exception {
        String network = jar("network.jar", "devrt.network");
        assertEquals("install: " + network + " is devrt.network, a bundle of run.jar, which run.jar installs again at"
                + " each start (where two of one name cannot be): 'update devrt.network " + network + "' replaces it;"
                + " nothing installed\n", commands.install(network));
        String vfs = jar("vfs.jar", "devrt.vfs");
        assertEquals("uninstalled: it comes back", "install: " + vfs + " is devrt.vfs, a bundle of run.jar, which"
                + " run.jar installs again at each start (where two of one name cannot be): run.jar's own comes back"
                + " at the next start, and 'update devrt.vfs " + vfs + "' then replaces it; nothing installed\n",
                commands.install(vfs));
        assertEquals(List.of(), calls);
    }
}

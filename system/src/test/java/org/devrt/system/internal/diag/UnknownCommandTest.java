package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

public class UnknownCommandTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** A bundle whose one component description declares {@code xml}'s properties. */
    private Bundle bundle(long id, String name, int state, String xml) throws Exception {
        File description = folder.newFile(name + ".xml");
        Files.writeString(description.toPath(), xml == null ? "" : xml);
        Hashtable<String, String> headers = new Hashtable<>();
        if (xml != null) {
            headers.put("Service-Component", "OSGI-INF/" + name + ".xml");
        }
        return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getBundleId" -> id;
                    case "getSymbolicName" -> name;
                    case "getState" -> state;
                    case "getHeaders" -> headers;
                    case "getEntry" -> args[0].equals("OSGI-INF/" + name + ".xml") ? description.toURI().toURL() : null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private UnknownCommand command(Bundle... bundles) {
        return new UnknownCommand((BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundles" -> bundles;
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }

    private static final String NETWORK = """
            <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.5.0" name="NetworkCommands">
              <property name="osgi.command.scope" type="String" value="devrt"/>
              <property name="osgi.command.function" type="String">ifconfig
            arp
            ping</property>
            </scr:component>""";
    private static final String IP = """
            <component name="IpCommand"><property name="osgi.command.function" type="String" value="ip"/></component>""";

    @Test
    public void theFunctionsOfABundlesComponentDescriptionsAreFoundInTheirTwoForms() throws Exception {
        assertEquals(Set.of("devrt:ifconfig", "devrt:arp", "devrt:ping"),
                UnknownCommand.commands(bundle(7, "n", Bundle.RESOLVED, NETWORK)));
        assertEquals(Set.of(":ip"), UnknownCommand.commands(bundle(8, "i", Bundle.RESOLVED, IP)));
    }

    /** Gogo said "org.apache.felix.gogo.runtime.CommandNotFoundException: Command not found: ip". */
    @Test
    public void aCommandGoneWithItsBundleNamesTheBundleAndHowToBringItBack() throws Exception {
        UnknownCommand unknown = command(bundle(3, "devrt.vfs", Bundle.ACTIVE, IP.replace("ip", "ls")),
                bundle(7, "devrt.network", Bundle.RESOLVED, NETWORK + IP));
        UnknownCommand.NotFound e = assertThrows(UnknownCommand.NotFound.class,
                () -> unknown._default("devrt:arp", "-n"));
        assertEquals("arp: command not found; it comes with devrt.network [7], which is not active: 'start"
                + " devrt.network' brings it back", e.toString());
        assertEquals("ip: command not found; it comes with devrt.network [7], which is not active: 'start"
                + " devrt.network' brings it back", unknown.explain("ip"));
    }

    @Test
    public void anActiveBundleWhoseComponentIsNotRunningIsSentToDiag() throws Exception {
        UnknownCommand unknown = command(bundle(7, "devrt.network", Bundle.ACTIVE, NETWORK));
        assertEquals("ping: command not found; it comes with devrt.network [7], whose component for it is not running"
                + " ('diag 7' tells why)", unknown.explain("ping"));
    }

    /** 'nosuch:ping' was said to come with devrt.network, whose component was not running. */
    @Test
    public void anotherScopesNameIsNoCommandOfThisBundle() throws Exception {
        UnknownCommand unknown = command(bundle(7, "devrt.network", Bundle.RESOLVED, NETWORK));
        assertEquals("nosuch:ping: command not found ('help' lists the commands)", unknown.explain("nosuch:ping"));
        assertTrue(unknown.explain("devrt:ping").startsWith("ping: command not found; it comes with devrt.network"));
    }

    @Test
    public void aTypoIsSaidInOneLine() throws Exception {
        UnknownCommand unknown = command(bundle(7, "devrt.network", Bundle.ACTIVE, NETWORK),
                bundle(9, "plain", Bundle.ACTIVE, null));
        assertEquals(List.of("lsblkk: command not found ('help' lists the commands)"),
                List.of(assertThrows(UnknownCommand.NotFound.class, () -> unknown._default("lsblkk")).toString()));
    }
}

package org.devrt.system.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.devrt.registry.config.ComponentConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class StaleConfigurationsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<String> deleted = new ArrayList<>();

    /** A configuration with these properties; delete() is recorded. */
    private Configuration configuration(String pid, Map<String, Object> properties) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
            (proxy, method, args) -> switch (deleted.contains(pid) ? "deleted" : method.getName()) {
                case "deleted" -> throw new IllegalStateException("Configuration " + pid + " deleted"); // as Felix's
                case "getPid" -> pid;
                case "getProperties" -> new Hashtable<>(properties);
                case "delete" -> {
                    deleted.add(pid);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method.getName());
            });
    }

    private static ConfigurationAdmin admin(Configuration... configurations) {
        return (ConfigurationAdmin) Proxy.newProxyInstance(StaleConfigurationsTest.class.getClassLoader(),
            new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                if (method.getName().equals("listConfigurations")) {
                    assertEquals("(felix.fileinstall.filename=*)", args[0]);
                    return configurations;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }

    @Test
    public void onlyConfigurationsWhoseFileIsGoneAreDeleted() throws Exception {
        Path kept = Files.writeString(tmp.getRoot().toPath().resolve("kept.cfg"), "a = 1\n");
        Path gone = tmp.getRoot().toPath().resolve("devrt.emulator.machine.cfg");
        ConfigurationAdmin admin = admin(
            configuration("kept", Map.of(ComponentConfig.FILE, kept.toUri().toString())),
            configuration("devrt.emulator.machine", Map.of(ComponentConfig.FILE, gone.toUri().toString())),
            configuration("not-a-file-url", Map.of(ComponentConfig.FILE, "mvn:some/artifact")));

        assertEquals(List.of("devrt.emulator.machine"), StaleConfigurations.deleteStale(admin));
        assertEquals(List.of("devrt.emulator.machine"), deleted);
    }

    @Test
    public void noConfigurationsIsNothingToDo() {
        assertEquals(List.of(), StaleConfigurations.deleteStale(admin((Configuration[]) null)));
    }
}

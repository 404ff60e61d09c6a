package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.devrt.registry.config.ComponentConfig;
import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * What the check makes of a configuration against a description. Metatype's own validation is Felix's (DiagIT runs
 * it); here a description whose attributes refuse the values they are told to, to test the phrasing around it and the
 * misspelt-name rule.
 */
public class ConfigurationCheckTest {
    /** An attribute that refuses the values in {@code refused} with Felix's "%invalid value". */
    private static AttributeDefinition attribute(String id, int type, String defaultValue, String... refused) {
        return new AttributeDefinition() {
            @Override public String getName() { return id; }
            @Override public String getID() { return id; }
            @Override public String getDescription() { return ""; }
            @Override public int getCardinality() { return 0; }
            @Override public int getType() { return type; }
            @Override public String[] getOptionValues() { return null; }
            @Override public String[] getOptionLabels() { return null; }
            @Override public String validate(String value) { return List.of(refused).contains(value) ? "%invalid value" : ""; }
            @Override public String[] getDefaultValue() { return defaultValue == null ? null : new String[] {defaultValue}; }
        };
    }

    private static ObjectClassDefinition description(AttributeDefinition... attributes) {
        return new ObjectClassDefinition() {
            @Override public String getName() { return "test"; }
            @Override public String getID() { return "test"; }
            @Override public String getDescription() { return ""; }
            @Override public AttributeDefinition[] getAttributeDefinitions(int filter) {
                return filter == OPTIONAL ? new AttributeDefinition[0] : attributes;
            }
            @Override public InputStream getIcon(int size) { return null; }
        };
    }

    private static Dictionary<String, Object> properties(Map<String, Object> values) {
        return new Hashtable<>(values);
    }

    private final ObjectClassDefinition ahci = description(
            attribute("commandTimeoutMillis", AttributeDefinition.LONG, "10000", "soon"),
            attribute("enabled", AttributeDefinition.BOOLEAN, "true"),
            attribute("address", AttributeDefinition.STRING, null));

    @Test
    public void aValueTheDescriptionRefusesIsNamedWithWhatItWants() {
        assertEquals(List.of("commandTimeoutMillis = 'soon': invalid value (want a whole number (long); default 10000)"),
                ConfigurationCheck.problems(ahci, properties(Map.of("commandTimeoutMillis", "soon", "address", "x"))));
    }

    @Test
    public void aRequiredValueWithoutDefaultThatIsMissingIsNamed() {
        assertEquals(List.of("address is missing (text required)"), ConfigurationCheck.problems(ahci, properties(Map.of())));
    }

    @Test
    public void aNameTwoEditsFromADescribedOneIsTakenForAMisspelling() {
        List<String> problems = ConfigurationCheck.problems(ahci, properties(Map.of("address", "x",
                "commandTimeoutMilis", "5", "enabeld", "false")));
        assertEquals(List.of(
                "'commandTimeoutMilis' is not one of its properties (did you mean commandTimeoutMillis?); its value is not used",
                "'enabeld' is not one of its properties (did you mean enabled?); its value is not used"), problems);
    }

    @Test
    public void otherUndescribedPropertiesAndTheFrameworksOwnAreNotJudged() {
        assertEquals(List.of(), ConfigurationCheck.problems(ahci, properties(Map.of("address", "x", "disk0", "a.img",
                "size0", "256M", "address0", "indexed, as an AHCI function's model0", "service.pid", "devrt.ahci", "felix.fileinstall.filename", "file:/x.cfg"))));
    }

    @Test
    public void editDistanceCountsASwapOfNeighboursAsOneEdit() {
        assertEquals(1, ConfigurationCheck.editDistance("enabeld", "enabled"));
        assertEquals(1, ConfigurationCheck.editDistance("rescanIntervalSecond", "rescanIntervalSeconds"));
        assertEquals(0, ConfigurationCheck.editDistance("mac", "mac"));
        assertTrue("a model option is not taken for a misspelt address",
                ConfigurationCheck.editDistance("size0", "address") > 2);
    }
    /** A configuration with this PID (factory PID, or null), bound to {@code location}; records its rebinding. */
    private static Configuration configuration(String pid, String factoryPid, String[] location) {
        return (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getFactoryPid" -> factoryPid;
                    case "getBundleLocation" -> location[0];
                    case "setBundleLocation" -> {
                        location[0] = (String) args[0];
                        yield null;
                    }
                    case "getProperties" -> new Hashtable<>(Map.of(ComponentConfig.FILE, "/conf/" + pid + ".cfg"));
                    case "toString" -> pid;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * 'cm:getconfiguration devrt.ahci' binds the configuration to Gogo's runtime, the bundle that asked: a
     * conf/devrt.ahci.cfg written later was never applied, and diag said all was well.
     */
    @Test
    public void aConfigurationBoundToABundleOtherThanItsComponentsIsGivenBack() {
        String driver = "devrt-repository:devrt.ahci-driver";
        String[] stray = {"jar/org.apache.felix.gogo.runtime-1.1.6.jar"};
        String[] own = {driver};
        String[] everyone = {"?"};
        String[] unbound = {null};
        String[] undescribed = {"jar/org.apache.felix.gogo.runtime-1.1.6.jar"};
        List<String> lines = ConfigurationCheck.unbindStrays(List.of(configuration("devrt.ahci", null, stray),
                configuration("devrt.ahci.x", "devrt.ahci", own), configuration("devrt.other", null, everyone),
                configuration("devrt.ahci.y", "devrt.ahci", unbound), configuration("gogo.thing", null, undescribed)),
                Map.of("devrt.ahci", driver, "devrt.other", driver));
        assertEquals(List.of("configuration devrt.ahci (/conf/devrt.ahci.cfg) was bound to"
                + " jar/org.apache.felix.gogo.runtime-1.1.6.jar, where the component it configures (" + driver
                + ") could not use it (as 'cm:getconfiguration' binds one): given back, it applies"), lines);
        assertEquals("?", stray[0]);
        assertEquals(driver, own[0]);
        assertEquals("?", everyone[0]);
        assertEquals(null, unbound[0]);
        assertEquals("a PID no bundle describes is left as it is", "jar/org.apache.felix.gogo.runtime-1.1.6.jar",
                undescribed[0]);
    }
}

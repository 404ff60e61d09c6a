package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;
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
}

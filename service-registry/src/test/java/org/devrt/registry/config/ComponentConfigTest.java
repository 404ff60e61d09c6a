package org.devrt.registry.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

public class ComponentConfigTest {
    @interface Config {
        long timeoutMillis() default 10_000;

        int attempts() default 3;

        String[] names() default {"a", "b"};

        String address();

        int port();

        boolean enabled() default true;
    }

    /** Lines logged, formatted. */
    @SuppressWarnings("serial")
    private static final class Recorder extends LegacyAbstractLogger {
        final List<String> lines = new ArrayList<>();

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] args,
                Throwable exception) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(message, args));
        }
    }

    private final Recorder log = new Recorder();
    private final AtomicInteger conversions = new AtomicInteger();

    /**
     * The configuration as SCR hands it over: a proxy of the type that converts a property's value at each call of
     * its element and throws when it does not convert.
     */
    private Config scr(Map<String, Object> properties) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
            (proxy, method, args) -> {
                conversions.incrementAndGet();
                Object value = properties.get(ComponentConfig.propertyName(method.getName()));
                if (value == null) {
                    return method.getDefaultValue();
                }
                return convert(method, String.valueOf(value));
            });
    }

    private static Object convert(Method element, String text) {
        Class<?> type = element.getReturnType();
        if (type == long.class) {
            return Long.valueOf(text.trim());
        } else if (type == int.class) {
            return Integer.valueOf(text.trim());
        } else if (type == String[].class) {
            return text.split(",");
        } else if (type == boolean.class) {
            return Boolean.valueOf(text.trim()); // as SCR: anything but "true" is false
        }
        return text;
    }

    private Config withDefaults(Map<String, Object> values) {
        Map<String, Object> properties = new java.util.HashMap<>(values);
        properties.put("service.pid", "test.pid");
        properties.put("component.name", "org.example.Test");
        return ComponentConfig.withDefaults(Config.class, scr(properties), properties, log);
    }

    @Test
    public void valuesThatConvertAreThoseConfigured() {
        Config config = withDefaults(Map.of("timeoutMillis", "250", "attempts", 5, "address", "10.0.2.2"));

        assertEquals(250, config.timeoutMillis());
        assertEquals(5, config.attempts());
        assertEquals("10.0.2.2", config.address());
        assertEquals(List.of("a", "b"), List.of(config.names()));
        assertEquals("nothing is said about values that convert", List.of(), log.lines);
    }

    @Test
    public void aValueThatDoesNotConvertGivesItsDefaultSaidOnceWithThePidPropertyAndValue() {
        Config config = withDefaults(Map.of("timeoutMillis", "10s", "attempts", "3.5"));

        assertEquals(10_000, config.timeoutMillis());
        assertEquals(10_000, config.timeoutMillis());
        assertEquals(3, config.attempts());
        assertEquals("said once each, when the configuration is read, in the order of the names", List.of(
            "WARN configuration test.pid: attempts = '3.5' does not convert to int; its default 3 is used instead",
            "WARN configuration test.pid: timeoutMillis = '10s' does not convert to long; its default 10000 is used "
                + "instead"),
            log.lines);
    }

    /** SCR turns 'enabled = maybe' into false without a word: the host's PCI bus went off. */
    @Test
    public void aBooleanThatIsNeitherTrueNorFalseGivesItsDefault() {
        assertEquals(false, withDefaults(Map.of("enabled", "False ")).enabled());
        assertEquals(List.of(), log.lines);
        assertEquals(true, withDefaults(Map.of("enabled", "maybe")).enabled());
        assertEquals(List.of("WARN configuration test.pid: enabled = 'maybe' does not convert to boolean; its default"
                + " true is used instead"), log.lines);
    }

    @Test
    public void aConfigurationWhoseValuesAllConvertIsTheOneGiven() {
        Map<String, Object> properties = Map.of("service.pid", "test.pid", "timeoutMillis", "250", "port", "80");
        Config scr = scr(properties);

        assertSame(scr, ComponentConfig.withDefaults(Config.class, scr, properties, log));
        assertEquals("each value converted once, to see that it converts", 6, conversions.get());
    }

    @Test
    public void aReplacedValueIsNotConvertedAgainAndTheOthersAreSCRs() {
        Config config = withDefaults(Map.of("timeoutMillis", "10s", "attempts", "7"));
        int atRead = conversions.get();

        assertEquals(10_000, config.timeoutMillis());
        assertEquals(atRead, conversions.get());
        assertEquals(7, config.attempts());
        assertEquals(atRead + 1, conversions.get());
    }

    @Test
    public void aValueWithoutDefaultThatDoesNotConvertThrowsNamingPropertyAndValue() {
        Config config = withDefaults(Map.of("port", "http"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::port);

        assertTrue(e.getMessage(),
            e.getMessage().startsWith("configuration test.pid: port = 'http' does not convert to int ("));
        assertTrue(e.getMessage(), e.getMessage().endsWith("), and the property has no default"));
    }

    @Test
    public void theComponentNameStandsForThePidOfAComponentWithoutConfiguration() {
        Map<String, Object> properties = Map.of("component.name", "org.example.Test", "attempts", "x");
        Config config = ComponentConfig.withDefaults(Config.class, scr(properties), properties, log);

        config.attempts();

        assertEquals(List.of("WARN configuration org.example.Test: attempts = 'x' does not convert to int; its "
            + "default 3 is used instead"), log.lines);
    }

    @Test
    public void anArrayDefaultIsSaidAsAList() {
        Config config = ComponentConfig.withDefaults(Config.class, (Config) Proxy.newProxyInstance(
            Config.class.getClassLoader(), new Class<?>[] {Config.class}, (proxy, method, args) -> {
                throw new IllegalArgumentException("no");
            }), Map.of("service.pid", "p", "names", new String[] {"x"}), log);

        assertEquals(List.of("a", "b"), List.of(config.names()));
        assertTrue(log.lines.toString(), log.lines.contains("WARN configuration p: names = '[x]' does not convert to "
            + "String[]; its default [a, b] is used instead"));
    }

    @Test
    public void aConfigurationIsNamedByItsPidAndTheFileItCameFrom() {
        assertEquals("configuration devrt.ahci (/srv/devrt/conf/devrt.ahci.cfg)", ComponentConfig.name(Map.of(
            "service.pid", "devrt.ahci", "felix.fileinstall.filename", "file:/srv/devrt/conf/devrt.ahci.cfg")));
        assertEquals("configuration devrt.ahci", ComponentConfig.name(Map.of("service.pid", "devrt.ahci")));
        assertEquals("not a file URL: as it is", "configuration p (conf/p.cfg)",
            ComponentConfig.name("p", "conf/p.cfg"));
    }

    @Test
    public void elementNamesMapToPropertyNamesAsInDeclarativeServices() {
        assertEquals("memory.size", ComponentConfig.propertyName("memory_size"));
        assertEquals("a-b", ComponentConfig.propertyName("a$_$b"));
        assertEquals("a_b", ComponentConfig.propertyName("a__b"));
        assertEquals("a$b", ComponentConfig.propertyName("a$$b"));
        assertEquals("ab", ComponentConfig.propertyName("a$b"));
        assertEquals("commandTimeoutMillis", ComponentConfig.propertyName("commandTimeoutMillis"));
    }

    @Test
    public void onlyAnAnnotationTypeCanBeGivenDefaults() {
        Map<String, Object> properties = Map.of();
        Runnable plain = () -> { };

        assertThrows(IllegalArgumentException.class,
            () -> ComponentConfig.withDefaults(Runnable.class, plain, properties, log));
    }
}

package org.devrt.registry.config.elsewhere;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.devrt.registry.config.ComponentConfig;
import org.junit.Test;
import org.slf4j.helpers.NOPLogger;

/** A component's property type is commonly package-private, in a package other than the helper's. */
public class ComponentConfigElsewhereTest {
    @interface Config {
        long timeoutMillis() default 10_000;

        String name() default "x";
    }

    @Test
    public void theValuesThatConvertAreReadThroughTheProxyOfAPackagePrivateType() {
        Map<String, Object> properties = Map.of("service.pid", "p", "timeoutMillis", "soon", "name", "eth1");
        Config scr = (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
            (proxy, method, args) -> method.getName().equals("name") ? "eth1" : Long.valueOf("soon"));

        Config config = ComponentConfig.withDefaults(Config.class, scr, properties, NOPLogger.NOP_LOGGER);

        assertEquals(10_000, config.timeoutMillis());
        assertEquals("eth1", config.name());
    }
}

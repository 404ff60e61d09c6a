package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The device manager's time-outs and limits against values below their minimum. */
public class DeviceManagerLimitsTest {
    private static DeviceManager.Config config(Map<String, Object> values) {
        return (DeviceManager.Config) Proxy.newProxyInstance(DeviceManagerLimitsTest.class.getClassLoader(),
                new Class<?>[] {DeviceManager.Config.class}, (proxy, method, args) -> values.getOrDefault(
                        method.getName(), method.getDefaultValue()));
    }

    /** Flagged by the configuration check, then applied: every attach failed "within 0 ms", retries "in -200 ms". */
    @Test
    public void aValueBelowItsMinimumGivesItsDefaultSaidOnce() {
        List<String> warned = new ArrayList<>();
        DeviceManager.Limits limits = DeviceManager.Limits.of(config(Map.of("attachTimeoutMillis", 0L,
                "detachTimeoutMillis", 1L, "retryBackoffMillis", -100L, "maxAttempts", 0, "driverGraceSeconds", 5L)), "configuration x", warned::add);

        assertEquals(new DeviceManager.Limits(10_000, 90_000, 3, 200, 5), limits);
        assertEquals(List.of(
                "configuration x: attachTimeoutMillis = 0 is below its minimum 1; its default 10000 is used instead",
                "configuration x: detachTimeoutMillis = 1 is below its minimum 1000; its default 90000 is used instead",
                "configuration x: maxAttempts = 0 is below its minimum 1; its default 3 is used instead",
                "configuration x: retryBackoffMillis = -100 is below its minimum 0; its default 200 is used instead"),
                warned);
    }
}

package org.devrt.system.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

public class ShutdownHookTest {
    private final List<String> calls = new ArrayList<>();

    /** A framework in {@code state} whose waitForStop answers with an event of {@code stopEvent}. */
    private Framework framework(int state, int stopEvent) {
        return (Framework) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Framework.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getState" -> state;
                    case "stop" -> {
                        calls.add("stop");
                        yield null;
                    }
                    case "waitForStop" -> {
                        calls.add("waitForStop " + args[0]);
                        yield new FrameworkEvent(stopEvent, (Bundle) proxy, null);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    public void stopsAnActiveFrameworkAndWaitsForItWithinTheTimeout() {
        boolean stopped = ShutdownHook.stopFramework(framework(Bundle.ACTIVE, FrameworkEvent.STOPPED), Duration.ofSeconds(7));

        assertTrue(stopped);
        assertEquals(List.of("stop", "waitForStop 7000"), calls);
    }

    @Test
    public void aFrameworkThatDoesNotStopInTimeIsLeftSoThatTheJvmCanEnd() {
        assertFalse(ShutdownHook.stopFramework(framework(Bundle.ACTIVE, FrameworkEvent.WAIT_TIMEDOUT), Duration.ofSeconds(1)));
    }

    @Test
    public void aStopAlreadyUnderWayIsWaitedForSoThatTheJvmDoesNotEndHalfwayThroughIt() {
        assertTrue(ShutdownHook.stopFramework(framework(Bundle.STOPPING, FrameworkEvent.STOPPED), Duration.ofSeconds(2)));
        assertEquals(List.of("waitForStop 2000"), calls);
    }

    @Test
    public void aFrameworkAlreadyStoppedIsLeftAlone() {
        assertTrue(ShutdownHook.stopFramework(framework(Bundle.RESOLVED, FrameworkEvent.STOPPED), Duration.ofSeconds(1)));
        assertEquals(List.of(), calls);
    }
}

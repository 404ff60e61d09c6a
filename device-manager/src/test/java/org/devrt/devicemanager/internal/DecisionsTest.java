package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The user's decisions (unbound devices, uninstalled drivers) as Configuration Admin stores them. */
public class DecisionsTest {

    @Test
    public void twoDecisionsSavedAtOnceAreBothStoredWhateverOrderTheSavesTake() throws Exception {
        CountDownLatch firstUpdateEntered = new CountDownLatch(1);
        CountDownLatch releaseFirstUpdate = new CountDownLatch(1);
        AtomicInteger updates = new AtomicInteger();
        AtomicReference<Dictionary<String, Object>> stored = new AtomicReference<>();
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateIfDifferent")) {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> props = (Dictionary<String, Object>) args[0];
                        if (updates.incrementAndGet() == 1) { // the first save is slow to reach the store
                            firstUpdateEntered.countDown();
                            releaseFirstUpdate.await(5, TimeUnit.SECONDS);
                        }
                        stored.set(props);
                        return true;
                    }
                    return null; // getProperties: nothing saved yet
                });
        ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> configuration);
        Decisions decisions = new Decisions(admin).load();

        Thread unbind = new Thread(() -> decisions.setUnbound("emulated/0000:00:03.0", true));
        unbind.start();
        assertTrue("the first save reached the store", firstUpdateEntered.await(5, TimeUnit.SECONDS));
        Thread uninstall = new Thread(() -> decisions.setUninstalled("devrt.ahci-driver", true));
        uninstall.start();
        uninstall.join(300); // done by now, or waiting for the first save
        releaseFirstUpdate.countDown();
        unbind.join(5000);
        uninstall.join(5000);

        assertArrayEquals("the unbound device is stored", new String[] {"emulated/0000:00:03.0"},
                (String[]) stored.get().get("unbound.devices"));
        assertArrayEquals("and so is the uninstalled driver: the older snapshot was stored last before",
                new String[] {"devrt.ahci-driver"}, (String[]) stored.get().get("uninstalled.drivers"));
    }
}

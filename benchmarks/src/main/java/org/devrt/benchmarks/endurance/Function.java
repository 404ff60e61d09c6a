package org.devrt.benchmarks.endurance;

import java.util.Map;

/**
 * A function of the emulated machine that the suite plugs: where, which model with which options, what device
 * service its driver registers ({@code devrt.device.type}) and which driver bundle that is.
 */
record Function(String name, String slot, String model, Map<String, String> options, String serviceType,
        String driverBsn) {
    static final String AHCI_DRIVER = "devrt.ahci-driver";
    static final String ETHERNET_DRIVER = "devrt.ethernet-driver";

    /** An ICH9 AHCI controller at 00:1f.2 with one disk on port 0, backed by {@code image}. */
    static Function disk(String image) {
        return new Function("disk (ahci 00:1f.2)", "00:1f.2", "ahci",
                Map.of("ports", "1", "disk0", image, "serial0", "ENDURANCE-0"), "block", AHCI_DRIVER);
    }

    /** An 82540EM at {@code slot} with {@code mac}, its cable in {@code backend}. */
    static Function nic(String name, String slot, String mac, String backend) {
        return new Function(name + " (e1000 " + slot + ")", slot, "e1000", Map.of("mac", mac, "backend", backend),
                "network", ETHERNET_DRIVER);
    }

    /** The filter of its driver's device services: its device id is emulated/&lt;domain:bus:slot&gt;. */
    String serviceFilter() {
        return "(&(devrt.device.id=emulated/*" + slot + "*)(devrt.device.type=" + serviceType + "))";
    }
}

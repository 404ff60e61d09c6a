package org.devrt.network.internal.shell;

import java.util.HashMap;
import java.util.Map;

/**
 * Interface names {@code eth0}, {@code eth1}, ... given per device id ({@code devrt.device.id}): the first time a
 * device is seen it takes the lowest number no other device id holds, and keeps it while devrt runs, so a port
 * keeps its name across unplug and replug and driver restarts, and a second NIC never takes the first's name while
 * the first is away. This is the rule the network stack names its interfaces by ({@code NetworkStackComponent}),
 * and {@code ip link} takes the stack's name where the stack has the interface, so the two never disagree. The
 * interface index is the number + 2, as in the stack: index 1 is its loopback {@code lo}.
 */
final class InterfaceNames {
    static final String PREFIX = "eth";

    private final Map<String, Integer> numbers = new HashMap<>();

    /** The number of the device's name, given now if it has none. */
    synchronized int number(String deviceId) {
        Integer n = numbers.get(deviceId);
        if (n != null) {
            return n;
        }
        int free = 0;
        while (numbers.containsValue(free)) {
            free++;
        }
        numbers.put(deviceId, free);
        return free;
    }

    String name(String deviceId) {
        return PREFIX + number(deviceId);
    }

    /** The interface index, Linux-style: 2 for eth0 (1 is lo). */
    int index(String deviceId) {
        return number(deviceId) + 2;
    }
}

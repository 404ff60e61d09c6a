package org.devrt.emulator.internal.net;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The named virtual switches, made on first use. The runtime's NICs use {@link #shared()}, so every emulated NIC
 * with {@code backend=switch:<name>} and any other in-process endpoint that attaches to {@code <name>} meet on one
 * switch; a test makes its own {@code new Switches()} to stay apart. Switches live as long as their registry.
 * Thread-safe.
 */
public final class Switches {
    private static final Switches SHARED = new Switches();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, VirtualSwitch> byName = new TreeMap<>();

    /** The registry of the emulator bundle, which its NICs use. */
    public static Switches shared() {
        return SHARED;
    }

    /**
     * The switch called {@code name}, made if there is none.
     *
     * @throws IllegalArgumentException if the name is not 1-64 letters, digits, '.', '_' or '-'
     */
    public synchronized VirtualSwitch get(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("switch name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return byName.computeIfAbsent(name, VirtualSwitch::new);
    }

    /** The switch called {@code name}, if it was made. */
    public synchronized Optional<VirtualSwitch> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Attaches an endpoint to switch {@code switchName} (made if need be) as port {@code portName}. */
    public SwitchPort attach(String switchName, String portName, FrameSink rx) {
        return get(switchName).attach(portName, rx);
    }

    /** Every switch, by name. */
    public synchronized List<VirtualSwitch> switches() {
        return List.copyOf(byName.values());
    }
}

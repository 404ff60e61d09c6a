package org.devrt.emulator.internal.net;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.devrt.registry.shell.ErrorText;

/**
 * Makes a NIC's backend from its options:
 * <ul>
 * <li>{@code switch:<name>} (the default is {@code switch:default}): a port of the named {@link VirtualSwitch};</li>
 * <li>{@code udp:local=127.0.0.1:<port>,remote=127.0.0.1:<port>}: a {@link UdpBackend} on loopback;</li>
 * <li>{@code none}: no cable, link down;</li>
 * </ul>
 * and, when {@code pcap=<file>} is given, a {@link PcapTap} in front of it.
 */
public final class Backends {
    public static final String DEFAULT = "switch:default";
    public static final String SYNTAX = "switch:<name>, udp:local=127.0.0.1:<port>,remote=127.0.0.1:<port>, or none";

    private Backends() {
    }

    /**
     * Opens (binds, but does not start) the medium {@code spec} for the NIC {@code owner}, e.g. its PCI address.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec}
     */
    public static Backend open(String spec, String owner, Switches switches) {
        return medium(spec.trim(), owner, switches);
    }

    /**
     * Puts a capture to {@code pcap} (created or truncated, its folder made) in front of {@code backend}.
     *
     * @throws IllegalArgumentException if the file cannot be written; {@code backend} is closed then
     */
    public static Backend capture(Backend backend, String pcap) {
        try {
            return new PcapTap(backend, new PcapWriter(Path.of(pcap.trim())));
        } catch (IOException | InvalidPathException e) {
            backend.close();
            throw new IllegalArgumentException("cannot write the capture file " + pcap + ": "
                    + (e instanceof FileSystemException f ? ErrorText.reason(f) : e.getMessage()), e);
        }
    }

    private static Backend medium(String spec, String owner, Switches switches) {
        if (spec.equals("none")) {
            return new NoBackend();
        }
        if (spec.equals("switch")) {
            return new SwitchBackend(switches.get("default"), owner);
        }
        if (spec.startsWith("switch:")) {
            return new SwitchBackend(switches.get(spec.substring("switch:".length())), owner);
        }
        if (spec.startsWith("udp:")) {
            return UdpBackend.open(spec.substring("udp:".length()), owner);
        }
        throw new IllegalArgumentException("unknown backend '" + spec + "' (want " + SYNTAX + ")");
    }
}

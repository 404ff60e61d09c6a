package org.devrt.itests.nic;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.devrt.device.MacAddress;

/**
 * A real Linux host for an emulated NIC to talk to: a network namespace of its own, named for this run, holding a TAP
 * device whose "wire side" {@code socat} carries as one UDP datagram per Ethernet frame between two ports on
 * 127.0.0.1 (QEMU's {@code dgram} framing, which the NIC's {@code udp} backend speaks):
 *
 * <pre>
 * NIC (udp backend) 127.0.0.1:nicPort &lt;-&gt; 127.0.0.1:tapPort socat &lt;-&gt; TAP (in the namespace, 10.0.2.15/24)
 * </pre>
 *
 * socat runs in the host's namespace (it needs the host's loopback) and creates the TAP there, down and without an
 * address; the TAP is moved into the namespace at once and only there gets its MAC, its address and is brought up.
 * No other address is ever used. {@link #close} kills the socat this object started (which takes the TAP with it)
 * and deletes the namespace; it is called on every failure of {@link #open} as well, and by a shutdown hook if the
 * JVM ends while the peer is open.
 */
final class TapPeer implements AutoCloseable {
    /** The namespace's address on the TAP, and its prefix; 10.0.2.2 is the emulated NIC's side of the segment. */
    static final byte[] PEER_IP = {10, 0, 2, 15};
    static final byte[] NIC_IP = {10, 0, 2, 2};
    static final String PEER_CIDR = "10.0.2.15/24";
    static final String NIC_ADDRESS = "10.0.2.2";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    final String namespace;
    final String tap;
    final MacAddress tapMac;
    final int nicPort;
    final int tapPort;
    private final Path logDir;
    private final List<Process> processes = new ArrayList<>();
    private Process socat;
    private boolean namespaceMade;
    /** Cleans up if the test JVM is ended (Ctrl-C, a fork time-out) while this peer is open. */
    private final Thread onJvmExit = new Thread(this::close, "itest TapPeer cleanup");

    private TapPeer(String run, MacAddress tapMac, int nicPort, int tapPort, Path logDir) {
        this.namespace = "devrt-nic-" + run;
        this.tap = "dvnic" + run; // at most 15 characters, as Linux wants
        this.tapMac = tapMac;
        this.nicPort = nicPort;
        this.tapPort = tapPort;
        this.logDir = logDir;
    }

    /** Makes the namespace, the TAP and the socat between them; on failure undoes what it did and throws. */
    static TapPeer open(String run, MacAddress tapMac, Path logDir) throws Exception {
        int[] ports = freeLoopbackUdpPorts();
        TapPeer peer = new TapPeer(run, tapMac, ports[0], ports[1], logDir);
        try {
            peer.start();
            return peer;
        } catch (Throwable t) {
            peer.close();
            throw t;
        }
    }

    /** The NIC's backend option: this peer's ports on 127.0.0.1. */
    String nicBackend() {
        return "udp:local=127.0.0.1:" + nicPort + ",remote=127.0.0.1:" + tapPort;
    }

    private void start() throws Exception {
        Runtime.getRuntime().addShutdownHook(onJvmExit);
        Files.createDirectories(logDir);
        Path socatLog = logDir.resolve("socat.log");
        // UDP4-DATAGRAM: datagrams to the NIC's port, from tapPort, which is bound to 127.0.0.1 and so takes datagrams
        // from this host only. (Not sourceport=nicPort: socat 1.7.4 refuses the NIC's datagrams with it, "wrong
        // sourceport".) The TAP is created down (no iff-up) and moved into the namespace before anything configures it.
        socat = new ProcessBuilder(HostTools.require("socat"), "-d", "-d",
                "UDP4-DATAGRAM:127.0.0.1:" + nicPort + ",bind=127.0.0.1:" + tapPort,
                "TUN,tun-type=tap,iff-no-pi,tun-name=" + tap)
                .redirectErrorStream(true).redirectOutput(socatLog.toFile()).start();
        processes.add(socat);
        Path device = Path.of("/sys/class/net", tap);
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (!Files.exists(device)) {
            if (!socat.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("socat did not create the TAP device " + tap + " ("
                        + (socat.isAlive() ? "still running" : "exited " + socat.exitValue()) + "); its log "
                        + socatLog + ":\n" + Files.readString(socatLog, StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
        HostTools.check(COMMAND_TIMEOUT, "ip", "netns", "add", namespace);
        namespaceMade = true;
        HostTools.check(COMMAND_TIMEOUT, "ip", "link", "set", "dev", tap, "netns", namespace);
        HostTools.check(COMMAND_TIMEOUT, "ip", "-n", namespace, "link", "set", "dev", tap, "address", tapMac.toString());
        HostTools.check(COMMAND_TIMEOUT, "ip", "-n", namespace, "addr", "add", PEER_CIDR, "dev", tap);
    }

    /** Brings the TAP up in the namespace: from now on its kernel sends and takes frames. */
    void up() {
        HostTools.check(COMMAND_TIMEOUT, "ip", "-n", namespace, "link", "set", "dev", tap, "up");
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}). */
    HostTools.Result exec(Duration timeout, String... command) {
        return HostTools.run(timeout, inNamespace(command));
    }

    /** Starts {@code command} inside the namespace; it is ended by {@link #close} if still running. */
    synchronized Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(inNamespace(command)).start();
        processes.add(p);
        return p;
    }

    /** {@code ip netns exec <namespace>} and {@code command}, its tool by full path. */
    private String[] inNamespace(String... command) {
        List<String> cmd = new ArrayList<>(List.of(HostTools.require("ip"), "netns", "exec", namespace));
        cmd.add(HostTools.require(command[0]));
        cmd.addAll(List.of(command).subList(1, command.length));
        return cmd.toArray(String[]::new);
    }

    /** The socat log so far, for a failure message. */
    String socatLog() {
        try {
            return Files.readString(logDir.resolve("socat.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /**
     * Ends every process this peer started (socat last: the TAP goes with it) and deletes the namespace. Never throws;
     * what it could not undo is reported on stderr.
     */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() != onJvmExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onJvmExit);
            } catch (IllegalStateException | IllegalArgumentException exitingOrNotAdded) {
                // the JVM is exiting (the hook runs), or start never got that far
            }
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            HostTools.stop(processes.get(i));
        }
        processes.clear();
        if (namespaceMade) {
            namespaceMade = false;
            try {
                HostTools.Result r = HostTools.run(COMMAND_TIMEOUT, "ip", "netns", "del", namespace);
                if (r.exitCode() != 0) {
                    System.err.println("TapPeer: could not delete the network namespace " + namespace + ": " + r);
                }
            } catch (AssertionError e) {
                System.err.println("TapPeer: could not delete the network namespace " + namespace + ": " + e.getMessage());
            }
        }
    }

    /** Two distinct UDP ports on 127.0.0.1 that were free a moment ago. */
    private static int[] freeLoopbackUdpPorts() throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }
}

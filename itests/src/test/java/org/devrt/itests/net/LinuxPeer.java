package org.devrt.itests.net;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Linux as devrt's peer, in a network namespace the test creates and removes: a TAP device with {@link #ADDRESS}/24
 * inside the namespace, whose frames a pair of socat processes carry to and from devrt's NIC over a UDP link on
 * 127.0.0.1 (QEMU's dgram framing: one frame per datagram). Nothing touches the host's interfaces: the TAP is made
 * inside the namespace, and the host side is two sockets on loopback.
 *
 * <pre>
 *   namespace: TAP 10.0.2.2/24 -- socat -- unix datagram sockets (files in a temporary folder) --
 *   host:      socat -- UDP 127.0.0.1:relayPort &lt;-&gt; 127.0.0.1:devrtPort -- devrt's e1000 (backend=udp:...)
 * </pre>
 *
 * The relay through unix sockets is needed because a process inside the namespace has the namespace's own loopback:
 * it cannot reach 127.0.0.1 of the host, where devrt listens. Every process it starts and the namespace go in
 * {@link #close()}.
 */
final class LinuxPeer implements AutoCloseable {
    static final String ADDRESS = "10.0.2.2";
    static final List<String> TOOLS = List.of("ip", "socat", "ping", "sh");
    private static final Duration SETUP = Duration.ofSeconds(10);

    /** What a command run to its end printed (stdout and stderr) and its exit status. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private final String namespace;
    private final String tap;
    private final Path sockets;
    private final Path logs;
    private final int devrtPort;
    private final int relayPort;
    private final List<Process> processes = new ArrayList<>();
    private boolean namespaceMade;

    private LinuxPeer(Path logs) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.namespace = "devrt-it-" + id;
        this.tap = "dvrt" + id;
        this.logs = logs;
        this.sockets = Files.createTempDirectory("devrt-netns-");
        int[] ports = freeLoopbackPorts();
        this.devrtPort = ports[0];
        this.relayPort = ports[1];
    }

    /**
     * Why a Linux peer cannot be made here, or null when it can: not root (the test is skipped everywhere), a tool of
     * {@link #TOOLS} or /dev/net/tun missing, or no network namespace can be made (the test fails in CI, environment
     * CI=true, and is skipped elsewhere). Tries the namespace: makes one of a unique name and deletes it.
     */
    static Unusable unusable() {
        long uid = uid();
        if (uid != 0) {
            return new Unusable("it needs root for a network namespace and a TAP device; running as uid " + uid,
                    false);
        }
        List<String> missing = new ArrayList<>(TOOLS.stream().filter(t -> which(t) == null).toList());
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            missing.add("/dev/net/tun");
        }
        if (!missing.isEmpty()) {
            return new Unusable("missing " + missing
                    + " (Debian packages: iproute2 socat iputils-ping; .ci/run installs them)", true);
        }
        String probe = "devrt-it-probe-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Result add = run(SETUP, "ip", "netns", "add", probe);
            if (!add.ok()) {
                return new Unusable("`ip netns add " + probe + "` failed: " + add.output().strip(), true);
            }
            Result del = run(SETUP, "ip", "netns", "del", probe);
            return del.ok() ? null : new Unusable("`ip netns del " + probe + "` failed: " + del.output().strip(), true);
        } catch (IOException e) {
            return new Unusable("cannot run ip: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unusable("interrupted", true);
        }
    }

    /** Why the peer cannot be made, and whether that fails the test in CI (else it is skipped there too). */
    record Unusable(String why, boolean failsInCi) {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Makes the namespace, its TAP with {@link #ADDRESS}/24 and the relay; {@link #close()} undoes it all. */
    static LinuxPeer start(Path logs) throws Exception {
        LinuxPeer peer = new LinuxPeer(logs);
        try {
            peer.setUp();
            return peer;
        } catch (Exception | AssertionError e) {
            peer.close();
            throw e;
        }
    }

    private void setUp() throws Exception {
        check(run(SETUP, "ip", "netns", "add", namespace), "ip netns add " + namespace);
        namespaceMade = true;
        // No IPv6 chatter on the TAP (router solicitations, DAD): only what the test sends crosses the link.
        try {
            inNamespace(SETUP, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
        } catch (IOException noSysctl) {
            // the chatter is harmless: devrt counts and drops IPv6
        }
        check(inNamespace(SETUP, "ip", "link", "set", "lo", "up"), "ip link set lo up");
        // The host half first: it sends to the namespace's socket only when devrt sends, and devrt is not plugged yet.
        Path hostSocket = sockets.resolve("udp.sock");
        Path tapSocket = sockets.resolve("tap.sock");
        spawn("relay", List.of("socat", "UDP4-DATAGRAM:127.0.0.1:" + devrtPort + ",bind=127.0.0.1:" + relayPort,
                "UNIX-SENDTO:" + tapSocket + ",bind=" + hostSocket));
        awaitFile(hostSocket);
        spawn("tap", namespaced("socat", "TUN:" + ADDRESS + "/24,tun-type=tap,iff-no-pi,up,tun-name=" + tap,
                "UNIX-SENDTO:" + hostSocket + ",bind=" + tapSocket));
        awaitFile(tapSocket);
        long deadline = System.nanoTime() + SETUP.toNanos();
        Result shown;
        do {
            shown = inNamespace(SETUP, "ip", "-o", "addr", "show", "dev", tap);
            if (shown.ok() && shown.output().contains("inet " + ADDRESS + "/24")) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the TAP " + tap + " in " + namespace + " did not come up with " + ADDRESS + "/24: "
                + shown.output() + "\n" + logsText());
    }

    /** The e1000's {@code backend} option that joins this peer. */
    String backend() {
        return "udp:local=127.0.0.1:" + devrtPort + ",remote=127.0.0.1:" + relayPort;
    }

    String namespace() {
        return namespace;
    }

    /** Runs {@code command} inside the namespace to its end (killed after {@code timeout}). */
    Result inNamespace(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, namespaced(command).toArray(new String[0]));
    }

    /** Starts {@code command} inside the namespace, its output to a log file; stopped by {@link #close()}. */
    Path spawnInNamespace(String name, String... command) throws IOException {
        return spawn(name, namespaced(command));
    }

    /** What the processes started so far wrote, for failure messages. */
    String logsText() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(namespace)).sorted().toList()) {
                out.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f, UTF_8));
            }
        } catch (IOException e) {
            out.append(e);
        }
        return out.toString();
    }

    /** Stops every process it started, deletes the namespace (its TAP goes with socat) and the socket folder. */
    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        }
        processes.clear();
        try {
            if (namespaceMade) {
                Result del = run(SETUP, "ip", "netns", "del", namespace);
                if (!del.ok()) {
                    throw new AssertionError("`ip netns del " + namespace + "` failed: " + del.output());
                }
                namespaceMade = false;
            }
        } finally {
            try (Stream<Path> files = Files.walk(sockets)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** {@code ip netns exec NAMESPACE command...}, the command's tool by its full path. */
    private List<String> namespaced(String... command) {
        List<String> full = new ArrayList<>(List.of(exe("ip"), "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        full.set(4, exe(command[0]));
        return full;
    }

    private Path spawn(String name, List<String> command) throws IOException {
        Path log = logs.resolve(namespace + "-" + name + ".log");
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, exe(command.get(0)));
        Process p = new ProcessBuilder(resolved).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return log;
    }

    private void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + SETUP.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline || processes.stream().anyMatch(p -> !p.isAlive())) {
                throw new AssertionError(file + " was not made (socat ended or hung):\n" + logsText());
            }
            Thread.sleep(20);
        }
    }

    private static void check(Result result, String what) {
        if (!result.ok()) {
            throw new AssertionError(what + " failed (exit " + result.exit() + "): " + result.output());
        }
    }

    /** Runs a command to its end, killed after {@code timeout}; its output read from a temporary file. */
    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        File out = File.createTempFile("devrt-cmd-", ".out");
        try {
            String[] resolved = command.clone();
            resolved[0] = exe(command[0]);
            Process p = new ProcessBuilder(resolved).redirectErrorStream(true).redirectOutput(out).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + ": killed after " + timeout.toSeconds() + " s\n"
                        + Files.readString(out.toPath(), UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    private static int[] freeLoopbackPorts() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket a = new DatagramSocket(0, loopback); DatagramSocket b = new DatagramSocket(0, loopback)) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    /** The tool's full path when it is found, else its name. */
    private static String exe(String tool) {
        Path p = tool.contains("/") ? null : which(tool);
        return p == null ? tool : p.toString();
    }

    private static Path which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The real user id, from /proc/self/status; -1 when unknown. */
    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
}

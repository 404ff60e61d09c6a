package org.devrt.benchmarks.endurance;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.devrt.benchmarks.LeakCounts;

/**
 * The mixed load: {@value #WRITERS} VFS writers and {@value #READERS} readers on the disk's FAT volume, UDP round
 * trips to the {@link UdpPeer} through one NIC (10.0.3.1/24) and ping to the emulated gateway (10.0.2.2) through
 * another (10.0.2.15/24), both NICs' addresses and the gateway given by Configuration Admin factory configurations,
 * while the {@link Chaos} takes drivers and devices away. Before the clients start, ping and a UDP echo must
 * work once.
 */
final class MixedLoad implements AutoCloseable {
    static final int WRITERS = 2;
    static final int READERS = 2;
    static final String GATEWAY = "10.0.2.2";
    static final String INTERFACE_PID = "devrt.network.interface";
    static final String GATEWAY_PID = "devrt.emulator.gateway";
    /**
     * How long after the load its leaks are counted: a chaos action near the end has just installed and resolved a
     * driver bundle, and the Felix framework's resolver keeps its idle pool threads (FelixResolver-n) for 60 s
     * before they end (StatefulResolver's executor times out its core threads); the device manager's attach
     * time-outs (10 s) have run out well before.
     */
    static final long SETTLE_SECONDS = 65;

    private final EnduranceRig rig;
    private final NetApi net;
    private final Function disk;
    private final Function gatewayNic;
    private final Function peerNic;
    private final UdpPeer peer;
    private final List<Object> configurations = new ArrayList<>();
    final ClientErrors errors = new ClientErrors();
    final SyncedFiles files = new SyncedFiles();
    final List<VfsWriter> writers = new ArrayList<>();
    final List<VfsReader> readers = new ArrayList<>();
    UdpEchoClient udp;
    PingClient ping;
    Chaos chaos;
    LeakCounts start;
    LeakCounts end;
    /** The count {@value #SETTLE_SECONDS} s after the end: the one judged for leaks. */
    LeakCounts settled;
    double seconds;

    /** Configures the network, plugs the peer's NIC (the gateway's NIC and the disk are plugged already). */
    MixedLoad(EnduranceRig rig, NetApi net, Function disk, Function gatewayNic, String gatewaySwitch) throws Exception {
        this.rig = rig;
        this.net = net;
        this.disk = disk;
        this.gatewayNic = gatewayNic;
        int[] ports = UdpPeer.freePorts();
        peerNic = Function.nic("nic1", "00:04.0", "52:54:00:e0:03:01",
                "udp:local=127.0.0.1:" + ports[0] + ",remote=127.0.0.1:" + ports[1]);
        configurations.add(net.configure(GATEWAY_PID, "endurance-gw", Map.of("switch", gatewaySwitch, "address", GATEWAY)));
        configurations.add(net.configure(INTERFACE_PID, "endurance-nic0", Map.of("mac",
                gatewayNic.options().get("mac"), "address", "10.0.2.15/24", "gateway", GATEWAY)));
        configurations.add(net.configure(INTERFACE_PID, "endurance-nic1", Map.of("mac",
                peerNic.options().get("mac"), "address", "10.0.3.1/24")));
        peer = new UdpPeer(ports[1], ports[0], rig.dir().resolve("peer.log"));
        rig.plug(peerNic);
        rig.awaitDevice(peerNic, true);
    }

    /** The datagrams the peer echoed. */
    long peerEchoed() {
        return peer.echoed();
    }

    List<Function> functions() {
        return List.of(disk, gatewayNic, peerNic);
    }

    /** Waits until ping to the gateway and a UDP echo from the peer both work. */
    void awaitNetwork() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EnduranceRig.TIMEOUT_SECONDS);
        String shown = "";
        while (!shown.contains(" 1 received")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no ping reply from " + GATEWAY + ": " + shown + "\n" + net.shell("ip addr")
                        + "\n" + rig.diagnosis());
            }
            shown = net.shell("ping -c 1 -W 1 " + GATEWAY);
        }
        Object socket = net.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0));
        try {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(UdpPeer.ADDRESS), UdpPeer.ECHO_PORT);
            ByteBuffer reply = ByteBuffer.allocate(64);
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no UDP echo from " + target + "\n" + net.shell("ip addr") + "\n"
                            + rig.diagnosis());
                }
                net.send(socket, ByteBuffer.wrap(new byte[] {1, 2, 3}), target);
                try {
                    net.receive(socket, reply.clear(), Duration.ofMillis(500));
                    return;
                } catch (SocketTimeoutException e) {
                    // ARP on the way, or the peer's link not up yet: again
                }
            }
        } finally {
            net.close(socket);
        }
    }

    /** Runs the clients and the chaos for {@code minutes}, then stops the chaos (its last action completes) and them. */
    void run(double minutes) throws Exception {
        String root = rig.vfs.mountPoints(disk.slot()).get(0);
        for (int i = 0; i < WRITERS; i++) {
            rig.vfs.createDirectory(root + "/w" + i);
            writers.add(new VfsWriter(rig, disk, files, errors, "w" + i));
        }
        for (int i = 0; i < READERS; i++) {
            readers.add(new VfsReader(rig, disk, files, errors));
        }
        udp = new UdpEchoClient(net, errors);
        ping = new PingClient(net, errors, GATEWAY);
        chaos = new Chaos(rig, functions());
        start = LeakCounts.of(rig.context());
        List<Thread> threads = new ArrayList<>();
        List<Runnable> clients = new ArrayList<>(writers);
        clients.addAll(readers);
        clients.add(udp);
        clients.add(ping);
        for (Runnable r : clients) {
            threads.add(start(r, "endurance-" + r.getClass().getSimpleName() + "-" + threads.size()));
        }
        Thread chaosThread = start(chaos, "endurance-chaos");
        long t0 = System.nanoTime();
        long deadline = t0 + (long) (minutes * 60e9);
        while (System.nanoTime() < deadline) {
            Thread.sleep(Math.min(30_000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            System.out.printf("  %.1f min: %d chaos actions, %d files synced, %d UDP echoes, %d ping replies, "
                    + "%d clear / %d unclear client errors%n", (System.nanoTime() - t0) / 60e9, chaos.actions(),
                    files.syncedFiles(), udp.echoed.get(), ping.replies.get(), errors.total(true), errors.total(false));
        }
        chaos.stop();
        chaosThread.join();
        writers.forEach(VolumeClient::stop);
        readers.forEach(VolumeClient::stop);
        udp.stop();
        ping.stop();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(EnduranceRig.TIMEOUT_SECONDS));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within " + EnduranceRig.TIMEOUT_SECONDS
                        + " s: " + List.of(t.getStackTrace()));
            }
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        this.end = LeakCounts.of(rig.context());
        Thread.sleep(SETTLE_SECONDS * 1000);
        settled = LeakCounts.of(rig.context());
    }

    /** The leaks from the start of the load to {@link #settled}, one phrase each; empty when none. */
    List<String> leaks() {
        return settled.leaksSince(start);
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Unplugs the peer's NIC, closes the peer and deletes the configurations. */
    @Override
    public void close() throws Exception {
        try {
            rig.unplug(peerNic);
        } finally {
            peer.close();
            for (Object c : configurations) {
                net.delete(c);
            }
        }
    }
}

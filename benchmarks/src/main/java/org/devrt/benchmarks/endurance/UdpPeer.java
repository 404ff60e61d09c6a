package org.devrt.benchmarks.endurance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.devrt.device.NetworkDevice;
import org.devrt.emulator.internal.DriverBenchMachines;
import org.devrt.emulator.internal.Machine;
import org.devrt.ethernet.e1000.E1000Driver;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.stack.StackThread;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * The far end of the runtime's UDP traffic, outside the runtime and untouched by the chaos: a second emulated
 * machine in this JVM (this class space's copy of the emulator, as the network benchmark has it) with an e1000,
 * the real e1000 driver attached as the device manager would, and a devrt stack at {@link #ADDRESS}/24 that answers
 * ping and echoes UDP on port {@link #ECHO_PORT}. Its NIC's cable is a UDP link on loopback to the runtime's NIC
 * ({@code backend=udp:...}): one stack cannot send to its own addresses over the wire (they are local routes), so
 * the runtime's datagrams reach a peer only through another stack.
 */
final class UdpPeer implements AutoCloseable {
    static final String ADDRESS = "10.0.3.2";
    static final String MAC = "52:54:00:e0:03:02";
    static final int ECHO_PORT = 7;

    private final Machine machine;
    private final DriverBenchMachines.Attached<NetworkDevice> nic;
    private final StackThread thread;
    private final DeviceLink link;
    private final UdpSocket server;
    private final Thread responder;
    private volatile boolean running = true;
    private volatile long echoed;

    /**
     * The peer's NIC on loopback port {@code localPort}, its cable's other end at {@code remotePort}. This class
     * space's slf4j-simple starts here and writes to {@code log}: the runtime's own slf4j-simple, configured by the
     * same system property at boot, has the runtime's log file open, and two writers would garble it.
     */
    UdpPeer(int localPort, int remotePort, Path log) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
        machine = Machine.standalone(64L << 20);
        nic = DriverBenchMachines.attach(machine, "00:03.0", "e1000", Map.of("mac", MAC, "backend",
                "udp:local=127.0.0.1:" + localPort + ",remote=127.0.0.1:" + remotePort), new E1000Driver(), "e1000",
                NetworkDevice.class);
        thread = new StackThread(StackConfig.DEFAULTS);
        link = new DeviceLink(nic.service(), StackConfig.DEFAULTS.linkQueueFrames(), thread::wake);
        thread.stack().addInterface("eth0", link);
        link.attach();
        thread.stack().configure("eth0", new Ipv4Cidr(Ipv4Address.parse(ADDRESS), 24), null);
        thread.stack().setUp("eth0", true);
        thread.start();
        server = thread.stack().bindUdp(Ipv4Address.parse(ADDRESS).value(), ECHO_PORT);
        responder = new Thread(this::echo, "endurance-udp-peer");
        responder.setDaemon(true);
        responder.start();
    }

    /** Two free UDP ports on 127.0.0.1, for the two ends of the loopback cable. */
    static int[] freePorts() throws IOException {
        try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new int[] {((InetSocketAddress) a.getLocalAddress()).getPort(),
                    ((InetSocketAddress) b.getLocalAddress()).getPort()};
        }
    }

    /** Every datagram goes back to its sender as it came. */
    private void echo() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        while (running) {
            try {
                buf.clear();
                InetSocketAddress from = server.receive(buf, Duration.ofMillis(500));
                buf.flip();
                server.send(buf, from);
                echoed++;
            } catch (SocketTimeoutException e) {
                // idle: look at running again
            } catch (IOException e) {
                if (running) {
                    System.err.println("endurance UDP peer: " + e);
                }
                return;
            }
        }
    }

    long echoed() {
        return echoed;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        server.close();
        responder.join(TimeUnit.SECONDS.toMillis(2));
        thread.close();
        link.detach();
        try {
            nic.close();
        } finally {
            machine.close();
        }
    }
}

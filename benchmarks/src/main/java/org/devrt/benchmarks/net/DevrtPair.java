package org.devrt.benchmarks.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.devrt.emulator.internal.DriverBenchMachines;
import org.devrt.emulator.internal.Machine;
import org.devrt.ethernet.e1000.E1000Driver;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.stack.EchoSocket;
import org.devrt.network.internal.stack.Stack;
import org.devrt.network.internal.stack.StackConfig;
import org.devrt.network.internal.stack.StackThread;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;

/**
 * Two devrt interfaces on the emulated machine's in-process virtual switch: two 82540EM models, each driven by its
 * own real e1000 driver (attached as the device manager would, through the NIC benchmark's
 * {@link DriverBenchMachines}), each driver's {@link NetworkDevice} wrapped in the network bundle's
 * {@link DeviceLink} and added to its own {@link Stack}, run by its own {@link StackThread} exactly as the network
 * bundle's component does. A is 10.77.0.1/24, B is 10.77.0.2/24; B answers ICMP echo in its stack and runs a UDP
 * echo responder thread on port 7. No host socket, no host interface.
 */
final class DevrtPair implements AutoCloseable {
    static final MacAddress MAC_A = MacAddress.parse("52:54:00:be:01:0a");
    static final MacAddress MAC_B = MacAddress.parse("52:54:00:be:01:0b");
    static final Ipv4Address A = Ipv4Address.parse("10.77.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.77.0.2");
    static final int ECHO_PORT = 7;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Machine machine;
    private DriverBenchMachines.Attached<NetworkDevice> nicA;
    private DriverBenchMachines.Attached<NetworkDevice> nicB;
    private StackThread threadA;
    private StackThread threadB;
    private DeviceLink linkA;
    private DeviceLink linkB;
    private final String path;
    private EchoSocket echo;
    private UdpSocket client;
    private UdpSocket server;
    private Thread responder;
    private volatile boolean running = true;
    private final InetSocketAddress serverAddress;
    private final Duration timeout = Duration.ofNanos(TIMEOUT_NANOS);
    private int sequence;
    long lost;

    /** @param e1000 true: two e1000 NICs on the virtual switch (the figure); false: a {@link MemoryWire} */
    DevrtPair(boolean e1000) throws Exception {
        String backend = "switch:netbench-" + ProcessHandle.current().pid();
        machine = e1000 ? Machine.standalone(64L << 20) : null;
        path = e1000 ? "e1000 x2 over " + backend : "in-memory wire (no NIC)";
        try {
            if (!e1000) {
                threadA = new StackThread(StackConfig.DEFAULTS);
                threadB = new StackThread(StackConfig.DEFAULTS);
                MemoryWire wire = new MemoryWire(MAC_A, MAC_B);
                wire.a.wake = threadA.stack()::frameArrived;
                wire.b.wake = threadB.stack()::frameArrived;
                up(threadA, wire.a, A);
                up(threadB, wire.b, B);
            } else {
            nicA = DriverBenchMachines.attach(machine, "00:03.0", "e1000",
                    Map.of("backend", backend, "mac", MAC_A.toString()), new E1000Driver(), "e1000",
                    NetworkDevice.class);
            nicB = DriverBenchMachines.attach(machine, "00:04.0", "e1000",
                    Map.of("backend", backend, "mac", MAC_B.toString()), new E1000Driver(), "e1000",
                    NetworkDevice.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(nicA.service().isLinkUp() && nicB.service().isLinkUp())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("e1000 links not up after 10 s");
                }
                Thread.sleep(10);
            }
            threadA = new StackThread(StackConfig.DEFAULTS);
            threadB = new StackThread(StackConfig.DEFAULTS);
            int frames = StackConfig.DEFAULTS.linkQueueFrames();
            linkA = new DeviceLink(nicA.service(), frames, threadA.stack()::frameArrived);
            linkB = new DeviceLink(nicB.service(), frames, threadB.stack()::frameArrived);
            up(threadA, linkA, A);
            up(threadB, linkB, B);
            }
            serverAddress = new InetSocketAddress(B.toInetAddress(), ECHO_PORT);
            server = threadB.stack().bindUdp(B.value(), ECHO_PORT);
            client = threadA.stack().bindUdp(A.value(), 0);
            echo = threadA.stack().openEcho();
            responder = new Thread(this::respond, "devrt-udp-echo");
            responder.setDaemon(true);
            responder.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        System.out.printf("devrt: %s %s <-> %s %s, %s%n", A, MAC_A, B, MAC_B, path);
    }

    /** As the network bundle's component does it: the interface added, receiving, configured, up, then polled. */
    private static void up(StackThread thread, org.devrt.network.internal.iface.Link link, Ipv4Address address) {
        Stack stack = thread.stack();
        stack.addInterface("eth0", link);
        if (link instanceof DeviceLink d) {
            d.attach();
        }
        stack.configure("eth0", new Ipv4Cidr(address, 24), null);
        stack.setUp("eth0", true);
        thread.start();
    }

    /** B's UDP echo: every datagram goes back to its sender as it came. */
    private void respond() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        while (running) {
            try {
                buf.clear();
                InetSocketAddress from = server.receive(buf, timeout);
                buf.flip();
                server.send(buf, from);
            } catch (SocketTimeoutException e) {
                // idle: look at running again
            } catch (IOException e) {
                if (running) {
                    System.err.println("devrt UDP responder: " + e);
                }
                return;
            }
        }
    }

    /** One ICMP echo round trip with {@code dataLength} bytes of data; false if no reply came within 1 s. */
    boolean ping(int dataLength) throws IOException {
        int seq = ++sequence & 0xFFFF;
        echo.send(B.value(), seq, dataLength);
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            long left = deadline - System.nanoTime();
            EchoSocket.Event e = left > 0 ? echo.receive(left) : null;
            if (e == null) {
                lost++;
                return false;
            }
            if (e.isReply() && e.sequence() == seq) {
                return true;
            }
        }
    }

    /** One UDP request/response round trip of {@code request}'s bytes; false if no answer came within 1 s. */
    boolean udp(ByteBuffer request, ByteBuffer reply) throws IOException {
        request.rewind();
        client.send(request, serverAddress);
        reply.clear();
        try {
            client.receive(reply, timeout);
            return true;
        } catch (SocketTimeoutException e) {
            lost++;
            return false;
        }
    }

    String counters() {
        return "A " + (threadA == null ? "" : threadA.stack().counters()) + "\nB "
                + (threadB == null ? "" : threadB.stack().counters());
    }

    @Override
    public void close() {
        running = false;
        if (echo != null) {
            echo.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (responder != null) {
            try {
                responder.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (threadA != null) {
            threadA.close();
        }
        if (threadB != null) {
            threadB.close();
        }
        if (linkA != null) {
            linkA.detach();
        }
        if (linkB != null) {
            linkB.detach();
        }
        try {
            if (nicB != null) {
                nicB.close();
            }
            if (nicA != null) {
                nicA.close();
            }
        } finally {
            if (machine != null) {
                machine.close();
            }
        }
    }
}

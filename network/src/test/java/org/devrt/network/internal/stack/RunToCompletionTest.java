package org.devrt.network.internal.stack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.devrt.device.FrameReceiver;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.devrt.network.UdpSocket;
import org.devrt.network.internal.iface.DeviceLink;
import org.devrt.network.internal.wire.Ipv4Address;
import org.devrt.network.internal.wire.Ipv4Cidr;
import org.junit.After;
import org.junit.Test;

/**
 * Two stacks, each with its own thread, joined by devices that deliver a frame on the sending thread, as the e1000
 * driver on the emulator does (the receive pass claimed with a compare-and-set, a worker thread when it is taken):
 * a send runs through the other stack, which may answer at once, back into the first. Pings and UDP exchanges in
 * both directions at once must all complete: no thread may wait for a lock another one holds while it waits for
 * one of its own.
 */
public class RunToCompletionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final List<StackThread> threads = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** On a daemon thread, waited for 5 s at most: after a deadlock, closing a socket would wait for ever. */
    @After
    public void stop() throws Exception {
        Thread t = new Thread(() -> {
            for (AutoCloseable c : closing) {
                try {
                    c.close();
                } catch (Exception e) {
                    // going anyway
                }
            }
            threads.forEach(StackThread::close);
        }, "closing");
        t.setDaemon(true);
        t.start();
        t.join(5_000);
    }

    /** A NIC whose transmit delivers into its peer on the calling thread when no receive pass runs there. */
    static final class InlineDevice implements NetworkDevice, AutoCloseable {
        private final MacAddress mac;
        private final ArrayBlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(4096);
        private final AtomicBoolean polling = new AtomicBoolean();
        private final Thread worker = new Thread(this::work, "inline-device worker");
        private volatile boolean running = true;
        private volatile FrameReceiver receiver;
        InlineDevice peer;

        InlineDevice(String mac) {
            this.mac = MacAddress.parse(mac);
            worker.setDaemon(true);
            worker.start();
        }

        @Override public MacAddress macAddress() { return mac; }
        @Override public int mtu() { return 1500; }
        @Override public boolean isLinkUp() { return true; }
        @Override public void setReceiver(FrameReceiver r) { receiver = r; }
        @Override public NetworkCounters counters() { return NetworkCounters.ZERO; }

        @Override
        public boolean transmit(ByteBuffer frame) {
            byte[] copy = new byte[frame.remaining()];
            frame.duplicate().get(copy);
            if (!peer.inbox.offer(copy)) {
                return false;
            }
            peer.pass();
            return true;
        }

        /** The receive pass, by whoever claims it; a thread that cannot leaves it to the worker. */
        private void pass() {
            if (!polling.compareAndSet(false, true)) {
                LockSupport.unpark(worker);
                return;
            }
            try {
                byte[] f;
                while ((f = inbox.poll()) != null) {
                    FrameReceiver r = receiver;
                    if (r != null) {
                        r.receive(ByteBuffer.wrap(f).asReadOnlyBuffer());
                    }
                }
            } finally {
                polling.set(false);
            }
            if (!inbox.isEmpty()) {
                LockSupport.unpark(worker);
            }
        }

        private void work() {
            while (running) {
                if (inbox.isEmpty()) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
                } else {
                    pass();
                }
            }
        }

        @Override
        public void close() {
            running = false;
            LockSupport.unpark(worker);
        }
    }

    private Stack stack(String name, InlineDevice device, String cidr) {
        StackThread t = new StackThread(StackConfig.DEFAULTS);
        threads.add(t);
        DeviceLink link = new DeviceLink(device, StackConfig.DEFAULTS.linkQueueFrames(), t.stack()::frameArrived);
        Stack s = t.stack();
        s.addInterface(name, link);
        s.configure(name, Ipv4Cidr.parse(cidr), null);
        s.setUp(name, true);
        link.attach();
        t.start();
        return s;
    }

    @Test
    public void pingsAndUdpExchangesInBothDirectionsAtOnceAllComplete() throws Exception {
        InlineDevice a = new InlineDevice("02:00:00:00:00:0a");
        InlineDevice b = new InlineDevice("02:00:00:00:00:0b");
        a.peer = b;
        b.peer = a;
        closing.add(a);
        closing.add(b);
        Stack sa = stack("eth0", a, "10.9.0.1/24");
        Stack sb = stack("eth0", b, "10.9.0.2/24");
        int addressA = Ipv4Address.parse("10.9.0.1").value();
        int addressB = Ipv4Address.parse("10.9.0.2").value();
        int rounds = 3000;

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        workers.add(pinger("ping a->b", sa, addressB, rounds, done, failures));
        workers.add(pinger("ping b->a", sb, addressA, rounds, done, failures));
        workers.add(udp("udp a->b", sa, sb, addressB, 7001, rounds, done, failures));
        workers.add(udp("udp b->a", sb, sa, addressA, 7002, rounds, done, failures));
        workers.forEach(Thread::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.isAlive()) {
                fail(w.getName() + " still running after 30 s (" + done.get() + " of " + 4 * rounds
                        + " round trips done): a deadlock?\n" + dump());
            }
        }
        assertTrue("round trips failed: " + failures, failures.isEmpty());
        assertEquals(4 * rounds, done.get());
    }

    private Thread pinger(String name, Stack from, int to, int rounds, AtomicInteger done,
            ConcurrentLinkedQueue<String> failures) {
        return new Thread(() -> {
            try (EchoSocket echo = from.openEcho()) {
                for (int seq = 0; seq < rounds; seq++) {
                    echo.send(to, seq, 56);
                    EchoSocket.Event e;
                    do {
                        e = echo.receive(TIMEOUT.toNanos());
                    } while (e != null && !(e.isReply() && e.sequence() == seq));
                    if (e == null) {
                        failures.add(name + ": no reply to sequence " + seq);
                        return;
                    }
                    done.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                failures.add(name + ": " + e);
            }
        }, name);
    }

    private Thread udp(String name, Stack client, Stack server, int serverAddress, int port, int rounds,
            AtomicInteger done, ConcurrentLinkedQueue<String> failures) throws IOException {
        UdpSocket listening = server.bindUdp(0, port);
        UdpSocket sending = client.bindUdp(0, 0);
        closing.add(listening);
        closing.add(sending);
        Thread responder = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            try {
                while (true) {
                    buffer.clear();
                    InetSocketAddress from = listening.receive(buffer, Duration.ofSeconds(60));
                    buffer.flip();
                    listening.send(buffer, from);
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }, name + " responder");
        responder.setDaemon(true);
        responder.start();
        InetSocketAddress target = new InetSocketAddress(new Ipv4Address(serverAddress).toInetAddress(), port);
        return new Thread(() -> {
            ByteBuffer request = ByteBuffer.allocate(64);
            ByteBuffer reply = ByteBuffer.allocate(2048);
            try {
                for (int i = 0; i < rounds; i++) {
                    request.clear().putInt(0, i);
                    sending.send(request, target);
                    reply.clear();
                    sending.receive(reply, TIMEOUT);
                    if (reply.getInt(0) != i) {
                        failures.add(name + ": answer " + reply.getInt(0) + " to request " + i);
                        return;
                    }
                    done.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                failures.add(name + ": " + e);
            }
        }, name);
    }

    private static String dump() {
        StringBuilder b = new StringBuilder();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            b.append(t);
        }
        return b.toString();
    }
}

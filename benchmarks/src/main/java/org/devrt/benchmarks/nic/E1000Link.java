package org.devrt.benchmarks.nic;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.devrt.emulator.internal.DriverBenchMachines;
import org.devrt.emulator.internal.Machine;
import org.devrt.ethernet.e1000.E1000Driver;

/**
 * devrt: two 82540EM models on one in-process virtual switch of the emulated machine (no socket, no host
 * interface), each driven by its own e1000 driver instance attached as the device manager would. Frames go from
 * A's {@link NetworkDevice#transmit} through A's TX ring, the model, the switch and B's RX ring to the receiver
 * installed on B.
 */
final class E1000Link implements Link {
    static final MacAddress MAC_A = MacAddress.parse("52:54:00:be:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("52:54:00:be:00:0b");
    static final int ETHERTYPE = 0x88B5; // IEEE 802 local experimental

    private final Machine machine = Machine.standalone(64L << 20);
    private final DriverBenchMachines.Attached<NetworkDevice> a;
    private final DriverBenchMachines.Attached<NetworkDevice> b;
    private final NetworkDevice tx;
    private final ReceiveCounter counter = new ReceiveCounter();

    E1000Link() throws Exception {
        String backend = "switch:bench-" + ProcessHandle.current().pid();
        try {
            a = DriverBenchMachines.attach(machine, "00:03.0", "e1000",
                    Map.of("backend", backend, "mac", MAC_A.toString()), new E1000Driver(), "e1000",
                    NetworkDevice.class);
            b = DriverBenchMachines.attach(machine, "00:04.0", "e1000",
                    Map.of("backend", backend, "mac", MAC_B.toString()), new E1000Driver(), "e1000",
                    NetworkDevice.class);
        } catch (Exception | Error e) {
            machine.close();
            throw e;
        }
        tx = a.service();
        NetworkDevice rx = b.service();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(tx.isLinkUp() && rx.isLinkUp())) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("links not up after 10 s");
            }
            Thread.sleep(10);
        }
        // B says hello first, so that the switch has learnt both addresses and forwards rather than floods
        ReceiveCounter hello = new ReceiveCounter();
        tx.setReceiver(f -> hello.increment());
        while (!rx.transmit(frame(MAC_A, MAC_B, 60))) {
            Thread.sleep(1);
        }
        while (hello.get() == 0) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("B's hello did not reach A");
            }
            Thread.sleep(1);
        }
        rx.setReceiver(f -> counter.increment());
        System.out.printf("e1000: %s -> %s over %s, MTU %d%n", tx.macAddress(), rx.macAddress(), backend, tx.mtu());
    }

    /** An Ethernet II frame of {@code length} bytes (without the FCS) from {@code src} to {@code dst}. */
    static ByteBuffer frame(MacAddress dst, MacAddress src, int length) {
        ByteBuffer b = NicBenchmark.aligned(length);
        b.put(dst.toBytes()).put(src.toBytes()).putShort((short) ETHERTYPE);
        while (b.hasRemaining()) {
            b.put((byte) b.position());
        }
        return b.flip();
    }

    ByteBuffer frame(int length) {
        return frame(MAC_B, MAC_A, length);
    }

    @Override
    public boolean send(ByteBuffer frame) {
        return tx.transmit(frame);
    }

    @Override
    public ReceiveCounter counter() {
        return counter;
    }

    @Override
    public String counters() {
        return "A " + tx.counters() + "; B " + b.service().counters();
    }

    @Override
    public void close() {
        try {
            if (b != null) {
                b.close();
            }
            if (a != null) {
                a.close();
            }
        } finally {
            machine.close();
        }
    }
}

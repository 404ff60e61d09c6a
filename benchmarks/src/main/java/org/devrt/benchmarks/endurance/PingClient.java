package org.devrt.benchmarks.endurance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ping -c 1 -W 1 ADDRESS} through the runtime's Gogo shell, one after another: devrt's ICMP echo over a NIC
 * to the emulated gateway. A reply or a loss is counted; a line {@code ping: ...} (the stack refused to send) is an
 * error, judged clear or not by its text, as is an exception from the shell.
 */
final class PingClient implements Runnable {
    private static final long PACE_NANOS = 50_000_000;

    private final NetApi net;
    private final ClientErrors errors;
    private final String address;
    private volatile boolean running = true;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong replies = new AtomicLong();
    final AtomicLong lost = new AtomicLong();

    PingClient(NetApi net, ClientErrors errors, String address) {
        this.net = net;
        this.errors = errors;
        this.address = address;
    }

    @Override
    public void run() {
        while (running) {
            try {
                String out = net.shell("ping -c 1 -W 1 " + address);
                sent.incrementAndGet();
                if (out.contains(" 1 received")) {
                    replies.incrementAndGet();
                } else {
                    lost.incrementAndGet();
                }
                out.lines().filter(l -> l.startsWith("ping: "))
                        .forEach(l -> errors.record("ping", "ping output", l, ClientErrors.isClear(l)));
            } catch (Exception e) {
                errors.record("ping", e);
            }
            LockSupport.parkNanos(PACE_NANOS);
        }
    }

    void stop() {
        running = false;
    }
}

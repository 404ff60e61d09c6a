package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process learning Ethernet switch. Each frame sent through a port teaches the switch that its source address
 * lives behind that port; a frame to a learnt unicast address goes to that port only (and is dropped if that is
 * the port it came from), any other frame (unknown unicast, broadcast, multicast) is flooded to every other port.
 * Delivery is synchronous, on the sender's thread, with no lock held, so a receiver may send in turn. Addresses are
 * not aged; a port's addresses are forgotten when it leaves. Thread-safe.
 */
public final class VirtualSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualSwitch.class);
    private static final int HEADER = 14;

    private final String name;
    private final Object lock = new Object();
    private final MacTable<Port> table = new MacTable<>();
    /** Copy-on-write, replaced under lock. */
    private volatile Port[] ports = new Port[0];
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong flooded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    VirtualSwitch(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Attaches an endpoint as port {@code portName}; its link is up from now on.
     *
     * @throws IllegalArgumentException if a port of that name is attached already
     */
    public SwitchPort attach(String portName, FrameSink rx) {
        Objects.requireNonNull(portName, "portName");
        Objects.requireNonNull(rx, "rx");
        Port port = new Port(portName, rx);
        synchronized (lock) {
            for (Port p : ports) {
                if (p.name.equals(portName)) {
                    throw new IllegalArgumentException("switch " + name + " has a port named " + portName + " already");
                }
            }
            Port[] grown = Arrays.copyOf(ports, ports.length + 1);
            grown[ports.length] = port;
            ports = grown;
        }
        LOG.debug("switch {}: port {} attached", name, portName);
        return port;
    }

    /** The attached ports' names, in the order they came. */
    public List<String> portNames() {
        List<String> out = new ArrayList<>();
        for (Port p : ports) {
            out.add(p.name);
        }
        return out;
    }

    /** How many addresses the switch has learnt. */
    public int learntAddresses() {
        synchronized (lock) {
            return table.size();
        }
    }

    /** Frames sent to one learnt port. */
    public long forwardedFrames() {
        return forwarded.get();
    }

    /** Frames sent to every other port. */
    public long floodedFrames() {
        return flooded.get();
    }

    /** Frames dropped: shorter than an Ethernet header, or addressed to the port they came from. */
    public long droppedFrames() {
        return dropped.get();
    }

    private void forward(Port from, ByteBuffer frame) {
        int at = frame.position();
        if (frame.remaining() < HEADER) {
            dropped.incrementAndGet();
            return;
        }
        boolean unicast = (frame.get(at) & 1) == 0;
        boolean learnable = (frame.get(at + 6) & 1) == 0;
        long destination = address(frame, at);
        Port to = null;
        synchronized (lock) {
            if (!from.attached) {
                return;
            }
            if (learnable && !table.put(address(frame, at + 6), from)) {
                LOG.debug("switch {}: table full, address not learnt", name);
            }
            if (unicast) {
                to = table.get(destination);
            }
        }
        if (to == from) {
            dropped.incrementAndGet();
        } else if (to != null) {
            forwarded.incrementAndGet();
            to.deliver(frame);
        } else {
            flooded.incrementAndGet();
            for (Port port : ports) {
                if (port != from) {
                    port.deliver(frame);
                }
            }
        }
    }

    /** The 48-bit address at {@code at}, first byte in bits 47:40. */
    static long address(ByteBuffer frame, int at) {
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = value << 8 | (frame.get(at + i) & 0xff);
        }
        return value;
    }

    private void detach(Port port) {
        synchronized (lock) {
            if (!port.attached) {
                return;
            }
            port.attached = false;
            ports = Arrays.stream(ports).filter(p -> p != port).toArray(Port[]::new);
            table.removePort(port);
        }
        LOG.debug("switch {}: port {} left", name, port.name);
    }

    @Override
    public String toString() {
        return "switch " + name + " (" + ports.length + " ports, " + learntAddresses() + " addresses)";
    }

    private final class Port implements SwitchPort {
        private final String name;
        private final FrameSink sink;
        private volatile boolean attached = true;

        Port(String name, FrameSink sink) {
            this.name = name;
            this.sink = sink;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String switchName() {
            return VirtualSwitch.this.name;
        }

        @Override
        public void send(ByteBuffer frame) {
            if (!attached) {
                return;
            }
            int position = frame.position();
            int limit = frame.limit();
            try {
                forward(this, frame);
            } finally {
                frame.limit(limit).position(position);
            }
        }

        void deliver(ByteBuffer frame) {
            if (!attached) {
                return;
            }
            int position = frame.position();
            int limit = frame.limit();
            try {
                sink.receive(frame);
            } catch (RuntimeException e) {
                LOG.error("switch {}: port {} failed to take a frame", VirtualSwitch.this.name, name, e);
            } finally {
                frame.limit(limit).position(position);
            }
        }

        @Override
        public void close() {
            detach(this);
        }

        @Override
        public String toString() {
            return "port " + name + " of switch " + VirtualSwitch.this.name;
        }
    }
}

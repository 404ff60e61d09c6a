package org.devrt.ethernet.e1000;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.devrt.device.MacAddress;
import org.devrt.device.NetworkDevice;
import org.devrt.emulator.internal.Machine;
import org.devrt.emulator.internal.e1000.E1000ModelHooks;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.net.Switches;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.osgi.service.event.Event;

/**
 * An emulated machine with 82540EM models on a private virtual switch, each driven by its own {@link E1000Driver}
 * instance exactly as the device manager would: access grant, attach with a context, detach.
 */
final class ModelHarness implements AutoCloseable {
    private static final AtomicInteger SWITCHES = new AtomicInteger();
    static final int ETHERTYPE = 0x88B5; // IEEE local experimental

    /** Every 82540EM model plugged, in plug order, for the cable and the model's complaints. */
    final List<DeviceModel> models = new CopyOnWriteArrayList<>();
    final Machine machine = Machine.standalone(64L << 20,
            E1000ModelHooks.recording(new Switches(), models));
    final String switchName = "e1000-test-" + SWITCHES.incrementAndGet();
    private final List<Port> ports = new ArrayList<>();

    /** One NIC: the function, the grant the driver holds, the attachment, the device it published. */
    static final class Port {
        PciFunction function;
        PciFunction.AccessGrant grant;
        DriverAttachment attachment;
        E1000Nic nic;
        Map<String, Object> properties;
        final RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
        final List<Event> events = eventAdmin.events;
        DeviceModel model;
        boolean detached;

        /** The driver mistakes the model saw, with the last one, or "" if none. */
        String complaints() {
            long n = E1000ModelHooks.complaints(model);
            return n == 0 ? "" : n + " complaints, last: " + E1000ModelHooks.lastComplaint(model);
        }

        void detach() {
            if (!detached) {
                detached = true;
                attachment.detach();
                grant.close();
            }
        }
    }

    boolean hasModel() {
        return machine.models().contains("e1000");
    }

    Port plug(String address, String mac, int ringSize) throws Exception {
        return plug(address, Map.of("backend", "switch:" + switchName, "mac", mac), ringSize);
    }

    Port plug(String address, Map<String, String> options, int ringSize) throws Exception {
        Port p = new Port();
        p.function = machine.plug(PciAddress.parse(address), "e1000", options);
        p.model = models.get(models.size() - 1);
        p.grant = p.function.grantAccess();
        E1000Driver driver = new E1000Driver();
        driver.rxRingSize = ringSize;
        driver.txRingSize = ringSize;
        driver.publisher = (device, properties) -> {
            p.nic = (E1000Nic) device;
            p.properties = properties;
            return () -> { };
        };
        driver.eventAdmin = p.eventAdmin;
        p.attachment = driver.attach(p.grant.function(),
                TestContext.of("emulated/" + PciAddress.parse(address), PciAddress.parse(address).toString()));
        ports.add(p);
        return p;
    }

    /** A frame from {@code src} to {@code dst}: sequence number in the first payload bytes, then a pattern. */
    static ByteBuffer frame(MacAddress dst, MacAddress src, int seq, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(dst.toBytes()).put(src.toBytes()).putShort((short) ETHERTYPE).putInt(seq);
        while (b.hasRemaining()) {
            b.put((byte) (seq + b.position()));
        }
        return b.flip();
    }

    /** The sequence number of a frame made by {@link #frame}, or -1 if any byte differs from what it should be. */
    static int check(ByteBuffer f, MacAddress dst, MacAddress src) {
        if (f.remaining() < 18 || f.getShort(f.position() + 12) != (short) ETHERTYPE) {
            return -1;
        }
        int seq = f.getInt(f.position() + 14);
        ByteBuffer expected = frame(dst, src, seq, f.remaining());
        return expected.equals(f) ? seq : -1;
    }

    /** Sends, retrying while the ring is full; returns how many attempts were refused. */
    static long sendAll(NetworkDevice d, ByteBuffer frame) {
        long refused = 0;
        while (!d.transmit(frame)) {
            refused++;
            if (!d.isLinkUp()) {
                throw new AssertionError(d + ": link down while sending");
            }
            Thread.onSpinWait();
        }
        return refused;
    }

    @Override
    public void close() {
        for (Port p : ports) {
            try {
                p.detach();
            } catch (RuntimeException e) {
                // the function may be unplugged already
            }
        }
        machine.close();
    }
}

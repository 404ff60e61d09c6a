package org.devrt.network.internal.shell;

import java.nio.ByteBuffer;

import org.devrt.device.FrameReceiver;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;

/** A network device whose state a test sets. */
final class FakeDevice implements NetworkDevice {
    final MacAddress mac;
    volatile boolean link = true;
    volatile NetworkCounters counters = NetworkCounters.ZERO;

    FakeDevice(String mac) {
        this.mac = MacAddress.parse(mac);
    }

    @Override public MacAddress macAddress() { return mac; }
    @Override public int mtu() { return 1500; }
    @Override public boolean isLinkUp() { return link; }
    @Override public boolean transmit(ByteBuffer frame) { return false; }
    @Override public void setReceiver(FrameReceiver receiver) { }
    @Override public NetworkCounters counters() { return counters; }
}

package org.devrt.emulator.internal.net;

import java.nio.ByteBuffer;

/** {@code backend=switch:<name>}: the NIC is a port of a {@link VirtualSwitch}, named after its PCI address. */
final class SwitchBackend extends BackendBase {
    private final VirtualSwitch fabric;
    private final String portName;
    private volatile SwitchPort port;

    SwitchBackend(VirtualSwitch fabric, String portName) {
        this.fabric = fabric;
        this.portName = portName;
    }

    @Override
    protected void started() {
        port = fabric.attach(portName, this::deliver);
    }

    @Override
    protected boolean carrier() {
        return port != null;
    }

    @Override
    protected boolean transmit(ByteBuffer frame) {
        port.send(frame);
        return true;
    }

    @Override
    protected void release() {
        SwitchPort p = port;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public String description() {
        return "switch:" + fabric.name() + " port " + portName;
    }
}

package org.devrt.devicemanager.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;

/** A PCI function with given identity and no hardware behind it. */
record FakeFunction(String busId, PciAddress address, int vendorId, int deviceId, int subsystemVendorId,
        int subsystemId, int revision, ClassCode classCode, List<BarInfo> bars) implements PciFunction {

    static FakeFunction of(String address, int vendor, int device, int classCode24) {
        return new FakeFunction("emulated", PciAddress.parse(address), vendor, device, 0, 0, 0, ClassCode.of(classCode24),
                List.of());
    }

    FakeFunction withSubsystem(int subVendor, int sub) {
        return new FakeFunction(busId, address, vendorId, deviceId, subVendor, sub, revision, classCode, bars);
    }

    FakeFunction withRevision(int rev) {
        return new FakeFunction(busId, address, vendorId, deviceId, subsystemVendorId, subsystemId, rev, classCode, bars);
    }

    @Override
    public int interruptPin() {
        return 1;
    }

    @Override
    public ConfigSpace config() {
        return new ConfigSpace() {
            public int size() { return 256; }
            public boolean isWritable() { return false; }
            public int read8(int o) { return o == INTERRUPT_LINE ? 11 : 0; }
            public int read16(int o) { return o == COMMAND ? COMMAND_BUS_MASTER | COMMAND_MEMORY_SPACE : 0; }
            public int read32(int o) { return 0; }
            public void write8(int o, int v) { throw new UnsupportedOperationException(); }
            public void write16(int o, int v) { throw new UnsupportedOperationException(); }
            public void write32(int o, int v) { throw new UnsupportedOperationException(); }
        };
    }

    @Override
    public List<Integer> capabilities() {
        return List.of(0x01);
    }

    @Override
    public Optional<String> serialNumber() {
        return Optional.empty();
    }

    @Override
    public Optional<String> kernelDriver() {
        return Optional.empty();
    }

    @Override
    public boolean isAttachable() {
        return true;
    }

    @Override
    public RegisterIo bar(int index) throws IOException {
        throw new IOException("fake");
    }

    @Override
    public DmaMemory dmaMemory() throws IOException {
        throw new IOException("fake");
    }

    @Override
    public InterruptLine interruptLine() throws IOException {
        throw new IOException("fake");
    }
}

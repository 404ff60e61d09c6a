package org.devrt.ethernet.e1000;

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

/** A PCI function for driver unit tests: fixed ids, the fake registers, DMA and line, a 256-byte config space. */
final class FakeFunction implements PciFunction {
    final int vendor;
    final int device;
    final FakeRegisters io = new FakeRegisters(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
    final FakeDma dma = new FakeDma(4 << 20);
    final FakeInterruptLine irq = new FakeInterruptLine();
    final Config config = new Config();
    BarInfo.Kind bar0 = BarInfo.Kind.MEMORY32;

    FakeFunction(int vendor, int device) {
        this.vendor = vendor;
        this.device = device;
    }

    @Override public String busId() { return "test"; }
    @Override public PciAddress address() { return PciAddress.parse("00:03.0"); }
    @Override public int vendorId() { return vendor; }
    @Override public int deviceId() { return device; }
    @Override public int subsystemVendorId() { return 0x8086; }
    @Override public int subsystemId() { return 0x001E; }
    @Override public int revision() { return 3; }
    @Override public ClassCode classCode() { return ClassCode.of(0x020000); }
    @Override public int interruptPin() { return 1; }
    @Override public List<BarInfo> bars() { return List.of(new BarInfo(0, bar0, 0xfebc0000L, 0x20000, false)); }
    @Override public ConfigSpace config() { return config; }
    @Override public List<Integer> capabilities() { return List.of(); }
    @Override public Optional<String> serialNumber() { return Optional.empty(); }
    @Override public Optional<String> kernelDriver() { return Optional.empty(); }
    @Override public boolean isAttachable() { return true; }
    @Override public RegisterIo bar(int index) throws IOException { return io; }
    @Override public DmaMemory dmaMemory() { return dma; }
    @Override public InterruptLine interruptLine() { return irq; }

    /** Config space as plain memory. */
    static final class Config implements ConfigSpace {
        final byte[] bytes = new byte[256];

        @Override public int size() { return 256; }
        @Override public boolean isWritable() { return true; }
        @Override public int read8(int offset) { return bytes[offset] & 0xff; }
        @Override public int read16(int offset) { return read8(offset) | read8(offset + 1) << 8; }
        @Override public int read32(int offset) { return read16(offset) | read16(offset + 2) << 16; }
        @Override public void write8(int offset, int value) { bytes[offset] = (byte) value; }
        @Override public void write16(int offset, int value) { write8(offset, value); write8(offset + 1, value >> 8); }
        @Override public void write32(int offset, int value) { write16(offset, value); write16(offset + 2, value >> 16); }
    }
}

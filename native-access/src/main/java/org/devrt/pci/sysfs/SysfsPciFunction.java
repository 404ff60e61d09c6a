package org.devrt.pci.sysfs;

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

/**
 * A host function as its sysfs directory described it when it was read. It can be listed and matched, never
 * driven: {@link #isAttachable()} is false and every access handle is refused.
 *
 * @param irq the kernel's {@code irq} file (the Linux IRQ number, 0 when none or unreadable); for people only
 * @param problems what could not be read, each naming the file; already logged
 */
record SysfsPciFunction(
        String busId,
        PciAddress address,
        int vendorId,
        int deviceId,
        int subsystemVendorId,
        int subsystemId,
        int revision,
        ClassCode classCode,
        int interruptPin,
        int irq,
        List<BarInfo> bars,
        ConfigSpace config,
        List<Integer> capabilities,
        Optional<String> serialNumber,
        Optional<String> kernelDriver,
        List<String> problems) implements PciFunction {

    SysfsPciFunction {
        bars = List.copyOf(bars);
        capabilities = List.copyOf(capabilities);
        problems = List.copyOf(problems);
    }

    @Override
    public boolean isAttachable() {
        return false;
    }

    @Override
    public RegisterIo bar(int index) throws IOException {
        throw notDrivable();
    }

    @Override
    public DmaMemory dmaMemory() throws IOException {
        throw notDrivable();
    }

    @Override
    public InterruptLine interruptLine() throws IOException {
        throw notDrivable();
    }

    private IOException notDrivable() {
        return new IOException("host function " + address + " cannot be driven: the host backend is read-only");
    }

    /** {@code host 0000:00:1f.2 0106: 8086:2922 (rev 02)}, the {@code lspci -n} line with the bus in front. */
    @Override
    public String toString() {
        String text = String.format("%s %s %s: %04x:%04x", busId, address, classCode, vendorId, deviceId);
        return revision == 0 ? text : text + String.format(" (rev %02x)", revision);
    }
}

package org.devrt.emulator.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;

/**
 * The view of a function that one driver holds through an access grant. Identity reads always work; handles
 * and config-space writes are refused once the grant is closed, so a detached driver cannot take the device
 * again through a view it kept.
 */
final class GrantedFunction implements PciFunction, PciFunction.AccessGrant {
    private final PciFunction function;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConfigSpace config;

    GrantedFunction(PciFunction function, Runnable onClose) {
        this.function = function;
        this.onClose = onClose;
        this.config = new GuardedConfig(function.config());
    }

    @Override
    public PciFunction function() {
        return this;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new HandleRevokedException(function.address() + ": this driver's access was revoked (detached)");
        }
    }

    @Override
    public RegisterIo bar(int index) throws IOException {
        checkOpen();
        return function.bar(index);
    }

    @Override
    public DmaMemory dmaMemory() throws IOException {
        checkOpen();
        return function.dmaMemory();
    }

    @Override
    public InterruptLine interruptLine() throws IOException {
        checkOpen();
        return function.interruptLine();
    }

    @Override
    public AccessGrant grantAccess() throws IOException {
        throw new IOException(function.address() + ": a driver cannot grant access to its own view");
    }

    @Override
    public ConfigSpace config() {
        return config;
    }

    @Override
    public String busId() {
        return function.busId();
    }

    @Override
    public PciAddress address() {
        return function.address();
    }

    @Override
    public int vendorId() {
        return function.vendorId();
    }

    @Override
    public int deviceId() {
        return function.deviceId();
    }

    @Override
    public int subsystemVendorId() {
        return function.subsystemVendorId();
    }

    @Override
    public int subsystemId() {
        return function.subsystemId();
    }

    @Override
    public int revision() {
        return function.revision();
    }

    @Override
    public ClassCode classCode() {
        return function.classCode();
    }

    @Override
    public int interruptPin() {
        return function.interruptPin();
    }

    @Override
    public List<BarInfo> bars() {
        return function.bars();
    }

    @Override
    public List<Integer> capabilities() {
        return function.capabilities();
    }

    @Override
    public Optional<String> serialNumber() {
        return function.serialNumber();
    }

    @Override
    public Optional<String> kernelDriver() {
        return function.kernelDriver();
    }

    @Override
    public boolean isAttachable() {
        return !closed.get() && function.isAttachable();
    }

    @Override
    public String toString() {
        return function + (closed.get() ? " (access revoked)" : "");
    }

    /** Config space whose writes need the grant open. */
    private final class GuardedConfig implements ConfigSpace {
        private final ConfigSpace inner;

        GuardedConfig(ConfigSpace inner) {
            this.inner = inner;
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public boolean isWritable() {
            return inner.isWritable();
        }

        @Override
        public int read8(int offset) {
            return inner.read8(offset);
        }

        @Override
        public int read16(int offset) {
            return inner.read16(offset);
        }

        @Override
        public int read32(int offset) {
            return inner.read32(offset);
        }

        @Override
        public void write8(int offset, int value) {
            checkOpen();
            inner.write8(offset, value);
        }

        @Override
        public void write16(int offset, int value) {
            checkOpen();
            inner.write16(offset, value);
        }

        @Override
        public void write32(int offset, int value) {
            checkOpen();
            inner.write32(offset, value);
        }
    }
}

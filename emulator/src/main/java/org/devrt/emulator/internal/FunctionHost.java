package org.devrt.emulator.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of one function: the model's DMA, checked against the Command register's Bus Master bit and
 * the machine's memory (or, above {@link BusMappings#BASE}, the buffers mapped for it), and its interrupt pin. A refused DMA is logged (the first few at WARN, then at DEBUG),
 * counted, and, when the address was not memory the function may reach, sets Status bit 13, Received Master Abort
 * (PCI Local Bus 3.0, section 6.2.3). It is also the owner of the function's DMA blocks. Thread-safe.
 */
final class FunctionHost implements ModelHost {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionHost.class);
    private static final int FAULTS_LOGGED_AT_WARN = 10;

    private final PciAddress address;
    private final PhysicalMemory memory;
    private final IrqLine irq;
    private final AtomicLong faults = new AtomicLong();
    private volatile Type0Config config;
    private volatile String lastFault = "";

    FunctionHost(PciAddress address, PhysicalMemory memory, IrqLine irq) {
        this.address = address;
        this.memory = memory;
        this.irq = irq;
    }

    /** Connects the configuration space once the model has declared itself; DMA is refused until then. */
    void connect(Type0Config config) {
        this.config = config;
        config.setInterruptStatus(irq.isAsserted());
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public void dmaRead(long busAddress, ByteBuffer dst) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            dst.put(mapped("read", busAddress, dst.remaining(), false));
            return;
        }
        check("read", busAddress, dst.remaining());
        memory.read(busAddress, dst);
    }

    @Override
    public void dmaWrite(long busAddress, ByteBuffer src) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            mapped("write", busAddress, src.remaining(), true).put(src);
            return;
        }
        check("write", busAddress, src.remaining());
        memory.write(busAddress, src);
    }

    @Override
    public ByteBuffer dmaWindow(long busAddress, int length, boolean deviceWrites) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            return mapped(deviceWrites ? "write" : "read", busAddress, length, deviceWrites);
        }
        check(deviceWrites ? "write" : "read", busAddress, length);
        return memory.window(busAddress, length);
    }

    @Override
    public int dmaRead32(long busAddress) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            return mapped("read", busAddress, 4, false).getInt(0);
        }
        check("read", busAddress, 4);
        return memory.read32(busAddress);
    }

    @Override
    public long dmaRead64(long busAddress) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            return mapped("read", busAddress, 8, false).getLong(0);
        }
        check("read", busAddress, 8);
        return memory.read64(busAddress);
    }

    @Override
    public void dmaWrite32(long busAddress, int value) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            mapped("write", busAddress, 4, true).putInt(0, value);
            return;
        }
        check("write", busAddress, 4);
        memory.write32(busAddress, value);
    }

    @Override
    public void dmaWrite64(long busAddress, long value) throws DmaFault {
        if (BusMappings.covers(busAddress)) {
            mapped("write", busAddress, 8, true).putLong(0, value);
            return;
        }
        check("write", busAddress, 8);
        memory.write64(busAddress, value);
    }

    @Override
    public void setInterrupt(boolean asserted) {
        Type0Config c = config;
        if (c != null) {
            c.setInterruptStatus(asserted);
        }
        irq.setAsserted(asserted);
    }

    private void check(String op, long busAddress, int length) throws DmaFault {
        checkBusMaster(op, busAddress, length);
        Type0Config c = config;
        String refusal = memory.refusal(busAddress, length, this);
        if (refusal != null) {
            c.signal(Type0Config.STATUS_RECEIVED_MASTER_ABORT);
            throw fault(op, busAddress, length, refusal, false);
        }
    }

    /** A little-endian view of a mapped buffer for a device access, after the same checks as {@link #check}. */
    private ByteBuffer mapped(String op, long busAddress, int length, boolean deviceWrites) throws DmaFault {
        checkBusMaster(op, busAddress, length);
        BusMappings mappings = memory.mappings();
        boolean owned = memory.checksOwnership();
        ByteBuffer window = mappings.window(busAddress, length, deviceWrites, this, owned);
        if (window == null) {
            config.signal(Type0Config.STATUS_RECEIVED_MASTER_ABORT); // not null: bus mastering is on
            throw fault(op, busAddress, length, mappings.refusal(busAddress, length, deviceWrites, this, owned), false);
        }
        return window;
    }

    private void checkBusMaster(String op, long busAddress, int length) throws DmaFault {
        Type0Config c = config;
        if (c == null || (c.command() & ConfigSpace.COMMAND_BUS_MASTER) == 0) {
            throw fault(op, busAddress, length, "bus mastering is off (Command bit 2 clear)", true);
        }
    }

    private DmaFault fault(String op, long busAddress, int length, String why, boolean busMasterOff) {
        String message = String.format("DMA %s of %d bytes at 0x%x by %s refused: %s", op, length, busAddress,
                address, why);
        lastFault = message;
        if (faults.incrementAndGet() <= FAULTS_LOGGED_AT_WARN) {
            LOG.warn("{}{}", message, faults.get() == FAULTS_LOGGED_AT_WARN ? " (further ones at DEBUG)" : "");
        } else {
            LOG.debug(message);
        }
        return new DmaFault(message, busMasterOff);
    }

    /** How many DMA accesses were refused. */
    long faults() {
        return faults.get();
    }

    /** The message of the last refused DMA, or "". */
    String lastFault() {
        return lastFault;
    }
}

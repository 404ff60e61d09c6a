package org.devrt.emulator.internal;

import java.util.Map;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.devrt.device.DeviceGoneException;
import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ClassCode;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function of the emulated machine: a device model behind a type-0 configuration header, with the handles
 * it gives its holder (one holder at a time) and their revocation. Register accesses reach the model one at a
 * time, under the function's lock, which revocation and unplug also take, so that no access is still inside the
 * model when it is reset or closed; the work a write started ({@link DeviceModel#afterWrite}) runs after the lock
 * is released, and the model's reset stops it. Thread-safe.
 */
final class EmulatedFunction implements PciFunction {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatedFunction.class);

    private final PciAddress address;
    private final String modelName;
    private final ModelOptions options;
    private final PhysicalMemory memory;
    private final IrqLine irq;
    private final InterruptController interrupts;
    private final FunctionHost host;
    private final DeviceModel model;
    private final ModelIdentity identity;
    private final List<BarSpec> barSpecs;
    private final Type0Config config;
    private final Object lock = new Object();
    private Handles handles;
    private boolean present = true;
    /** Whether an access grant is live (guarded by lock). */
    private boolean granted;

    /** @throws IllegalArgumentException if the model refuses its options or declares impossible BARs */
    EmulatedFunction(PciAddress address, ModelFactory factory, ModelOptions options, PhysicalMemory memory,
            InterruptController interrupts) {
        this.address = address;
        this.modelName = factory.name();
        this.options = options;
        this.memory = memory;
        this.interrupts = interrupts;
        this.irq = new IrqLine(interrupts, address);
        this.host = new FunctionHost(address, memory, irq);
        this.model = factory.create(options, host);
        try {
            this.identity = model.identity();
            this.config = new Type0Config(address, identity, model.bars(), this::commandWritten);
            this.barSpecs = config.barSpecs();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        host.connect(config);
        this.handles = new Handles(this, memory, host, irq);
    }

    private void commandWritten(int command) {
        irq.setMasked((command & ConfigSpace.COMMAND_INTX_DISABLE) != 0);
    }

    int read(RegisterWindow window, BarSpec bar, Handles holder, int offset) {
        synchronized (lock) {
            holder.checkLive(window);
            if (!decodes(bar)) {
                LOG.debug("{}: read of {} offset 0x{} with decoding off reads all ones", address, window,
                        Integer.toHexString(offset));
                return -1;
            }
            try {
                return model.read32(bar.index(), offset);
            } catch (RuntimeException e) {
                LOG.error("model {} of {} failed reading {} offset 0x{}; the read returns all ones", modelName, address,
                        window, Integer.toHexString(offset), e);
                return -1;
            }
        }
    }

    /**
     * One register write, then the work it started ({@link DeviceModel#afterWrite}), then the handlers of the inline
     * interrupts they raised ({@link InterruptController#exitWrite}).
     */
    void write(RegisterWindow window, BarSpec bar, Handles holder, int offset, int value) {
        Object writer = interrupts.enterWrite();
        try {
            writeAndRun(window, bar, holder, offset, value);
        } finally {
            interrupts.exitWrite(writer);
        }
    }

    private void writeAndRun(RegisterWindow window, BarSpec bar, Handles holder, int offset, int value) {
        synchronized (lock) {
            holder.checkLive(window);
            if (!decodes(bar)) {
                LOG.debug("{}: write to {} offset 0x{} with decoding off is dropped", address, window,
                        Integer.toHexString(offset));
                return;
            }
            try {
                model.write32(bar.index(), offset, value);
            } catch (RuntimeException e) {
                LOG.error("model {} of {} failed writing {} offset 0x{}", modelName, address, window,
                        Integer.toHexString(offset), e);
                return;
            }
        }
        // The work is the device's, not the caller's: a pending interrupt of the calling thread (a shell command
        // stopped with Ctrl-C) must not reach the model's image file or socket, which as InterruptibleChannels
        // would close for good. It is set again once the work is done.
        boolean interrupted = Thread.interrupted();
        try {
            model.afterWrite();
        } catch (RuntimeException e) {
            LOG.error("model {} of {} failed after a write to {} offset 0x{}", modelName, address, window,
                    Integer.toHexString(offset), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Command bits 0 and 1 (PCI Local Bus 3.0, section 6.2.2): without them the function ignores the access. */
    private boolean decodes(BarSpec bar) {
        int bit = bar.kind() == BarInfo.Kind.IO ? Type0Config.COMMAND_IO_SPACE : ConfigSpace.COMMAND_MEMORY_SPACE;
        return (config.command() & bit) != 0;
    }

    /**
     * Takes back the current holder's handles (they throw from now on) and makes the function ready for the next
     * holder: the interrupt handler detached, bus mastering off, the model reset, the DMA regions freed.
     */
    void revokeHandles() {
        Handles old;
        synchronized (lock) {
            if (!present) {
                return;
            }
            old = handles;
            handles = new Handles(this, memory, host, irq);
        }
        old.revoke("detached");
        config.quiesce();
        synchronized (lock) {
            if (present) {
                quietly("reset", model::reset);
            }
        }
        old.freeDma();
    }

    /** Surprise removal: revokes the handles, empties the slot (config reads all ones), closes the model. */
    void unplug() {
        Handles old;
        synchronized (lock) {
            if (!present) {
                return;
            }
            present = false;
            old = handles;
        }
        old.revoke("unplugged");
        config.remove();
        synchronized (lock) {
            quietly("close", model::close);
        }
        old.freeDma();
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("model {} of {} failed to {}", modelName, address, what, e);
        }
    }

    private Handles live() throws DeviceGoneException {
        synchronized (lock) {
            if (!present) {
                throw new DeviceGoneException(address + " was unplugged");
            }
            return handles;
        }
    }

    boolean belongsTo(PhysicalMemory machineMemory) {
        return memory == machineMemory;
    }

    boolean isPresent() {
        synchronized (lock) {
            return present;
        }
    }

    String modelName() {
        return modelName;
    }

    /** The model's state ({@link DeviceModel#state}), "" if nothing is out of the ordinary. */
    String state() {
        return model.state();
    }

    /** The model's actions ({@link DeviceModel#actions}). */
    Map<String, String> actions() {
        return model.actions();
    }

    /** Does one of the model's actions; refused once the function is unplugged. */
    String act(String action, List<String> args) {
        synchronized (lock) {
            if (!present) {
                throw new IllegalArgumentException(address + " is unplugged");
            }
        }
        return model.act(action, args);
    }

    ModelOptions options() {
        return options;
    }

    List<BarSpec> barSpecs() {
        return barSpecs;
    }

    FunctionHost host() {
        return host;
    }

    @Override
    public String busId() {
        return Machine.BUS_ID;
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public int vendorId() {
        return identity.vendorId();
    }

    @Override
    public int deviceId() {
        return identity.deviceId();
    }

    @Override
    public int subsystemVendorId() {
        return identity.subsystemVendorId();
    }

    @Override
    public int subsystemId() {
        return identity.subsystemId();
    }

    @Override
    public int revision() {
        return identity.revision();
    }

    @Override
    public ClassCode classCode() {
        return identity.classCode();
    }

    @Override
    public int interruptPin() {
        return identity.interruptPin();
    }

    @Override
    public List<BarInfo> bars() {
        return config.bars();
    }

    @Override
    public ConfigSpace config() {
        return config;
    }

    @Override
    public List<Integer> capabilities() {
        return config.capabilityIds();
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
        RegisterWindow window = live().window(index);
        if (window == null) {
            throw new IOException(String.format("BAR %d of %s is not implemented (%s)", index, address,
                    barSpecs.isEmpty() ? "it has no BARs" : "its BARs: " + barSpecs.stream()
                            .map(b -> String.valueOf(b.index())).collect(Collectors.joining(", "))));
        }
        return window;
    }

    @Override
    public DmaMemory dmaMemory() throws IOException {
        return live().dma();
    }

    @Override
    public InterruptLine interruptLine() throws IOException {
        if (identity.interruptPin() == 0) {
            throw new IOException(address + " has no interrupt pin (Interrupt Pin register is 0)");
        }
        return live().line();
    }

    /**
     * Grants one driver the device. Closing the grant revokes every handle taken through it (see
     * {@link #revokeHandles()}) and makes the grant's view refuse new ones.
     */
    @Override
    public AccessGrant grantAccess() throws IOException {
        synchronized (lock) {
            if (!present) {
                throw new DeviceGoneException(address + " was unplugged");
            }
            if (granted) {
                throw new IOException(address + " is already held by a driver: its access must be revoked first");
            }
            granted = true;
        }
        return new GrantedFunction(this, () -> {
            revokeHandles();
            synchronized (lock) {
                granted = false;
            }
        });
    }

    @Override
    public String toString() {
        return address + " " + describe();
    }

    /** Its model and ids, "e1000 8086:100e". */
    String describe() {
        return modelName + " " + identity.ids();
    }
}

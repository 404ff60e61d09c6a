package org.devrt.emulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

import org.devrt.emulator.EmulatedMachine;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.devrt.registry.condition.RefusedConfiguration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated machine: physical memory, one PCI bus ({@code 0000:00}) whose functions are device models, the
 * firmware that sets each function up, and the interrupt thread. It is both the {@link PciBus} service
 * ({@code devrt.pci.bus=emulated}) and the {@link EmulatedMachine} service. Plug and unplug change the bus and
 * tell its subscribers under one lock, so the subscribers see every change, in order, before the call returns.
 */
@Component(service = {PciBus.class, EmulatedMachine.class}, property = PciBus.BUS_ID + "=" + Machine.BUS_ID,
        configurationPid = Machine.PID, immediate = true)
@Designate(ocd = MachineConfig.class)
public final class Machine implements PciBus, EmulatedMachine {
    /** What {@link #plug} throws when a function is at the address already. */
    static final class AddressTaken extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final transient PciAddress address;

        AddressTaken(PciAddress address, String message) {
            super(message);
            this.address = address;
        }
    }

    static final String BUS_ID = "emulated";
    static final String PID = "devrt.emulator.machine";
    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);

    /** A plugged function and the firmware resources it holds. */
    private record Slot(EmulatedFunction function, Firmware.Assignment resources) {
    }

    private final Map<String, ModelFactory> models;
    private final PhysicalMemory memory;
    /** The configuration the machine refused for its defaults, or null. */
    private RefusedConfiguration refused;
    private final Firmware firmware = new Firmware();
    private final InterruptController interrupts = new InterruptController("devrt-emulator-irq");
    final ReentrantLock lock = new ReentrantLock(); // package-private: MachineTest checks who holds it
    private final BusListeners listeners = new BusListeners(lock);
    private final ConcurrentSkipListMap<PciAddress, Slot> slots = new ConcurrentSkipListMap<>();
    private boolean closed;

    /**
     * The machine of the runtime, on the memory {@code config} asks for. A configuration that cannot be honoured is
     * refused in one line naming the property (and listed by {@code diag} while the machine runs), and the machine
     * runs on the defaults: thrown from here, SCR would log the failed construction with its stack at every attempt
     * to get the machine's services, and there would be no machine at all.
     */
    @Activate
    public Machine(MachineConfig config, BundleContext context, Map<String, Object> properties) {
        PhysicalMemory configured;
        try {
            configured = memoryFor(config);
        } catch (IllegalArgumentException e) {
            refused = new RefusedConfiguration(context, properties, e.getMessage() + "; the machine runs on its "
                    + "defaults");
            LOG.error("{}", refused.line());
            configured = new PhysicalMemory(MachineConfig.DEFAULT_BASE, (int) MachineConfig.DEFAULT_SIZE, true);
        }
        this.memory = configured;
        this.models = Map.copyOf(Models.builtIn());
        LOG.info("emulated machine up: {}", memoryText());
    }

    /** The memory {@code config} asks for; an IllegalArgumentException naming the property if it cannot be made. */
    static PhysicalMemory memoryFor(MachineConfig config) {
        return new PhysicalMemory(config.memory_base(), memorySize(config.memory_size()), config.dma_ownership());
    }

    /**
     * A machine outside OSGi, for the drivers' tests and the benchmarks: {@code memory} bytes of DMA memory at
     * 4 GiB with DMA ownership checked, as the runtime configures it, and the built-in models, any of them
     * replaced by a factory of the same name in {@code replacing} (to reach a model's test hooks). {@link #close()}
     * shuts it down.
     */
    public static Machine standalone(long memory, ModelFactory... replacing) {
        Map<String, ModelFactory> models = new java.util.TreeMap<>(Models.builtIn());
        for (ModelFactory factory : replacing) {
            models.put(factory.name(), factory);
        }
        return new Machine(new PhysicalMemory(0x1_0000_0000L, Math.toIntExact(memory), true), models);
    }

    Machine(PhysicalMemory memory, Map<String, ModelFactory> models) {
        this.memory = memory;
        this.models = Map.copyOf(models);
    }

    private static int memorySize(long size) {
        if (size <= 0 || size > 1L << 30 || size % PhysicalMemory.PAGE != 0) {
            throw new IllegalArgumentException("memory.size " + size + " must be a multiple of 4096 between 4096 and 1 GiB");
        }
        return (int) size;
    }

    @Override
    public PciFunction plug(PciAddress address, String model, Map<String, String> options) {
        Objects.requireNonNull(address, "address");
        if (address.domain() != 0 || address.bus() != 0) {
            throw new IllegalArgumentException(
                    "the emulated machine has one bus, 0000:00; " + address + " is not on it");
        }
        ModelFactory factory = models.get(model);
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + model + "' (models: " + String.join(", ", models())
                    + ")");
        }
        ModelOptions modelOptions = ModelOptions.of(model, options, factory.options().keySet());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the emulated machine is shut down");
            }
            Slot taken = slots.get(address);
            if (taken != null) {
                // said without the address twice ("0000:00:03.0 is taken by 0000:00:03.0 e1000 ..." told nothing)
                throw new AddressTaken(address, address + " is taken: " + taken.function().describe()
                        + " is plugged there ('unplug " + address + "' frees it)");
            }
            EmulatedFunction function = new EmulatedFunction(address, factory, modelOptions, memory, interrupts);
            Firmware.Assignment resources = firmware.assign(address, function.config(), function.barSpecs(),
                    function.interruptPin());
            slots.put(address, new Slot(function, resources));
            LOG.info("plugged {} {}", function, modelOptions);
            listeners.added(function);
            return function;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unplug(PciAddress address) {
        lock.lock();
        try {
            Slot slot = slots.remove(address);
            if (slot == null) {
                throw new IllegalArgumentException("no function at " + address + " to unplug");
            }
            slot.function().unplug();
            firmware.release(slot.resources());
            LOG.info("unplugged {}", slot.function());
            listeners.removed(slot.function());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void remove(PciAddress address) {
        Slot present = slots.get(address); // a concurrent map: the lock is for changes
        if (present == null) {
            throw new IllegalArgumentException("no function at " + address + " to remove");
        }
        EmulatedFunction function = present.function();
        listeners.removing(function); // without the lock: the driver's detach talks to the function
        lock.lock();
        try {
            Slot slot = slots.get(address);
            if (slot == null || slot.function() != function) { // unplugged, maybe plugged again, meanwhile
                throw new IllegalArgumentException("the function at " + address + " was unplugged meanwhile");
            }
            unplug(address);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> models() {
        return models.keySet().stream().sorted().toList();
    }

    /** Takes back the current holder's handles, as closing its access grant does; for tests. */
    void revokeHandles(PciFunction function) {
        if (!(function instanceof EmulatedFunction f) || !f.belongsTo(memory)) {
            throw new IllegalArgumentException(function + " is not a function of the emulated machine");
        }
        f.revokeHandles();
    }

    @Override
    public String id() {
        return BUS_ID;
    }

    @Override
    public String description() {
        int count = slots.size();
        return "emulated machine (q35-like), " + count + (count == 1 ? " function, " : " functions, ") + memoryText();
    }

    PhysicalMemory memory() {
        return memory;
    }

    public String memoryText() {
        return String.format("%d MiB DMA memory at 0x%x, %d KiB free, %d buffers mapped, DMA ownership %s",
                memory.size() >> 20, memory.base(), memory.available() >> 10, memory.mappings().count(),
                memory.checksOwnership() ? "checked" : "not checked");
    }

    @Override
    public List<PciFunction> functions() {
        List<PciFunction> out = new ArrayList<>();
        slots.values().forEach(s -> out.add(s.function()));
        return out;
    }

    @Override
    public Subscription subscribe(PciBusListener listener) {
        Objects.requireNonNull(listener, "listener");
        return listeners.subscribe(listener, this::functions);
    }

    /** Nothing to look for: every change is reported when it happens. */
    @Override
    public void rescan() {
        LOG.debug("rescan of the emulated bus: nothing to do, plug and unplug report as they happen");
    }

    /**
     * Removes every function in an orderly way (their drivers detach first, so a disk's volumes are flushed to it)
     * and stops the interrupt thread.
     */
    @Deactivate
    public void close() {
        List<PciAddress> present;
        lock.lock();
        try {
            closed = true; // nothing is plugged from now on
            present = new ArrayList<>(slots.descendingKeySet());
        } finally {
            lock.unlock();
        }
        for (PciAddress address : present) {
            try {
                remove(address);
            } catch (IllegalArgumentException goneMeanwhile) {
                LOG.debug("{} was unplugged meanwhile", address);
            }
        }
        interrupts.close();
        if (refused != null) {
            refused.withdraw();
        }
    }
}

package org.devrt.ethernet.e1000;

import java.io.IOException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.NetworkDevice;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.hw.Registers;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Intel 8254x driver: the {@link PciDriver} the device manager attaches to the functions whose ids
 * {@code bnd.bnd} declares. Attach is probe, acquire, initialise, publish; detach undoes it in reverse.
 */
// No configuration (so SCR gets no ConfigurationAdmin in this bundle's name) and EventAdmin through ServiceObjects
// (reference scope PROTOTYPE): Felix 7.0.5 keeps a record at use count 0 of every BundleContext.getService/ungetService
// pair, keyed by the bundle, past its uninstall; a ServiceObjects unget to 0 removes it.
@Component(service = PciDriver.class, property = DeviceService.DRIVER_ID + "=" + E1000Driver.ID,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public final class E1000Driver implements PciDriver {
    static final String ID = "e1000";
    static final int RX_RING_SIZE = 256;
    static final int TX_RING_SIZE = 256;
    private static final Logger LOG = LoggerFactory.getLogger(E1000Driver.class);

    /** Registers a device service; returns what unregisters it. Package-private so tests can stand in for OSGi. */
    @FunctionalInterface
    interface Publisher {
        Runnable publish(NetworkDevice device, Map<String, Object> properties);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            scope = ReferenceScope.PROTOTYPE)
    volatile EventAdmin eventAdmin;

    Publisher publisher;
    int rxRingSize = RX_RING_SIZE;
    int txRingSize = TX_RING_SIZE;

    @Activate
    void activate(BundleContext context) {
        publisher = (device, properties) -> {
            ServiceRegistration<NetworkDevice> registration =
                    context.registerService(NetworkDevice.class, device, new Hashtable<>(properties));
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // already unregistered: our bundle is stopping
                }
            };
        };
    }

    @Override
    public DriverAttachment attach(PciFunction function, DriverContext context) throws Exception {
        // 1. Probe: one of our ids, with its registers in a memory BAR 0.
        String model = probe(function);
        // 2. Acquire: registers, DMA memory, the interrupt line; decode memory and master the bus.
        Registers regs = new Registers(function.bar(0), E1000Regs.NAMES);
        RegisterIo io = ioWindow(function);
        DmaMemory dma = function.dmaMemory();
        InterruptLine irq = function.interruptLine();
        ConfigSpace config = function.config();
        enableDevice(config, io != null);
        // 3. Initialise (E1000Init.resetAndInit) and start.
        String deviceId = context.deviceId();
        E1000Nic nic;
        try {
            nic = E1000Nic.open(regs, io, dma, irq, deviceId, rxRingSize, txRingSize, up -> postLink(context, up));
        } catch (IOException | RuntimeException e) {
            disableDevice(config, deviceId);
            throw e;
        }
        // 4. Publish one NetworkDevice.
        Map<String, Object> properties = new HashMap<>(context.serviceProperties());
        properties.put(DeviceService.DEVICE_TYPE, DeviceService.TYPE_NETWORK);
        properties.put(DeviceService.DESCRIPTION, "Intel " + model);
        Runnable unpublish;
        try {
            unpublish = publisher.publish(nic, properties);
        } catch (RuntimeException e) {
            nic.close();
            disableDevice(config, deviceId);
            throw e;
        }
        LOG.info("{}: Intel {} at {}, MAC {}, link {}", deviceId, model, function.address(), nic.macAddress(),
                nic.isLinkUp() ? "up" : "down");
        return () -> {
            unpublish.run(); // consumers stop using the port first
            nic.close();
            disableDevice(config, deviceId);
            LOG.info("{}: detached", deviceId);
        };
    }

    /** The model name if this driver drives {@code function}; else an exception that says why not. */
    static String probe(PciFunction function) throws IOException {
        String model = E1000Regs.DEVICES.get(function.deviceId());
        if (function.vendorId() != E1000Regs.VENDOR_INTEL || model == null) {
            throw new IOException(String.format("%04x:%04x is not an 8254x this driver supports",
                    function.vendorId(), function.deviceId()));
        }
        List<BarInfo> bars = function.bars();
        if (bars.isEmpty() || bars.get(0).index() != 0 || bars.get(0).kind() == BarInfo.Kind.IO) {
            throw new IOException("the " + model + " at " + function.address() + " has no memory BAR 0");
        }
        return model;
    }

    /**
     * BAR 1's I/O window (IOADDR/IODATA), through which the controller is reset as Linux resets the 82540 and its
     * kin; null when the function has none (its reset then goes through BAR 0).
     */
    private static RegisterIo ioWindow(PciFunction function) {
        for (BarInfo bar : function.bars()) {
            if (bar.index() == 1 && bar.kind() == BarInfo.Kind.IO) {
                try {
                    return function.bar(1);
                } catch (IOException e) {
                    LOG.debug("{}: no I/O window ({}); resets go through BAR 0", function.address(), e.getMessage());
                }
            }
        }
        return null;
    }

    /** COMMAND bit 0: the function responds to I/O-space accesses. */
    private static final int COMMAND_IO_SPACE = 1;

    /** COMMAND: memory space (and I/O space, if used) on, bus master on (the rings are DMA), INTx not disabled. */
    private static void enableDevice(ConfigSpace config, boolean ioSpace) throws IOException {
        if (!config.isWritable()) {
            throw new IOException("configuration space is read-only: cannot enable memory space and bus mastering");
        }
        int command = config.read16(ConfigSpace.COMMAND);
        int enable = ConfigSpace.COMMAND_MEMORY_SPACE | ConfigSpace.COMMAND_BUS_MASTER | (ioSpace ? COMMAND_IO_SPACE : 0);
        config.write16(ConfigSpace.COMMAND, (command | enable) & ~ConfigSpace.COMMAND_INTX_DISABLE);
    }

    /** Turns bus mastering off, so nothing the device still had queued can reach memory; tolerates a gone device. */
    private static void disableDevice(ConfigSpace config, String deviceId) {
        try {
            config.write16(ConfigSpace.COMMAND, config.read16(ConfigSpace.COMMAND) & ~ConfigSpace.COMMAND_BUS_MASTER);
        } catch (RuntimeException e) {
            LOG.debug("{}: could not clear bus mastering: {}", deviceId, e.toString());
        }
    }

    private void postLink(DriverContext context, boolean up) {
        EventAdmin events = eventAdmin;
        if (events == null) {
            return;
        }
        Map<String, Object> properties = new HashMap<>(context.serviceProperties());
        properties.put(DeviceEvents.DEVICE_TYPE, DeviceService.TYPE_NETWORK);
        properties.put(DeviceEvents.LINK_UP, up);
        try {
            events.postEvent(new Event(DeviceEvents.LINK, properties));
        } catch (RuntimeException e) {
            LOG.debug("{}: link event not posted: {}", context.deviceId(), e.toString());
        }
    }
}

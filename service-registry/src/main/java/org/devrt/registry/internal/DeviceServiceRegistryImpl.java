package org.devrt.registry.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import org.devrt.device.DeviceEvents;
import org.devrt.device.DeviceService;
import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.DeviceServiceRegistry;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceServiceRegistry}, kept from the OSGi service registry: every service that carries
 * {@link DeviceService#DEVICE_ID} is recorded while it is registered. Nobody calls in to register.
 *
 * <p>Each arrival and departure is logged and posted to EventAdmin (when there is one) as
 * {@link DeviceEvents#SERVICE_AVAILABLE} or {@link DeviceEvents#SERVICE_GONE}. A modification that changes
 * what is recorded is posted as the old record gone and the new one available.
 *
 * <p>Start-up race: the listener is added before the existing services are scanned, so a service that
 * arrives meanwhile is seen by the listener, the scan or both; adds are idempotent by service id. A service
 * that leaves while the scan runs is remembered until the scan ends, so the scan cannot record it again.
 */
@Component(immediate = true, service = DeviceServiceRegistry.class)
public final class DeviceServiceRegistryImpl implements DeviceServiceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceServiceRegistryImpl.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    private final ConcurrentSkipListMap<Long, DeviceServiceRecord> records = new ConcurrentSkipListMap<>();
    private final ServiceListener listener = this::serviceChanged;
    private final Object lock = new Object();
    /** Ids of services that left while the initial scan ran; null outside the scan. Guarded by {@link #lock}. */
    private Set<Long> goneDuringScan;
    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) throws InvalidSyntaxException {
        this.context = bundleContext;
        synchronized (lock) {
            goneDuringScan = new HashSet<>();
        }
        bundleContext.addServiceListener(listener, DeviceService.FILTER_ANY);
        try {
            ServiceReference<?>[] existing = bundleContext.getServiceReferences((String) null, DeviceService.FILTER_ANY);
            for (ServiceReference<?> reference : existing == null ? new ServiceReference<?>[0] : existing) {
                found(reference);
            }
        } finally {
            synchronized (lock) {
                goneDuringScan = null;
            }
        }
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(listener);
        records.clear();
    }

    @Override
    public List<DeviceServiceRecord> all() {
        return List.copyOf(records.values());
    }

    @Override
    public List<DeviceServiceRecord> byType(String type) {
        Objects.requireNonNull(type, "type");
        return select(r -> r.type().equals(type));
    }

    @Override
    public List<DeviceServiceRecord> byDevice(String deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        return select(r -> r.deviceId().equals(deviceId));
    }

    @Override
    public List<DeviceServiceRecord> byBundle(long bundleId) {
        return select(r -> r.bundleId() == bundleId);
    }

    private List<DeviceServiceRecord> select(Predicate<DeviceServiceRecord> condition) {
        return records.values().stream().filter(condition).toList();
    }

    private void serviceChanged(ServiceEvent event) {
        switch (event.getType()) {
            case ServiceEvent.REGISTERED, ServiceEvent.MODIFIED -> registered(event.getServiceReference());
            case ServiceEvent.UNREGISTERING, ServiceEvent.MODIFIED_ENDMATCH -> unregistered(event.getServiceReference());
            default -> { /* no other event types exist */ }
        }
    }

    /** A service found by the initial scan: recorded unless the listener has recorded or removed it already. */
    private void found(ServiceReference<?> reference) {
        DeviceServiceRecord record = recordOf(reference);
        if (record == null) {
            return;
        }
        synchronized (lock) {
            if (goneDuringScan.contains(record.serviceId())
                    || records.putIfAbsent(record.serviceId(), record) != null) {
                return;
            }
        }
        announce(DeviceEvents.SERVICE_AVAILABLE, record);
    }

    private void registered(ServiceReference<?> reference) {
        DeviceServiceRecord record = recordOf(reference);
        if (record == null) {
            return;
        }
        DeviceServiceRecord previous;
        synchronized (lock) {
            previous = records.put(record.serviceId(), record);
        }
        // (the null test first: a record's equals links through a method-handle bootstrap on its first call,
        // dozens of classes spun while the runtime boots, for a first registration that has no previous record)
        if (previous != null && record.equals(previous)) {
            return;
        }
        if (previous != null) {
            announce(DeviceEvents.SERVICE_GONE, previous);
        }
        announce(DeviceEvents.SERVICE_AVAILABLE, record);
    }

    private void unregistered(ServiceReference<?> reference) {
        long serviceId = (Long) reference.getProperty(Constants.SERVICE_ID);
        DeviceServiceRecord previous;
        synchronized (lock) {
            if (goneDuringScan != null) {
                goneDuringScan.add(serviceId);
            }
            previous = records.remove(serviceId);
        }
        if (previous != null) {
            announce(DeviceEvents.SERVICE_GONE, previous);
        }
    }

    private void announce(String topic, DeviceServiceRecord record) {
        String change = topic.equals(DeviceEvents.SERVICE_AVAILABLE) ? "available from" : "no longer available from";
        LOG.info("{} device {} {} {} (service {})", record.type(), record.deviceId(), change,
                record.bundleSymbolicName(), record.serviceId());
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        Map<String, Object> properties = Map.of(
                DeviceEvents.DEVICE_ID, record.deviceId(),
                DeviceEvents.DEVICE_TYPE, record.type(),
                DeviceEvents.DRIVER_ID, record.driverId(),
                DeviceEvents.SERVICE_ID, record.serviceId());
        try {
            admin.postEvent(new Event(topic, properties));
        } catch (IllegalStateException e) {
            LOG.debug("EventAdmin went away; {} for service {} not posted", topic, record.serviceId(), e);
        }
    }

    /** What is recorded for a device service, or null when it has already been unregistered. */
    static DeviceServiceRecord recordOf(ServiceReference<?> reference) {
        Bundle bundle = reference.getBundle();
        if (bundle == null) {
            return null;
        }
        String[] objectClass = (String[]) reference.getProperty(Constants.OBJECTCLASS);
        return new DeviceServiceRecord(
                (Long) reference.getProperty(Constants.SERVICE_ID),
                property(reference, DeviceService.DEVICE_TYPE, "unknown"),
                String.join(",", objectClass),
                property(reference, DeviceService.DEVICE_ID, ""),
                property(reference, DeviceService.PCI_ADDRESS, ""),
                property(reference, DeviceService.DRIVER_ID, ""),
                bundle.getBundleId(),
                Objects.requireNonNullElse(bundle.getSymbolicName(), "bundle " + bundle.getBundleId()));
    }

    private static String property(ServiceReference<?> reference, String key, String absent) {
        Object value = reference.getProperty(key);
        return value == null ? absent : String.valueOf(value);
    }
}

package org.devrt.emulator.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.devrt.device.DeviceService;
import org.devrt.pci.DriverAttachment;
import org.devrt.pci.DriverContext;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciDriver;
import org.devrt.pci.PciFunction;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The emulated machine for the block and NIC benchmarks, on a plain JVM: the machine as the runtime configures it,
 * and a driver attached to a plugged function as the device manager attaches it (access grant, driver context),
 * after SCR's part is played by hand: the driver's {@code activate} method is called with a tiny fake
 * {@link BundleContext} that keeps the services the driver registers. It sits in the emulator's package only
 * because the machine's constructor (its memory, its table of built-in models) and its shutdown are
 * package-private; it uses nothing else of the emulator's internals, and nothing of the drivers' but their public
 * {@link PciDriver} class.
 */
public final class DriverBenchMachines {
    private DriverBenchMachines() {
    }

    /** A driver attached to one plugged function, with the services of type {@code S} it registered. */
    public static final class Attached<S> implements AutoCloseable {
        private final PciFunction.AccessGrant grant;
        private final DriverAttachment attachment;
        private final List<S> services;

        Attached(PciFunction.AccessGrant grant, DriverAttachment attachment, List<S> services) {
            this.grant = grant;
            this.attachment = attachment;
            this.services = services;
        }

        /** The one service the driver registered (the first, if several). */
        public S service() {
            if (services.isEmpty()) {
                throw new IllegalStateException("the driver registered no service");
            }
            return services.get(0);
        }

        /** Detaches the driver and ends its access grant. */
        @Override
        public void close() {
            try {
                attachment.detach();
            } finally {
                grant.close();
            }
        }
    }

    /**
     * Plugs {@code model} at {@code address} with {@code options} and attaches {@code driver}, a newly constructed
     * component, as the device manager would: SCR's activation first (its {@code activate} method, with a fake
     * bundle context and the configuration's defaults), then an access grant and
     * {@link PciDriver#attach(PciFunction, DriverContext)} with the device manager's service properties.
     */
    public static <S> Attached<S> attach(Machine machine, String address, String model, Map<String, String> options,
            PciDriver driver, String driverId, Class<S> service) throws Exception {
        PciAddress pci = PciAddress.parse(address);
        List<S> services = new CopyOnWriteArrayList<>();
        activate(driver, fakeContext(service, services));
        PciFunction function = machine.plug(pci, model, options);
        PciFunction.AccessGrant grant = function.grantAccess();
        String deviceId = "emulated/" + pci;
        DriverContext context = new BenchContext(deviceId, Map.of(DeviceService.DEVICE_ID, deviceId,
                DeviceService.PCI_ADDRESS, pci.toString(), DeviceService.DRIVER_ID, driverId));
        try {
            return new Attached<>(grant, driver.attach(grant.function(), context), services);
        } catch (Exception | Error e) {
            grant.close();
            throw e;
        }
    }

    private record BenchContext(String deviceId, Map<String, Object> serviceProperties) implements DriverContext {
        @Override
        public void problem(String problem) {
            throw new IllegalStateException("the driver under benchmark reported a problem: " + problem);
        }
    }

    /**
     * What SCR does on activation: calls the component's {@code activate} method, whatever its visibility, with the
     * bundle context for a {@link BundleContext} parameter, a proxy answering each element's default for a
     * component property type (an annotation), and an empty map for a {@link Map}.
     */
    private static void activate(Object component, BundleContext context) throws Exception {
        for (Class<?> c = component.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.getName().equals("activate")) {
                    continue;
                }
                Class<?>[] types = m.getParameterTypes();
                Object[] args = new Object[types.length];
                for (int i = 0; i < types.length; i++) {
                    if (types[i] == BundleContext.class) {
                        args[i] = context;
                    } else if (types[i].isAnnotation()) {
                        args[i] = defaults(types[i]);
                    } else if (types[i] == Map.class) {
                        args[i] = Map.of();
                    } else {
                        throw new IllegalArgumentException(m + ": cannot supply a " + types[i].getName());
                    }
                }
                m.setAccessible(true);
                try {
                    m.invoke(component, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception x ? x : e;
                }
                return;
            }
        }
    }

    /** A component property type whose every element has its default value, as SCR gives with no configuration. */
    private static Object defaults(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + " (defaults)";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return method.getDefaultValue();
            }
        });
    }

    /**
     * A bundle context that can do one thing, register a service: services of type {@code type} land in
     * {@code into} until unregistered. Anything else a driver asks of it throws.
     */
    private static <S> BundleContext fakeContext(Class<S> type, List<S> into) {
        return (BundleContext) Proxy.newProxyInstance(DriverBenchMachines.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "registerService":
                            return register(type, into, args[1], names(args[0]));
                        case "toString":
                            return "fake bundle context";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("the benchmarks' bundle context has no "
                                    + method.getName());
                    }
                });
    }

    private static List<String> names(Object clazz) {
        List<String> names = new ArrayList<>();
        if (clazz instanceof Class<?> c) {
            names.add(c.getName());
        } else if (clazz instanceof String s) {
            names.add(s);
        } else if (clazz instanceof String[] a) {
            names.addAll(List.of(a));
        }
        return names;
    }

    private static <S> ServiceRegistration<?> register(Class<S> type, List<S> into, Object service, List<String> names) {
        S s = names.contains(type.getName()) ? type.cast(service) : null;
        if (s != null) {
            into.add(s);
        }
        return (ServiceRegistration<?>) Proxy.newProxyInstance(DriverBenchMachines.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "unregister":
                            if (s != null && !into.remove(s)) {
                                throw new IllegalStateException("already unregistered");
                            }
                            return null;
                        case "setProperties":
                            return null;
                        case "toString":
                            return "registration of " + names;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}

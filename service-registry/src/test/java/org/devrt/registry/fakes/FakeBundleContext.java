package org.devrt.registry.fakes;

import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * A bundle context over a list of bundles and a tiny service registry. {@link #register}, {@link #modify} and
 * {@link #unregister} fire service events to the listeners whose filter matches, synchronously, as Felix does.
 */
public final class FakeBundleContext implements BundleContext {
    private final Bundle bundle;
    private final List<Bundle> bundles = new CopyOnWriteArrayList<>();
    private final Map<String, String> properties = new HashMap<>();
    private final Map<ServiceListener, Filter> serviceListeners = new LinkedHashMap<>();
    private final List<FakeServiceReference> services = new CopyOnWriteArrayList<>();
    private final List<FrameworkListener> frameworkListeners = new CopyOnWriteArrayList<>();
    private Runnable beforeServiceQueryAnswer = () -> { };
    private Runnable afterServiceQueryAnswer = () -> { };

    /** @param bundle the bundle whose context this is; it is also the first of {@link #getBundles()} */
    public FakeBundleContext(Bundle bundle) {
        this.bundle = bundle;
        bundles.add(bundle);
    }

    public FakeBundleContext addBundle(Bundle other) {
        bundles.add(other);
        return this;
    }

    public FakeBundleContext property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Runs {@code action} inside each service query, before the answer is taken: a race made certain. */
    public void beforeServiceQueryAnswer(Runnable action) {
        this.beforeServiceQueryAnswer = action;
    }

    /** Runs {@code action} inside each service query, after the answer is taken: a race made certain. */
    public void afterServiceQueryAnswer(Runnable action) {
        this.afterServiceQueryAnswer = action;
    }

    public void register(FakeServiceReference reference) {
        services.add(reference);
        fire(ServiceEvent.REGISTERED, reference);
    }

    public void modify(FakeServiceReference reference, Map<String, ?> newProperties) {
        List<ServiceListener> matchedBefore = new ArrayList<>();
        listeners().forEach((listener, filter) -> {
            if (filter.match(reference)) {
                matchedBefore.add(listener);
            }
        });
        reference.setProperties(newProperties);
        listeners().forEach((listener, filter) -> {
            if (filter.match(reference)) {
                listener.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED, reference));
            } else if (matchedBefore.contains(listener)) {
                listener.serviceChanged(new ServiceEvent(ServiceEvent.MODIFIED_ENDMATCH, reference));
            }
        });
    }

    public void unregister(FakeServiceReference reference) {
        fireUnregistering(reference);
        services.remove(reference);
        reference.unregistered();
    }

    /** The first half of {@link #unregister}: listeners hear of it while the service is still registered. */
    public void fireUnregistering(FakeServiceReference reference) {
        fire(ServiceEvent.UNREGISTERING, reference);
    }

    public void fire(FrameworkEvent event) {
        frameworkListeners.forEach(listener -> listener.frameworkEvent(event));
    }

    public int serviceListenerCount() {
        return serviceListeners.size();
    }

    public int frameworkListenerCount() {
        return frameworkListeners.size();
    }

    private void fire(int type, FakeServiceReference reference) {
        listeners().forEach((listener, filter) -> {
            if (filter.match(reference)) {
                listener.serviceChanged(new ServiceEvent(type, reference));
            }
        });
    }

    private synchronized Map<ServiceListener, Filter> listeners() {
        return new LinkedHashMap<>(serviceListeners);
    }

    @Override
    public synchronized void addServiceListener(ServiceListener listener, String filter) throws InvalidSyntaxException {
        serviceListeners.put(listener, FrameworkUtil.createFilter(filter == null ? "(objectClass=*)" : filter));
    }

    @Override
    public void addServiceListener(ServiceListener listener) {
        try {
            addServiceListener(listener, null);
        } catch (InvalidSyntaxException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public synchronized void removeServiceListener(ServiceListener listener) {
        serviceListeners.remove(listener);
    }

    @Override
    public ServiceReference<?>[] getServiceReferences(String clazz, String filter) throws InvalidSyntaxException {
        Filter condition = FrameworkUtil.createFilter(filter == null ? "(objectClass=*)" : filter);
        beforeServiceQueryAnswer.run();
        List<ServiceReference<?>> found = new ArrayList<>();
        for (FakeServiceReference reference : services) {
            if (condition.match(reference)
                    && (clazz == null || List.of((String[]) reference.getProperty("objectClass")).contains(clazz))) {
                found.add(reference);
            }
        }
        afterServiceQueryAnswer.run();
        return found.isEmpty() ? null : found.toArray(new ServiceReference<?>[0]);
    }

    @Override
    public void addFrameworkListener(FrameworkListener listener) {
        frameworkListeners.add(listener);
    }

    @Override
    public void removeFrameworkListener(FrameworkListener listener) {
        frameworkListeners.remove(listener);
    }

    @Override
    public String getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public Bundle getBundle(long id) {
        return bundles.stream().filter(b -> b.getBundleId() == id).findFirst().orElse(null);
    }

    @Override
    public Bundle getBundle(String location) {
        return bundles.stream().filter(b -> location.equals(b.getLocation())).findFirst().orElse(null);
    }

    @Override
    public Bundle[] getBundles() {
        return bundles.toArray(new Bundle[0]);
    }

    @Override
    public Filter createFilter(String filter) throws InvalidSyntaxException {
        return FrameworkUtil.createFilter(filter);
    }

    // Not needed by the tests.

    @Override public Bundle installBundle(String location, InputStream input) { throw unsupported(); }
    @Override public Bundle installBundle(String location) { throw unsupported(); }
    @Override public void addBundleListener(BundleListener listener) { throw unsupported(); }
    @Override public void removeBundleListener(BundleListener listener) { throw unsupported(); }
    @Override public ServiceRegistration<?> registerService(String[] c, Object s, Dictionary<String, ?> p) { throw unsupported(); }
    @Override public ServiceRegistration<?> registerService(String c, Object s, Dictionary<String, ?> p) { throw unsupported(); }
    @Override public <S> ServiceRegistration<S> registerService(Class<S> c, S s, Dictionary<String, ?> p) { throw unsupported(); }
    @Override public <S> ServiceRegistration<S> registerService(Class<S> c, ServiceFactory<S> f, Dictionary<String, ?> p) { throw unsupported(); }
    @Override public ServiceReference<?>[] getAllServiceReferences(String clazz, String filter) { throw unsupported(); }
    @Override public ServiceReference<?> getServiceReference(String clazz) { throw unsupported(); }
    @Override public <S> ServiceReference<S> getServiceReference(Class<S> clazz) { throw unsupported(); }
    @Override public <S> Collection<ServiceReference<S>> getServiceReferences(Class<S> clazz, String filter) { throw unsupported(); }
    @Override public <S> S getService(ServiceReference<S> reference) { throw unsupported(); }
    @Override public boolean ungetService(ServiceReference<?> reference) { throw unsupported(); }
    @Override public <S> ServiceObjects<S> getServiceObjects(ServiceReference<S> reference) { throw unsupported(); }
    @Override public File getDataFile(String name) { throw unsupported(); }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not faked");
    }
}

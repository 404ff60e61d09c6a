package org.devrt.registry.fakes;

import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.security.cert.X509Certificate;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/** A bundle with an id, a symbolic name, a state, headers, and the objects it adapts to. */
public final class FakeBundle implements Bundle {
    private final long id;
    private final String symbolicName;
    private final Hashtable<String, String> headers = new Hashtable<>();
    private final Map<Class<?>, Object> adaptations = new HashMap<>();
    private String location;
    private int state = ACTIVE;
    private final java.util.List<ServiceReference<?>> registered = new java.util.ArrayList<>();

    public FakeBundle(long id, String symbolicName) {
        this.id = id;
        this.symbolicName = symbolicName;
        this.location = "fake:" + symbolicName;
    }

    public FakeBundle state(int newState) {
        this.state = newState;
        return this;
    }

    public FakeBundle location(String newLocation) {
        this.location = newLocation;
        return this;
    }

    /** {@link #getRegisteredServices()} includes {@code reference}. */
    public FakeBundle registers(ServiceReference<?> reference) {
        registered.add(reference);
        return this;
    }

    public FakeBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** {@link #adapt(Class)} answers {@code adaptation} for {@code type}. */
    public <A> FakeBundle adaptsTo(Class<A> type, A adaptation) {
        adaptations.put(type, adaptation);
        return this;
    }

    @Override
    public int getState() {
        return state;
    }

    @Override
    public long getBundleId() {
        return id;
    }

    @Override
    public String getSymbolicName() {
        return symbolicName;
    }

    @Override
    public String getLocation() {
        return location;
    }

    @Override
    public Dictionary<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Dictionary<String, String> getHeaders(String locale) {
        return headers;
    }

    @Override
    public Version getVersion() {
        return Version.emptyVersion;
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return type.cast(adaptations.get(type));
    }

    @Override
    public int compareTo(Bundle other) {
        return Long.compare(id, other.getBundleId());
    }

    @Override
    public String toString() {
        return symbolicName + " [" + id + "]";
    }

    // Not needed by the tests.

    @Override public void start(int options) { throw unsupported(); }
    @Override public void start() { throw unsupported(); }
    @Override public void stop(int options) { throw unsupported(); }
    @Override public void stop() { throw unsupported(); }
    @Override public void update(InputStream input) { throw unsupported(); }
    @Override public void update() { throw unsupported(); }
    @Override public void uninstall() { throw unsupported(); }
    @Override public ServiceReference<?>[] getRegisteredServices() {
        return registered.isEmpty() ? null : registered.toArray(new ServiceReference<?>[0]);
    }
    @Override public ServiceReference<?>[] getServicesInUse() { throw unsupported(); }
    @Override public boolean hasPermission(Object permission) { throw unsupported(); }
    @Override public URL getResource(String name) { throw unsupported(); }
    @Override public Class<?> loadClass(String name) { throw unsupported(); }
    @Override public Enumeration<URL> getResources(String name) { throw unsupported(); }
    @Override public Enumeration<String> getEntryPaths(String path) { throw unsupported(); }
    @Override public URL getEntry(String path) { throw unsupported(); }
    @Override public long getLastModified() { throw unsupported(); }
    @Override public Enumeration<URL> findEntries(String path, String pattern, boolean recurse) { throw unsupported(); }
    @Override public BundleContext getBundleContext() { throw unsupported(); }
    @Override public Map<X509Certificate, List<X509Certificate>> getSignerCertificates(int type) { throw unsupported(); }
    @Override public File getDataFile(String name) { throw unsupported(); }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not faked");
    }
}

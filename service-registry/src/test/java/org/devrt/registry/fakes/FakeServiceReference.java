package org.devrt.registry.fakes;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A service reference with properties; {@link #getBundle()} turns null once unregistered, as in a framework. */
public final class FakeServiceReference implements ServiceReference<Object> {
    private final long serviceId;
    private final String[] objectClass;
    private volatile Hashtable<String, Object> properties;
    private volatile Bundle bundle;

    public FakeServiceReference(long serviceId, Bundle bundle, String[] objectClass, Map<String, ?> properties) {
        this.serviceId = serviceId;
        this.bundle = bundle;
        this.objectClass = objectClass.clone();
        setProperties(properties);
    }

    /** Replaces the properties; service.id and objectClass stay. */
    public void setProperties(Map<String, ?> newProperties) {
        Hashtable<String, Object> table = new Hashtable<>(newProperties);
        table.put(Constants.SERVICE_ID, serviceId);
        table.put(Constants.OBJECTCLASS, objectClass.clone());
        this.properties = table;
    }

    void unregistered() {
        bundle = null;
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return properties.keySet().toArray(new String[0]);
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(properties);
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public boolean isAssignableTo(Bundle other, String className) {
        return true;
    }

    @Override
    public int compareTo(Object other) {
        return Long.compare(((FakeServiceReference) other).serviceId, serviceId); // lower id ranks higher
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public <A> A adapt(Class<A> type) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public String toString() {
        return "service " + serviceId + " " + Collections.list(properties.keys());
    }
}

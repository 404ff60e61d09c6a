package org.devrt.system.internal.diag;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;

/** The system bundle's wiring, which knows the providers it was told of and no others. */
final class FakeFrameworkWiring implements FrameworkWiring {
    private final Bundle systemBundle;
    private final Map<Requirement, List<BundleCapability>> providers = new HashMap<>();

    FakeFrameworkWiring(Bundle systemBundle) {
        this.systemBundle = systemBundle;
    }

    void provide(Requirement requirement, BundleCapability... capabilities) {
        providers.put(requirement, List.of(capabilities));
    }

    @Override
    public Collection<BundleCapability> findProviders(Requirement requirement) {
        return providers.getOrDefault(requirement, List.of());
    }

    @Override
    public Bundle getBundle() {
        return systemBundle;
    }

    @Override
    public void refreshBundles(Collection<Bundle> bundles, FrameworkListener... listeners) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public boolean resolveBundles(Collection<Bundle> bundles) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public Collection<Bundle> getRemovalPendingBundles() {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public Collection<Bundle> getDependencyClosure(Collection<Bundle> bundles) {
        throw new UnsupportedOperationException("not faked");
    }
}

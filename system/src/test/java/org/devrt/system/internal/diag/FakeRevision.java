package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;

/** A revision that declares the requirements and capabilities it is given; it has no wiring. */
final class FakeRevision implements BundleRevision {
    private final Bundle bundle;
    private final int types;
    private final List<BundleRequirement> requirements = new ArrayList<>();
    private final List<BundleCapability> capabilities = new ArrayList<>();

    FakeRevision(Bundle bundle, int types) {
        this.bundle = bundle;
        this.types = types;
    }

    /** Declares a requirement; directives are given as name, value, name, value... */
    BundleRequirement require(String namespace, String filter, String... directives) {
        Map<String, String> all = new HashMap<>();
        all.put("filter", filter);
        for (int i = 0; i < directives.length; i += 2) {
            all.put(directives[i], directives[i + 1]);
        }
        BundleRequirement requirement = new Declaration(this, namespace, Map.copyOf(all));
        requirements.add(requirement);
        return requirement;
    }

    BundleCapability provide(String namespace) {
        BundleCapability capability = new Declaration(this, namespace, Map.of());
        capabilities.add(capability);
        return capability;
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public String getSymbolicName() {
        return bundle.getSymbolicName();
    }

    @Override
    public Version getVersion() {
        return Version.emptyVersion;
    }

    @Override
    public List<BundleCapability> getDeclaredCapabilities(String namespace) {
        return capabilities.stream().filter(c -> namespace == null || c.getNamespace().equals(namespace)).toList();
    }

    @Override
    public List<BundleRequirement> getDeclaredRequirements(String namespace) {
        return requirements.stream().filter(r -> namespace == null || r.getNamespace().equals(namespace)).toList();
    }

    @Override
    public int getTypes() {
        return types;
    }

    @Override
    public BundleWiring getWiring() {
        return null;
    }

    @Override
    public List<Capability> getCapabilities(String namespace) {
        return List.copyOf(getDeclaredCapabilities(namespace));
    }

    @Override
    public List<Requirement> getRequirements(String namespace) {
        return List.copyOf(getDeclaredRequirements(namespace));
    }

    /**
     * A requirement or a capability: the fakes need the same few fields of both. Identity, not the record's
     * value equality, tells two declarations apart, as in a framework.
     */
    private record Declaration(BundleRevision revision, String namespace, Map<String, String> directives)
            implements BundleRequirement, BundleCapability {
        @Override
        public BundleRevision getRevision() {
            return revision;
        }

        @Override
        public BundleRevision getResource() {
            return revision;
        }

        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return directives;
        }

        @Override
        public Map<String, Object> getAttributes() {
            return Map.of();
        }

        @Override
        public boolean matches(BundleCapability capability) {
            throw new UnsupportedOperationException("not faked: the framework wiring answers");
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}

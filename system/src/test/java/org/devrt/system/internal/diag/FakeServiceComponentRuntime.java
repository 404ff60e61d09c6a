package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

/** SCR's runtime view over the components and configurations it is given. */
final class FakeServiceComponentRuntime implements ServiceComponentRuntime {
    private final List<ComponentDescriptionDTO> components = new ArrayList<>();
    private final Map<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations = new IdentityHashMap<>();
    private final Set<String> disabled = new HashSet<>();

    void add(ComponentDescriptionDTO component, ComponentConfigurationDTO... componentConfigurations) {
        components.add(component);
        configurations.put(component, List.of(componentConfigurations));
    }

    void disable(String name) {
        disabled.add(name);
    }

    @Override
    public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
        return components.stream().filter(c -> bundles.length == 0
                || Arrays.stream(bundles).anyMatch(b -> b.getBundleId() == c.bundle.id)).toList();
    }

    @Override
    public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO description) {
        return configurations.getOrDefault(description, List.of());
    }

    @Override
    public boolean isComponentEnabled(ComponentDescriptionDTO description) {
        return !disabled.contains(description.name);
    }

    @Override
    public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public Promise<Void> enableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException("not faked");
    }

    @Override
    public Promise<Void> disableComponent(ComponentDescriptionDTO description) {
        throw new UnsupportedOperationException("not faked");
    }
}

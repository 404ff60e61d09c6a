package org.devrt.itests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/** What Declarative Services says is wrong with the components of some bundles. */
final class Components {

    private Components() {
    }

    /** One line per component that is not satisfied or active, naming why; empty when all are fine. */
    static List<String> problems(ServiceComponentRuntime scr, Collection<Bundle> bundles) {
        List<String> problems = new ArrayList<>();
        for (Bundle bundle : bundles) {
            for (ComponentDescriptionDTO component : scr.getComponentDescriptionDTOs(bundle)) {
                String name = bundle.getSymbolicName() + " component " + component.name;
                if (!scr.isComponentEnabled(component)) {
                    problems.add(name + " is disabled");
                    continue;
                }
                // configuration-policy=require and no configuration yet: no configuration DTO at all. That
                // component waits to be configured; it is not unsatisfied.
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(component)) {
                    if (configuration.state != ComponentConfigurationDTO.SATISFIED
                        && configuration.state != ComponentConfigurationDTO.ACTIVE) {
                        problems.add(name + " is " + stateName(configuration.state) + why(component, configuration));
                    }
                }
            }
        }
        return problems;
    }

    /** The service interface of the named reference of a component. */
    static String interfaceOf(ComponentDescriptionDTO component, String reference) {
        return Arrays.stream(component.references).filter(r -> r.name.equals(reference))
            .map(r -> r.interfaceName).findFirst().orElse("?");
    }

    private static String why(ComponentDescriptionDTO component, ComponentConfigurationDTO configuration) {
        StringBuilder why = new StringBuilder();
        for (UnsatisfiedReferenceDTO missing : configuration.unsatisfiedReferences) {
            why.append("; unsatisfied reference ").append(missing.name)
                .append(" to ").append(interfaceOf(component, missing.name));
            if (missing.target != null) {
                why.append(" target ").append(missing.target);
            }
        }
        if (configuration.failure != null) {
            why.append("; failure: ").append(configuration.failure);
        }
        return why.toString();
    }

    static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "state " + state;
        };
    }
}

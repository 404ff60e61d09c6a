package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Why a component is not satisfied, one line per finding, from the DTOs of {@link ServiceComponentRuntime}:
 * disabled, a required configuration missing, unsatisfied references, a failed activation. SCR knows only the
 * components of active bundles.
 */
final class ComponentDiagnosis {
    private static final String REQUIRE = "require";

    private final ServiceComponentRuntime scr;
    private final String configurationFolder;

    /** @param configurationFolder where configuration files go, named in the advice for a missing one */
    ComponentDiagnosis(ServiceComponentRuntime scr, String configurationFolder) {
        this.scr = scr;
        this.configurationFolder = configurationFolder;
    }

    /** The bundle's components, by name. */
    List<ComponentDescriptionDTO> components(Bundle bundle) {
        List<ComponentDescriptionDTO> components = new ArrayList<>(scr.getComponentDescriptionDTOs(bundle));
        components.sort(Comparator.comparing(c -> c.name));
        return components;
    }

    /** Empty when the component is enabled and each of its configurations satisfied or active. */
    List<String> problems(ComponentDescriptionDTO component) {
        String prefix = "component " + component.name + ": ";
        if (!scr.isComponentEnabled(component)) {
            return List.of(prefix + (component.defaultEnabled ? "disabled"
                    : "disabled (its declaration says enabled=\"false\"; something must enable it)"));
        }
        var configurations = scr.getComponentConfigurationDTOs(component);
        if (configurations.isEmpty() && REQUIRE.equals(component.configurationPolicy)) {
            return List.of(prefix + WAITING + " " + noConfiguration(component));
        }
        Set<String> lines = new LinkedHashSet<>(); // several configurations often fail alike
        for (ComponentConfigurationDTO configuration : configurations) {
            switch (configuration.state) {
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                        lines.add(prefix + "missing configuration, " + noConfiguration(component));
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                    for (UnsatisfiedReferenceDTO reference : configuration.unsatisfiedReferences) {
                        lines.add(prefix + unsatisfied(reference, component));
                    }
                }
                case ComponentConfigurationDTO.FAILED_ACTIVATION ->
                        lines.add(prefix + "activation failed: " + rootCause(configuration.failure));
                default -> { /* SATISFIED or ACTIVE */ }
            }
        }
        return List.copyOf(lines);
    }

    /**
     * A component with configuration-policy REQUIRE and no configuration: a mistake if a configuration was meant
     * to be there, normal for a factory PID with no instance yet. The overview counts it apart from failures.
     */
    static final String WAITING = "waits for its configuration:";

    static boolean isWaiting(String problem) {
        return problem.contains(": " + WAITING + " ");
    }

    private String noConfiguration(ComponentDescriptionDTO component) {
        String[] pids = component.configurationPid == null || component.configurationPid.length == 0
                ? new String[] {component.name} : component.configurationPid;
        String named = Arrays.stream(pids).map(pid -> "'" + pid + "'").collect(Collectors.joining(" and "));
        String files = Arrays.stream(pids).map(pid -> configurationFolder + "/" + pid + ".cfg")
                .collect(Collectors.joining(" and "));
        String factories = Arrays.stream(pids).map(pid -> configurationFolder + "/" + pid + "-<name>.cfg")
                .collect(Collectors.joining(" and "));
        return "no configuration with pid " + named + "; create " + files + " (or, for a factory, one "
                + factories + " per instance)";
    }

    private static String unsatisfied(UnsatisfiedReferenceDTO unsatisfied, ComponentDescriptionDTO component) {
        ReferenceDTO declared = component.references == null ? null : Arrays.stream(component.references)
                .filter(r -> r.name.equals(unsatisfied.name)).findFirst().orElse(null);
        StringBuilder text = new StringBuilder("unsatisfied reference '").append(unsatisfied.name).append('\'');
        if (declared != null) {
            text.append(" to ").append(declared.interfaceName).append(", cardinality ").append(declared.cardinality);
        }
        if (unsatisfied.target != null && !unsatisfied.target.isEmpty()) {
            text.append(", target ").append(unsatisfied.target);
        }
        int matching = unsatisfied.targetServices == null ? 0 : unsatisfied.targetServices.length;
        return text.append(matching == 0 ? "; no such service" : "; " + matching + " matching, not enough").toString();
    }

    /**
     * The innermost cause in a failure's stack trace (its last "Caused by:"), else its first line: SCR wraps what
     * a component's constructor threw in an InvocationTargetException, whose own line names nothing.
     */
    private static String rootCause(String text) {
        if (text == null || text.isBlank()) {
            return "(no reason given)";
        }
        List<String> lines = text.strip().lines().toList();
        return lines.stream().filter(l -> l.startsWith("Caused by: ")).reduce((first, last) -> last)
                .map(l -> l.substring("Caused by: ".length())).orElse(lines.get(0));
    }
}

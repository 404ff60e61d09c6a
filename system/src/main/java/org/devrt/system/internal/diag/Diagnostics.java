package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.devrt.registry.condition.ConditionPublisher;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The text of the {@code diag} command: one block per bundle, a header line with name, id and state, then
 * one indented line per finding.
 *
 * <pre>
 * devrt.example [42] INSTALLED
 *   missing package org.example.missing [1.0.0,2.0.0)
 * </pre>
 *
 * Plain Java over the framework objects it is given, so that a test can hand it fakes.
 */
final class Diagnostics {
    private static final String DEFAULT_CONFIGURATION_FOLDER = "conf";

    private final BundleContext context;
    private final BundleDiagnosis bundles;
    private final ComponentDiagnosis components;
    private final FrameworkErrorLog errors;

    Diagnostics(BundleContext context, FrameworkWiring wiring, ServiceComponentRuntime scr, FrameworkErrorLog errors) {
        this.context = context;
        this.bundles = new BundleDiagnosis(wiring);
        this.components = new ComponentDiagnosis(scr, Objects.requireNonNullElse(
                context.getProperty("felix.fileinstall.dir"), DEFAULT_CONFIGURATION_FOLDER));
        this.errors = errors;
    }

    /**
     * Every bundle that is not active, every component that is not satisfied and every problem a bundle reports
     * ({@link ConditionPublisher#PROBLEMS}: a volume not mounted), or a one-line all-good.
     */
    String overview() {
        StringBuilder text = new StringBuilder();
        Bundle[] all = sorted(context.getBundles());
        int failingBundles = 0;
        int componentCount = 0;
        int failingComponents = 0;
        int reportedCount = 0;
        List<String> waiting = new ArrayList<>();
        for (Bundle bundle : all) {
            List<String> findings = new ArrayList<>(bundles.problems(bundle));
            failingBundles += findings.isEmpty() ? 0 : 1;
            List<String> reported = reported(bundle);
            reportedCount += reported.size();
            findings.addAll(reported);
            for (ComponentDescriptionDTO component : components.components(bundle)) {
                List<String> problems = components.problems(component);
                componentCount++;
                if (problems.size() == 1 && ComponentDiagnosis.isWaiting(problems.get(0))) {
                    waiting.add(component.name + " (diag " + bundle.getSymbolicName() + ")");
                    continue;
                }
                failingComponents += problems.isEmpty() ? 0 : 1;
                findings.addAll(problems);
            }
            if (!findings.isEmpty()) {
                text.append(block(bundle, findings));
            }
        }
        String waits = waiting.isEmpty() ? "" : "; " + waiting.size() + " waiting for a configuration: "
                + String.join(", ", waiting);
        if (text.length() == 0) {
            return "all " + all.length + " bundles active, all " + (componentCount - waiting.size())
                    + " components satisfied" + waits + "\n";
        }
        return text.append(failingBundles).append(" of ").append(all.length).append(" bundles not active, ")
                .append(failingComponents).append(" of ").append(componentCount).append(" components not satisfied")
                .append(reportedCount == 0 ? "" : ", " + reportedCount + (reportedCount == 1 ? " problem" : " problems")
                        + " reported").append(waits).append('\n').toString();
    }

    /** The problems {@code bundle}'s readiness conditions report. */
    private static List<String> reported(Bundle bundle) {
        List<String> lines = new ArrayList<>();
        ServiceReference<?>[] registered;
        try {
            registered = bundle.getRegisteredServices();
        } catch (IllegalStateException e) {
            return lines; // uninstalled meanwhile
        }
        for (ServiceReference<?> reference : registered == null ? new ServiceReference<?>[0] : registered) {
            if (reference.getProperty(ConditionPublisher.PROBLEMS) instanceof String[] problems) {
                lines.addAll(Arrays.asList(problems));
            }
        }
        return lines;
    }

    /** A block for each bundle named by id or symbolic name, whether or not something is wrong with it. */
    String report(List<String> selectors) {
        StringBuilder text = new StringBuilder();
        for (String selector : selectors) {
            List<Bundle> selected = select(selector);
            if (selected.isEmpty()) {
                text.append("diag: no bundle '").append(selector)
                        .append("' (give a bundle id or symbolic name; 'lb' lists them)\n");
            }
            for (Bundle bundle : selected) {
                List<String> findings = new ArrayList<>(bundles.problems(bundle));
                findings.addAll(reported(bundle)); // 'diag devrt.vfs' said no problems while 'diag' listed one
                List<ComponentDescriptionDTO> declared = components.components(bundle);
                declared.forEach(component -> findings.addAll(components.problems(component)));
                if (findings.isEmpty()) {
                    findings.add(declared.isEmpty() ? "no problems found"
                            : "no problems found; all " + declared.size() + " components satisfied");
                }
                text.append(block(bundle, findings));
            }
        }
        return text.toString();
    }

    private List<Bundle> select(String selector) {
        if (selector.chars().allMatch(Character::isDigit)) {
            Bundle bundle;
            try {
                bundle = context.getBundle(Long.parseLong(selector));
            } catch (NumberFormatException tooLong) {
                bundle = null;
            }
            return bundle == null ? List.of() : List.of(bundle);
        }
        return Arrays.stream(sorted(context.getBundles()))
                .filter(b -> selector.equals(b.getSymbolicName())).toList();
    }

    private String block(Bundle bundle, List<String> findings) {
        StringBuilder text = new StringBuilder(name(bundle)).append(' ').append(stateName(bundle.getState()))
                .append('\n');
        findings.forEach(finding -> text.append("  ").append(finding).append('\n'));
        errors.lastError(bundle.getBundleId()).ifPresent(e -> text.append("  last error: ").append(e).append('\n'));
        return text.toString();
    }

    /** "devrt.vfs [12]". */
    static String name(Bundle bundle) {
        String symbolicName = bundle.getSymbolicName();
        return (symbolicName == null ? bundle.getLocation() : symbolicName) + " [" + bundle.getBundleId() + "]";
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }

    private static Bundle[] sorted(Bundle[] bundles) {
        Bundle[] copy = bundles.clone();
        Arrays.sort(copy, Comparator.comparingLong(Bundle::getBundleId));
        return copy;
    }
}

package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * Why a bundle is not active, one line per finding: requirements that no capability satisfies, providers that
 * do not resolve themselves, a start level above the framework's. A bundle that is active, a resolved fragment,
 * or lazily started and waiting for its first class load has no findings.
 */
final class BundleDiagnosis {
    private final FrameworkWiring wiring;

    /** @param wiring the system bundle's wiring, asked for the providers of each requirement */
    BundleDiagnosis(FrameworkWiring wiring) {
        this.wiring = wiring;
    }

    List<String> problems(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> isFragment(bundle) ? unattachedFragment(bundle) : unresolved(bundle);
            case Bundle.RESOLVED -> isFragment(bundle) ? List.of() : notStarted(bundle);
            case Bundle.STARTING -> isLazy(bundle) ? List.of()
                    : List.of("starting: its activator's start method has not returned yet");
            case Bundle.STOPPING -> List.of("stopping: its activator's stop method has not returned yet");
            default -> List.of();
        };
    }

    private List<String> unresolved(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of("not resolved, and the framework has no revision of it to inspect");
        }
        List<String> missing = new ArrayList<>();
        Map<String, List<Bundle>> onlyFromUnresolved = new LinkedHashMap<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            if (!neededToResolve(requirement)) {
                continue;
            }
            Collection<BundleCapability> providers = wiring.findProviders(requirement);
            if (providers.isEmpty()) {
                missing.add("missing " + RequirementText.describe(requirement));
            } else if (providers.stream().allMatch(p -> isUnresolvedOther(p, bundle))) {
                onlyFromUnresolved.put(RequirementText.describe(requirement),
                        providers.stream().map(p -> p.getRevision().getBundle()).distinct().toList());
            }
        }
        if (!missing.isEmpty()) {
            return missing;
        }
        if (onlyFromUnresolved.isEmpty()) {
            // Felix resolves a bundle only when it is started or something needs it: a jar just installed had not
            // been tried, and was said to be in a conflict
            return List.of("every requirement has a provider, yet it is not resolved: either nothing has tried yet"
                    + " (it resolves when it is started or needed; 'felix:resolve " + bundle.getBundleId()
                    + "' tries now) or a uses-constraint conflict keeps it out ('start " + bundle.getBundleId()
                    + "' shows the resolver's explanation)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("every requirement has a provider, but some come only from bundles that do not resolve either:");
        onlyFromUnresolved.forEach((what, providers) -> lines.add("  " + what + " only from "
                + providers.stream().map(Diagnostics::name).collect(Collectors.joining(", "))
                + "; see 'diag " + providers.stream().map(p -> String.valueOf(p.getBundleId()))
                        .collect(Collectors.joining(" ")) + "'"));
        return lines;
    }

    private List<String> unattachedFragment(Bundle fragment) {
        BundleRevision revision = fragment.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of("fragment not attached, and the framework has no revision of it to inspect");
        }
        List<String> lines = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(HostNamespace.HOST_NAMESPACE)) {
            Collection<BundleCapability> hosts = wiring.findProviders(requirement);
            if (hosts.isEmpty()) {
                lines.add("missing " + RequirementText.describe(requirement));
            }
            for (BundleCapability host : hosts) {
                Bundle hostBundle = host.getRevision().getBundle();
                lines.add("fragment not attached to its host " + Diagnostics.name(hostBundle)
                        + "; it attaches when the host is refreshed: 'refresh " + hostBundle.getBundleId() + "'");
            }
        }
        return lines;
    }

    private List<String> notStarted(Bundle bundle) {
        BundleStartLevel bundleLevel = bundle.adapt(BundleStartLevel.class);
        FrameworkStartLevel frameworkLevel = wiring.getBundle().adapt(FrameworkStartLevel.class);
        if (bundleLevel == null || frameworkLevel == null) {
            return List.of("resolved but not active");
        }
        int level = bundleLevel.getStartLevel();
        int framework = frameworkLevel.getStartLevel();
        if (level > framework) {
            return List.of("resolved but not active: its start level " + level + " is above the framework's "
                    + framework);
        }
        if (!bundleLevel.isPersistentlyStarted()) {
            return List.of("resolved but not active: nobody started it (start level " + level + ", framework at "
                    + framework + "); 'start " + bundle.getBundleId() + "' starts it");
        }
        return List.of("resolved but not active although marked to start (start level " + level
                + ", framework at " + framework + "): its last start failed");
    }

    /** Requirements the resolver must satisfy: mandatory (not optional, not dynamic), effective at resolve time. */
    static boolean neededToResolve(BundleRequirement requirement) {
        Map<String, String> directives = requirement.getDirectives();
        String resolution = directives.getOrDefault(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE,
                Namespace.RESOLUTION_MANDATORY);
        String effective = directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE,
                Namespace.EFFECTIVE_RESOLVE);
        return resolution.equals(Namespace.RESOLUTION_MANDATORY) && effective.equals(Namespace.EFFECTIVE_RESOLVE);
    }

    private static boolean isUnresolvedOther(BundleCapability capability, Bundle bundle) {
        Bundle provider = capability.getRevision().getBundle();
        return !provider.equals(bundle) && provider.getState() == Bundle.INSTALLED;
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static boolean isLazy(Bundle bundle) {
        String policy = bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY);
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        return policy != null && policy.strip().startsWith(Constants.ACTIVATION_LAZY)
                && level != null && level.isActivationPolicyUsed();
    }
}

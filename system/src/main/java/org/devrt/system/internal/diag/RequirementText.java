package org.devrt.system.internal.diag;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * A requirement as a person reads it: {@code package org.example.foo [1.0.0,2.0.0)} rather than
 * {@code (&(osgi.wiring.package=org.example.foo)(version>=1.0.0)(!(version>=2.0.0)))}.
 *
 * <p>Packages, required bundles and fragment hosts are shown as name and version range, with the raw filter
 * added when it says more than that; every other namespace as namespace and filter.
 */
final class RequirementText {
    private RequirementText() {
    }

    static String describe(Requirement requirement) {
        String namespace = requirement.getNamespace();
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        return switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE ->
                    "package " + nameAndRange(filter, namespace, PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            case BundleNamespace.BUNDLE_NAMESPACE ->
                    "bundle " + nameAndRange(filter, namespace, BundleNamespace.CAPABILITY_BUNDLE_VERSION_ATTRIBUTE);
            case HostNamespace.HOST_NAMESPACE ->
                    "host " + nameAndRange(filter, namespace, HostNamespace.CAPABILITY_BUNDLE_VERSION_ATTRIBUTE);
            default -> filter.isEmpty() ? namespace : namespace + " " + filter;
        };
    }

    /** "name range", or the filter itself when it does not name one thing. */
    static String nameAndRange(String filter, String nameAttribute, String versionAttribute) {
        Clauses clauses = new Clauses(filter);
        String name = clauses.take("\\(" + Pattern.quote(nameAttribute) + "=([^()*]+)\\)");
        if (name == null) {
            return filter;
        }
        String v = Pattern.quote(versionAttribute);
        String floorExclusive = clauses.take("\\(!\\(" + v + "<=([^()]+)\\)\\)");
        String ceilingExclusive = clauses.take("\\(!\\(" + v + ">=([^()]+)\\)\\)");
        String floor = clauses.take("\\(" + v + ">=([^()]+)\\)");
        String ceiling = clauses.take("\\(" + v + "<=([^()]+)\\)");
        String exact = clauses.take("\\(" + v + "=([^()]+)\\)");
        String range = range(floor, floorExclusive, ceiling, ceilingExclusive, exact);
        String text = range.isEmpty() ? name : name + " " + range;
        return clauses.allTaken() ? text : text + " " + filter;
    }

    private static String range(String floor, String floorExclusive, String ceiling, String ceilingExclusive,
            String exact) {
        if (exact != null) {
            return "[" + exact + "," + exact + "]";
        }
        String low = floor != null ? "[" + floor : floorExclusive != null ? "(" + floorExclusive : null;
        String high = ceiling != null ? ceiling + "]" : ceilingExclusive != null ? ceilingExclusive + ")" : null;
        if (high != null) {
            return (low == null ? "[0.0.0" : low) + "," + high;
        }
        if (floor != null) {
            return floor + " or later";
        }
        return floorExclusive != null ? "later than " + floorExclusive : "";
    }

    /** The clauses of a filter, removed one by one as they are recognised. */
    private static final class Clauses {
        private String rest;

        Clauses(String filter) {
            this.rest = filter;
        }

        /** The first group of the first clause that matches, which is then removed; null if none matches. */
        String take(String clause) {
            Matcher matcher = Pattern.compile(clause).matcher(rest);
            if (!matcher.find()) {
                return null;
            }
            rest = rest.substring(0, matcher.start()) + rest.substring(matcher.end());
            return matcher.group(1);
        }

        /** Whether nothing is left but an empty conjunction. */
        boolean allTaken() {
            return rest.isEmpty() || rest.equals("(&)");
        }
    }
}

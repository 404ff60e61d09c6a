package org.devrt.system.internal.diag;

import java.util.Arrays;
import java.util.Comparator;

import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Descriptor;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Bundles by symbolic name in the shell, as Karaf allows: a Gogo {@link Converter} that turns a symbolic name into
 * the bundle (the newest version if several are installed), so {@code uninstall devrt.ahci-driver} or
 * {@code stop devrt.vfs} work where Gogo's commands take a {@code Bundle}; and {@code bundle <id | name>}, which
 * returns the bundle for the commands that take only ids or URLs ({@code (bundle devrt.vfs) start}). A name no
 * bundle has is not converted, and Gogo says it cannot coerce the argument.
 */
@Component(service = {Converter.class, BundleNames.class}, property = {
    "osgi.converter.classes=org.osgi.framework.Bundle", "osgi.command.scope=devrt", "osgi.command.function=bundle"})
public final class BundleNames implements Converter {
    private final BundleContext context;

    @Activate
    public BundleNames(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class || !(in instanceof CharSequence text)) {
            return null;
        }
        return find(text.toString());
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null; // Gogo's own formatting of bundles stays
    }

    static final String USAGE = """
            usage: bundle <id | symbolic-name>
              the bundle (the newest version of that name), for commands that take only ids: (bundle devrt.vfs) start
            """;

    @Descriptor("the bundle with this id or symbolic name (the newest version), for calls such as (bundle devrt.vfs) start")
    public Object bundle(@Descriptor("bundle id or symbolic name") String idOrName) {
        if (idOrName == null) { // an unset variable: (bundle $x)
            return CommandOutput.error("bundle: missing operand\n" + USAGE);
        }
        if (idOrName.equals("-h") || idOrName.equals("--help")) {
            return USAGE;
        }
        if (idOrName.startsWith("-")) { // said as Gogo's "java.lang.IllegalArgumentException: no bundle ... '--x'"
            return CommandOutput.error("bundle: no option " + idOrName + "\n" + USAGE);
        }
        Bundle b = find(idOrName);
        if (b == null) { // thrown, Gogo printed it with "java.lang.IllegalArgumentException: " before it
            return CommandOutput.error("bundle: no bundle with id or symbolic name '" + idOrName + "' ('lb' lists them)");
        }
        return b;
    }

    /** {@code bundle} alone: its usage (Gogo answered "Cannot coerce bundle() to any of [(String)]"). */
    @Descriptor("the usage of bundle")
    public Object bundle() {
        return "bundle: missing <id | symbolic-name>\n" + USAGE;
    }

    /** {@code bundle 1 2 3}: Gogo answered "Cannot coerce bundle(Token, Token, Token) to any of [(), (String)]". */
    @Descriptor("the usage of bundle")
    public Object bundle(String first, String second, String... more) {
        return CommandOutput.error("bundle: takes one <id | symbolic-name>, not " + (2 + more.length) + "\n" + USAGE);
    }

    private Bundle find(String idOrName) {
        return find(context, idOrName);
    }

    /** The bundle with this id, or the newest version with this symbolic name; null if there is none. */
    static Bundle find(BundleContext context, String idOrName) {
        if (!idOrName.isEmpty() && idOrName.chars().allMatch(Character::isDigit)) {
            try {
                return context.getBundle(Long.parseLong(idOrName));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        return Arrays.stream(context.getBundles()).filter(b -> idOrName.equals(b.getSymbolicName()))
                .max(Comparator.comparing(Bundle::getVersion)).orElse(null);
    }
}

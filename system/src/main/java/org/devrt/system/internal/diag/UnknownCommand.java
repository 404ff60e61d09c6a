package org.devrt.system.internal.diag;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * What the shell says of a command that does not exist: Gogo calls a command named {@code default}, if there is one,
 * with the unknown name before its arguments. Without it the shell printed
 * {@code org.apache.felix.gogo.runtime.CommandNotFoundException: Command not found: ip}, also when the command was
 * only gone with its bundle ({@code stop devrt.network}). This one names the bundle whose components declare the
 * command ({@code osgi.command.function} in its component descriptions, read from the bundle's entries, so that a
 * stopped or unresolved bundle is found too) and what to do about it.
 */
@Component(service = UnknownCommand.class, property = {"osgi.command.scope=devrt",
    "osgi.command.function=default"})
public final class UnknownCommand {
    private static final Pattern PROPERTY = Pattern.compile("<property\\b([^>]*?)(?:/>|>([^<]*)</property>)");
    private static final Pattern NAME = Pattern.compile("\\bname\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("\\bvalue\\s*=\\s*\"([^\"]*)\"");

    private final BundleContext context;

    @Activate
    public UnknownCommand(BundleContext context) {
        this.context = context;
    }

    /** The error a shell user sees: its text, without an exception class before it. */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** Gogo's fallback for a name no command has: fails with what {@link #explain} says. */
    @Descriptor("says that a command does not exist, or which bundle brings it")
    public Object _default(Object... args) {
        throw new NotFound(explain(args.length == 0 ? "" : String.valueOf(args[0])));
    }

    /** "ip: command not found", and the bundle that would bring it and what to do, if there is one. */
    String explain(String command) {
        int colon = command.indexOf(':');
        String name = command.substring(colon + 1);
        String scope = colon < 0 ? null : command.substring(0, colon); // nosuch:lsblk is not devrt's lsblk
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED || commands(bundle).stream().noneMatch(c ->
                    c.endsWith(":" + name) && (scope == null || c.equals(scope + ":" + name)))) {
                continue;
            }
            String what = Diagnostics.name(bundle);
            return name + ": command not found; it comes with " + what + switch (bundle.getState()) {
                case Bundle.ACTIVE -> ", whose component for it is not running ('diag " + bundle.getBundleId()
                        + "' tells why)";
                case Bundle.STARTING -> ", which is starting";
                default -> ", which is not active: 'start " + bundle.getSymbolicName() + "' brings it back";
            };
        }
        return command + ": command not found ('help' lists the commands)";
    }

    /** The commands that {@code bundle}'s component descriptions declare, as {@code scope:function}. */
    static Set<String> commands(Bundle bundle) {
        Set<String> functions = new LinkedHashSet<>();
        for (URL entry : descriptions(bundle)) {
            String xml;
            try (InputStream in = entry.openStream()) {
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | IllegalStateException e) {
                continue; // unreadable, or the bundle went meanwhile: nothing to say of it
            }
            for (String component : xml.split("</(?:scr:)?component>")) {
                String scope = "";
                List<String> declared = new ArrayList<>();
                Matcher property = PROPERTY.matcher(component);
                while (property.find()) {
                    Matcher name = NAME.matcher(property.group(1));
                    if (!name.find()) {
                        continue;
                    }
                    Matcher value = VALUE.matcher(property.group(1));
                    String values = value.find() ? value.group(1) : property.group(2) == null ? "" : property.group(2);
                    if (name.group(1).equals("osgi.command.scope")) {
                        scope = values.trim();
                    } else if (name.group(1).equals("osgi.command.function")) {
                        declared.addAll(List.of(values.trim().split("\\s+")));
                    }
                }
                for (String function : declared) {
                    if (!function.isEmpty()) {
                        functions.add(scope + ":" + function);
                    }
                }
            }
        }
        return functions;
    }

    /** The entries its Service-Component header names (a path, or a folder and a pattern: OSGI-INF/*.xml). */
    private static List<URL> descriptions(Bundle bundle) {
        List<URL> urls = new ArrayList<>();
        String header = bundle.getHeaders("").get("Service-Component");
        if (header == null) {
            return urls;
        }
        for (String clause : header.split(",")) {
            String path = clause.split(";", 2)[0].trim();
            int slash = path.lastIndexOf('/');
            if (path.contains("*")) {
                Enumeration<URL> found = bundle.findEntries(slash < 0 ? "/" : path.substring(0, slash),
                        path.substring(slash + 1), false);
                if (found != null) {
                    urls.addAll(Collections.list(found));
                }
            } else if (!path.isEmpty()) {
                URL url = bundle.getEntry(path);
                if (url != null) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }
}

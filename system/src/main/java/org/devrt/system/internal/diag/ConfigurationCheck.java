package org.devrt.system.internal.diag;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.devrt.registry.condition.RefusedConfiguration;
import org.devrt.registry.config.ComponentConfig;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.condition.Condition;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every configuration against the metatype description of the component it configures, so that a value that
 * does not fit (a word where a number belongs, a number out of range, not one of the options, a required value
 * missing) is reported in one line naming the configuration, its file, the property and the problem. Without it
 * such a value surfaces as a component that fails to activate (SCR's NumberFormatException, with no property named)
 * or as a default silently used.
 *
 * <p>Told, never polling: Configuration Admin's events (this is a {@link ConfigurationListener}) and bundle events
 * (a driver bundle, and the description of its configuration, can arrive after the configuration). Each event asks
 * for a check of everything a moment later ({@link #SETTLE_MILLIS}), on a thread of its own, so that a burst (File
 * Install applying conf/ at boot, a bundle refresh) costs one check and none of it runs on the boot's own threads.
 * Each problem is logged once, at ERROR, when it appears; {@code diag} lists the problems standing.
 *
 * <p>{@code diag} also lists the configurations that components refused for what a description cannot say (an
 * address that is not one, a model that does not exist): each is a condition ({@link RefusedConfiguration}) while
 * its component is active with it, tracked here; its component has logged it.
 */
@Component(service = {ConfigurationListener.class, ConfigurationCheck.class}, immediate = true)
public final class ConfigurationCheck implements ConfigurationListener, BundleListener {
    static final long SETTLE_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationCheck.class);
    /** Properties that Configuration Admin, File Install or a deployer add, not the component's. */
    private static final Set<String> NOT_DESCRIBED_PREFIXES = Set.of("service.", "felix.", "component.", "osgi.", ".");

    private final ConfigurationAdmin configurationAdmin;
    private final MetaTypeService metaType;
    private final BundleContext context;
    private final ScheduledExecutorService executor;
    private final ServiceTracker<Condition, String> refusals;
    private ScheduledFuture<?> pending;
    /** The problems of the last check: configuration PID to its problems, in order. */
    private Map<String, List<String>> problems = Map.of();

    @Activate
    public ConfigurationCheck(@Reference ConfigurationAdmin configurationAdmin, @Reference MetaTypeService metaType,
            BundleContext context) {
        this.configurationAdmin = configurationAdmin;
        this.metaType = metaType;
        this.context = context;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "devrt-config-check");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        this.refusals = new ServiceTracker<>(context, refusalFilter(context), null) {
            @Override
            public String addingService(ServiceReference<Condition> reference) {
                return String.valueOf(reference.getProperty(RefusedConfiguration.LINE));
            }
        };
        refusals.open();
        context.addBundleListener(this);
        checkSoon();
    }

    private static Filter refusalFilter(BundleContext context) {
        try {
            return context.createFilter("(&(" + Constants.OBJECTCLASS + "=" + Condition.class.getName() + ")("
                    + Condition.CONDITION_ID + "=" + RefusedConfiguration.CONDITION_ID + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Deactivate
    void deactivate() {
        refusals.close();
        context.removeBundleListener(this);
        executor.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        checkSoon();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.RESOLVED || type == BundleEvent.UNRESOLVED || type == BundleEvent.UPDATED) {
            checkSoon();
        }
    }

    /**
     * The problems standing, one line each: {@code configuration <pid> (<file>): <problem>}; those the check found,
     * then the refusals of components.
     */
    public synchronized List<String> problems() {
        List<String> lines = new ArrayList<>();
        problems.values().forEach(lines::addAll);
        refusals.getTracked().values().stream().sorted().forEach(lines::add);
        return lines;
    }

    private synchronized void checkSoon() {
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = executor.schedule(this::checkNow, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivated
        }
    }

    private void checkNow() {
        try {
            Map<String, String> describedIn = new HashMap<>();
            Map<String, ObjectClassDefinition> descriptions = descriptions(describedIn);
            List<Configuration> configurations = configurations();
            unbindStrays(configurations, describedIn).forEach(line -> LOG.warn("{}", line));
            Map<String, List<String>> found = check(configurations, descriptions);
            synchronized (this) {
                Map<String, List<String>> before = problems;
                found.forEach((pid, lines) -> lines.stream()
                        .filter(line -> !before.getOrDefault(pid, List.of()).contains(line))
                        .forEach(line -> LOG.error("{}", line)));
                before.keySet().stream().filter(pid -> !found.containsKey(pid))
                        .forEach(pid -> LOG.info("configuration {}: its problems are gone", pid));
                problems = found;
            }
        } catch (RuntimeException | IOException | InvalidSyntaxException e) {
            LOG.warn("cannot check the configurations: {}", e.toString());
        }
    }

    private List<Configuration> configurations() throws IOException, InvalidSyntaxException {
        Configuration[] all = configurationAdmin.listConfigurations(null);
        return all == null ? List.of() : List.of(all);
    }

    /**
     * Every bundle's object class definitions, by the PID or factory PID they describe; {@code describedIn} gets the
     * location of the bundle that describes each.
     */
    private Map<String, ObjectClassDefinition> descriptions(Map<String, String> describedIn) {
        Map<String, ObjectClassDefinition> out = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() == Bundle.UNINSTALLED || bundle.getState() == Bundle.INSTALLED) {
                continue;
            }
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            if (info == null) {
                continue;
            }
            for (String[] pids : List.of(info.getPids(), info.getFactoryPids())) {
                for (String pid : pids) {
                    ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                    if (ocd != null) {
                        out.putIfAbsent(pid, ocd);
                        describedIn.putIfAbsent(pid, bundle.getLocation());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Gives back to everyone ({@code ?}, as File Install makes them) each configuration that is bound to a bundle other
     * than the one whose component it describes: such a configuration reaches no component, whatever its file says.
     * Configuration Admin binds a configuration to the bundle that asks for it by PID alone, and its shell commands
     * ask as Gogo's runtime: after {@code cm:getconfiguration devrt.ahci} a {@code conf/devrt.ahci.cfg} written later
     * was never applied, and {@code diag} saw nothing wrong. Returns one line for each configuration given back.
     */
    static List<String> unbindStrays(List<Configuration> configurations, Map<String, String> describedIn) {
        List<String> lines = new ArrayList<>();
        for (Configuration configuration : configurations) {
            String described = configuration.getFactoryPid() != null ? configuration.getFactoryPid()
                    : configuration.getPid();
            String owner = describedIn.get(described);
            String bound = configuration.getBundleLocation();
            if (owner == null || bound == null || bound.startsWith("?") || bound.equals(owner)) {
                continue;
            }
            Dictionary<String, Object> properties = configuration.getProperties();
            String name = ComponentConfig.name(configuration.getPid(),
                    properties == null ? null : properties.get(ComponentConfig.FILE));
            try {
                configuration.setBundleLocation("?");
                lines.add(name + " was bound to " + bound + ", where the component it configures ("
                        + owner + ") could not use it (as 'cm:getconfiguration' binds one): given back, it applies");
            } catch (RuntimeException e) {
                lines.add(name + " is bound to " + bound + ", where the component it configures (" + owner
                        + ") cannot use it, and cannot be given back: " + e.getMessage());
            }
        }
        return lines;
    }

    /** The problems of each configuration that has a description and does not fit it, by configuration PID. */
    static Map<String, List<String>> check(List<Configuration> configurations,
            Map<String, ObjectClassDefinition> descriptions) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Configuration configuration : configurations) {
            String described = configuration.getFactoryPid() != null ? configuration.getFactoryPid()
                    : configuration.getPid();
            ObjectClassDefinition ocd = descriptions.get(described);
            Dictionary<String, Object> properties = configuration.getProperties();
            if (ocd == null || properties == null) {
                continue;
            }
            String name = ComponentConfig.name(configuration.getPid(),
                    properties.get(ComponentConfig.FILE)) + ": ";
            List<String> lines = problems(ocd, properties).stream().map(problem -> name + problem).toList();
            if (!lines.isEmpty()) {
                out.put(configuration.getPid(), lines);
            }
        }
        return out;
    }

    /** What in {@code properties} does not fit {@code ocd}: one phrase per property. */
    static List<String> problems(ObjectClassDefinition ocd, Dictionary<String, Object> properties) {
        List<String> out = new ArrayList<>();
        Set<String> required = new HashSet<>();
        AttributeDefinition[] requiredDefinitions = ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
        for (AttributeDefinition ad : requiredDefinitions == null ? new AttributeDefinition[0] : requiredDefinitions) {
            required.add(ad.getID());
        }
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
            Object value = properties.get(ad.getID());
            if (value == null) {
                if (required.contains(ad.getID()) && ad.getDefaultValue() == null) {
                    out.add(ad.getID() + " is missing (" + typeName(ad) + " required)");
                }
                continue;
            }
            String text = text(value);
            String verdict = ad.validate(text);
            if (verdict != null && !verdict.isEmpty()) {
                out.add(ad.getID() + " = '" + text + "': " + phrase(verdict) + " (want " + want(ad) + ")");
            }
        }
        out.addAll(misspelt(all == null ? List.of() : List.of(all), properties));
        return out;
    }

    /**
     * Properties that the description does not name but that differ from a name it has by at most two edits (a
     * letter wrong, missing, extra, or two swapped): most likely that name misspelt, whose value is then silently not
     * used. Other undescribed properties are not judged: an emulated function's configuration carries its model's
     * options, which its description cannot list; nor is a described name with a number after it, the form of
     * indexed options (an AHCI function's {@code model0} is port 0's model, not a misspelt {@code model}).
     */
    private static List<String> misspelt(List<AttributeDefinition> described, Dictionary<String, Object> properties) {
        List<String> ids = described.stream().map(AttributeDefinition::getID).toList();
        List<String> out = new ArrayList<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (key.length() < 4 || NOT_DESCRIBED_PREFIXES.stream().anyMatch(key::startsWith)
                    || ids.stream().anyMatch(id -> key.equalsIgnoreCase(id) || indexed(key, id))) {
                continue;
            }
            ids.stream().filter(id -> editDistance(key.toLowerCase(), id.toLowerCase()) <= 2).findFirst()
                    .ifPresent(id -> out.add("'" + key + "' is not one of its properties (did you mean " + id
                            + "?); its value is not used"));
        }
        out.sort(null);
        return out;
    }

    /** Whether {@code key} is {@code id} followed by a number, as {@code model0}. */
    private static boolean indexed(String key, String id) {
        return key.length() > id.length() && key.regionMatches(true, 0, id, 0, id.length())
                && key.substring(id.length()).chars().allMatch(Character::isDigit);
    }

    /** Edits (insert, delete, substitute, swap two neighbours) that turn {@code a} into {@code b}. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** A value as metatype validates it: arrays and collections as comma-separated text. */
    private static String text(Object value) {
        if (value.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                parts.add(String.valueOf(Array.get(value, i)));
            }
            return String.join(",", parts);
        }
        if (value instanceof Collection<?> c) {
            return String.join(",", c.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** Felix Metatype's verdicts are localization keys ("%invalid value"). */
    private static String phrase(String verdict) {
        return verdict.startsWith("%") ? verdict.substring(1) : verdict;
    }

    private static String want(AttributeDefinition ad) {
        StringBuilder want = new StringBuilder(typeName(ad));
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0) {
            want.append(", one of ").append(String.join(", ", options));
        }
        String[] defaults = ad.getDefaultValue();
        if (defaults != null && defaults.length > 0) {
            want.append("; default ").append(String.join(",", defaults));
        }
        return want.toString();
    }

    static String typeName(AttributeDefinition ad) {
        String type = switch (ad.getType()) {
            case AttributeDefinition.STRING -> "text";
            case AttributeDefinition.LONG -> "a whole number (long)";
            case AttributeDefinition.INTEGER -> "a whole number (int)";
            case AttributeDefinition.SHORT -> "a whole number (short)";
            case AttributeDefinition.BYTE -> "a whole number (byte)";
            case AttributeDefinition.CHARACTER -> "one character";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            case AttributeDefinition.PASSWORD -> "a password";
            default -> "a value";
        };
        return ad.getCardinality() == 0 ? type : type + ", several separated by commas";
    }
}

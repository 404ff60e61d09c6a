package org.devrt.system.internal.diag;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.DeviceInventory;
import org.devrt.device.DeviceState;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The {@code devrt:diag} shell command; the work is done by {@link Diagnostics}. Immediate, so that it listens
 * for framework errors from the moment its bundle starts, not from the first time someone types {@code diag}.
 */
@Component(immediate = true, service = Object.class,
        property = {"osgi.command.scope=devrt", "osgi.command.function=diag"})
public final class DiagCommand {
    static final String USAGE = """
            usage: diag [bundle-id | symbolic-name]...
              without arguments: every configuration that does not fit its component's description or that a
              component refused, every device whose driver failed or that is quarantined, every bundle that is
              not active and every component that is not satisfied
              with bundles: their state, why they do not resolve or start, and their components' problems
              -h, --help  this text
            """;

    @Reference
    ServiceComponentRuntime scr;

    /** The configurations that do not fit their components' descriptions; absent without Configuration Admin. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationCheck configurations;

    /** The devices and their states; absent without the device manager. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DeviceInventory devices;

    private final FrameworkErrorLog errors = new FrameworkErrorLog();
    private BundleContext context;
    private Diagnostics diagnostics;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
        bundleContext.addFrameworkListener(errors);
        FrameworkWiring wiring = bundleContext.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        diagnostics = new Diagnostics(bundleContext, wiring, scr, errors);
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(errors);
    }

    @Descriptor("why bundles are not active and components not satisfied")
    public String diag(@Descriptor("[bundle-id | symbolic-name]... (none: everything that is not working)")
            String... args) {
        return CommandOutput.of(diagText(Arguments.present(args)));
    }

    private String diagText(String... args) {
        List<String> selectors = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help")) {
                return USAGE;
            }
            if (arg.startsWith("-")) {
                return CommandOutput.error("diag: unknown option '" + arg + "'\n" + USAGE);
            }
            selectors.add(arg);
        }
        if (!selectors.isEmpty()) {
            return diagnostics.report(selectors);
        }
        List<String> wrong = new ArrayList<>();
        ConfigurationCheck check = configurations;
        if (check != null) {
            wrong.addAll(check.problems());
        }
        wrong.addAll(deviceProblems(devices));
        return wrong.isEmpty() ? diagnostics.overview()
                : String.join("\n", wrong) + "\n" + diagnostics.overview();
    }

    /** A line for each device whose driver failed (and is retried) or that is quarantined, with the reason. */
    static List<String> deviceProblems(DeviceInventory inventory) {
        if (inventory == null) {
            return List.of();
        }
        return inventory.devices().stream()
                .filter(d -> d.state() == DeviceState.FAILED || d.state() == DeviceState.QUARANTINED)
                .map(d -> "device " + d.deviceId() + " is " + d.state() + ": " + d.reason())
                .toList();
    }
}

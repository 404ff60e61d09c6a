package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.devrt.registry.condition.ConditionPublisher;
import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeBundleContext;
import org.devrt.registry.fakes.FakeServiceReference;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

public class DiagnosticsTest {
    private static final String PACKAGE = "osgi.wiring.package";
    private static final String MISSING_FILTER =
            "(&(osgi.wiring.package=org.example.missing)(version>=1.0.0)(!(version>=2.0.0)))";

    private final FakeBundle system = new FakeBundle(0, "org.apache.felix.framework")
            .location(Constants.SYSTEM_BUNDLE_LOCATION);
    private final FakeBundleContext context = new FakeBundleContext(system);
    private final FakeFrameworkWiring wiring = new FakeFrameworkWiring(system);
    private final FakeServiceComponentRuntime scr = new FakeServiceComponentRuntime();
    private final FrameworkErrorLog errors = new FrameworkErrorLog();
    private final Diagnostics diagnostics = new Diagnostics(context, wiring, scr, errors);

    {
        system.adaptsTo(FrameworkStartLevel.class, new FakeStartLevels.OfFramework(system, 30));
        context.addFrameworkListener(errors);
    }

    @Test
    public void aMissingPackageIsReportedWithItsRange() {
        FakeRevision example = revisionOf(bundle(42, "devrt.example", Bundle.INSTALLED));
        example.require(PACKAGE, MISSING_FILTER);

        assertEquals("""
                devrt.example [42] INSTALLED
                  missing package org.example.missing [1.0.0,2.0.0)
                1 of 2 bundles not active, 0 of 0 components not satisfied
                """, diagnostics.overview());
    }

    @Test
    public void anOptionalPackageIsNotReported() {
        FakeRevision example = revisionOf(bundle(42, "devrt.example", Bundle.INSTALLED));
        example.require(PACKAGE, "(osgi.wiring.package=org.example.optional)", "resolution", "optional");
        example.require(PACKAGE, "(osgi.wiring.package=org.example.dynamic)", "resolution", "dynamic");
        example.require("osgi.service", "(objectClass=org.example.Service)", "effective", "active");
        example.require(PACKAGE, MISSING_FILTER);

        String text = diagnostics.report(List.of("42"));

        assertTrue(text, text.contains("missing package org.example.missing [1.0.0,2.0.0)"));
        assertFalse(text, text.contains("optional"));
        assertFalse(text, text.contains("dynamic"));
        assertFalse(text, text.contains("org.example.Service"));
    }

    @Test
    public void aComponentWithAnUnsatisfiedReferenceIsReportedWithTheReferencesInterface() {
        bundle(12, "devrt.vfs", Bundle.ACTIVE);
        ComponentDescriptionDTO mounts = component(12, "org.devrt.vfs.internal.MountTable", "optional");
        mounts.references = new ReferenceDTO[] {reference("devices", "org.devrt.device.BlockDevice", "1..1")};
        UnsatisfiedReferenceDTO devices = new UnsatisfiedReferenceDTO();
        devices.name = "devices";
        devices.target = "(devrt.device.type=block)";
        scr.add(mounts, configuration(mounts, ComponentConfigurationDTO.UNSATISFIED_REFERENCE, devices));

        assertEquals("""
                devrt.vfs [12] ACTIVE
                  component org.devrt.vfs.internal.MountTable: unsatisfied reference 'devices' to \
                org.devrt.device.BlockDevice, cardinality 1..1, target (devrt.device.type=block); no such service
                0 of 2 bundles not active, 1 of 1 components not satisfied
                """, diagnostics.overview());
    }

    @Test
    public void whenAllIsWellTheOverviewIsOneLine() {
        bundle(14, "devrt.network", Bundle.ACTIVE).registers(new FakeServiceReference(40, null,
                new String[] {"org.osgi.service.condition.Condition"}, Map.of("osgi.condition.id",
                        "devrt.network.settled", ConditionPublisher.PROBLEMS, new String[0])));
        bundle(12, "devrt.vfs", Bundle.ACTIVE);
        FakeRevision fragment = revisionOf(bundle(13, "devrt.vfs.fragment", Bundle.RESOLVED));
        ((FakeBundle) fragment.getBundle()).adaptsTo(BundleRevision.class,
                new FakeRevision(fragment.getBundle(), BundleRevision.TYPE_FRAGMENT));
        ComponentDescriptionDTO mounts = component(12, "org.devrt.vfs.internal.MountTable", "optional");
        scr.add(mounts, configuration(mounts, ComponentConfigurationDTO.ACTIVE));
        ComponentDescriptionDTO shell = component(12, "org.devrt.vfs.internal.VfsCommands", "optional");
        scr.add(shell, configuration(shell, ComponentConfigurationDTO.SATISFIED));

        assertEquals("all 4 bundles active, all 2 components satisfied\n", diagnostics.overview());
    }

    /** A volume that failed to mount was said once in the boot log; diag said all was well. */
    @Test
    public void problemsABundleReportsAreListedUnderIt() {
        bundle(12, "devrt.vfs", Bundle.ACTIVE).registers(new FakeServiceReference(40, null,
                new String[] {"org.osgi.service.condition.Condition"}, Map.of("osgi.condition.id", "devrt.vfs.settled",
                        ConditionPublisher.PROBLEMS, new String[] {"sda1 not mounted: corrupt FAT filesystem: boot"
                                + " sector: BPB_BytsPerSec (0) must be 512, 1024, 2048 or 4096"})));

        assertEquals("""
                devrt.vfs [12] ACTIVE
                  sda1 not mounted: corrupt FAT filesystem: boot sector: BPB_BytsPerSec (0) must be 512, 1024, 2048 or\
                 4096
                0 of 2 bundles not active, 0 of 0 components not satisfied, 1 problem reported
                """, diagnostics.overview());
    }

    @Test
    public void anUnknownBundleIsNamed() {
        assertEquals("diag: no bundle 'foo' (give a bundle id or symbolic name; 'lb' lists them)\n",
                diagnostics.report(List.of("foo")));
        assertEquals("diag: no bundle '99' (give a bundle id or symbolic name; 'lb' lists them)\n",
                diagnostics.report(List.of("99")));
    }

    @Test
    public void aBundleNamedByItsSymbolicNameWithoutProblemsSaysSo() {
        bundle(12, "devrt.vfs", Bundle.ACTIVE);

        assertEquals("devrt.vfs [12] ACTIVE\n  no problems found\n", diagnostics.report(List.of("devrt.vfs")));
    }

    @Test
    public void aResolvedBundleAboveTheFrameworksStartLevelIsExplained() {
        FakeBundle late = bundle(20, "devrt.late", Bundle.RESOLVED);
        late.adaptsTo(BundleStartLevel.class, new FakeStartLevels.OfBundle(late, 40, true, false));

        assertEquals("""
                devrt.late [20] RESOLVED
                  resolved but not active: its start level 40 is above the framework's 30
                """, diagnostics.report(List.of("20")));
    }

    @Test
    public void aResolvedBundleNobodyStartedIsExplained() {
        FakeBundle idle = bundle(21, "devrt.idle", Bundle.RESOLVED);
        idle.adaptsTo(BundleStartLevel.class, new FakeStartLevels.OfBundle(idle, 10, false, false));

        String text = diagnostics.report(List.of("21"));

        assertTrue(text, text.contains("nobody started it (start level 10, framework at 30); 'start 21' starts it"));
    }

    @Test
    public void theLastFrameworkErrorOfABundleIsShown() {
        FakeBundle broken = bundle(22, "devrt.broken", Bundle.RESOLVED);
        broken.adaptsTo(BundleStartLevel.class, new FakeStartLevels.OfBundle(broken, 10, true, false));
        context.fire(new FrameworkEvent(FrameworkEvent.ERROR, broken, new BundleException(
                "Activator start error in bundle devrt.broken [22].", BundleException.ACTIVATOR_ERROR,
                new IllegalStateException("no disk image"))));

        assertEquals("""
                devrt.broken [22] RESOLVED
                  resolved but not active although marked to start (start level 10, framework at 30): \
                its last start failed
                  last error: activator threw IllegalStateException: no disk image
                """, diagnostics.report(List.of("devrt.broken")));
    }

    @Test
    public void whenEveryRequirementHasAProviderTheUnresolvedProvidersAreListed() {
        exampleNeedsApiFromABundleThatIs(Bundle.INSTALLED);

        assertEquals("""
                devrt.example [42] INSTALLED
                  every requirement has a provider, but some come only from bundles that do not resolve either:
                    package org.example.api only from devrt.example.api [43]; see 'diag 43'
                """, diagnostics.report(List.of("42")));
    }

    @Test
    public void whenEveryRequirementHasAResolvedProviderAResolveNotTriedOrAUsesConflictIsSuspected() {
        exampleNeedsApiFromABundleThatIs(Bundle.RESOLVED);

        String text = diagnostics.report(List.of("42"));

        assertTrue(text, text.contains("every requirement has a provider, yet it is not resolved: either nothing has"
                + " tried yet (it resolves when it is started or needed; 'felix:resolve 42' tries now) or a"
                + " uses-constraint conflict keeps it out ('start 42' shows the resolver's explanation)"));
    }

    @Test
    public void aComponentWaitingForItsConfigurationNamesTheFileToCreateAndIsNotAFailure() {
        context.property("felix.fileinstall.dir", "/etc/devrt");
        Diagnostics inEtc = new Diagnostics(context, wiring, scr, errors);
        bundle(12, "devrt.network", Bundle.ACTIVE);
        ComponentDescriptionDTO stack = component(12, "org.devrt.network.Interfaces", "require");
        stack.configurationPid = new String[] {"devrt.network"};
        scr.add(stack);

        String overview = inEtc.overview();
        assertTrue("a factory component with no instance yet is normal: " + overview,
                overview.startsWith("all 2 bundles active, all 0 components satisfied; 1 waiting for a configuration: "
                        + "org.devrt.network.Interfaces (diag devrt.network)"));

        String text = inEtc.report(List.of("devrt.network"));
        assertTrue(text, text.contains("component org.devrt.network.Interfaces: waits for its configuration: no"
                + " configuration with pid 'devrt.network'; create /etc/devrt/devrt.network.cfg (or, for a factory,"
                + " one /etc/devrt/devrt.network-<name>.cfg per instance)"));
    }

    @Test
    public void aFailedActivationShowsTheFirstLineOfTheFailure() {
        bundle(12, "devrt.vfs", Bundle.ACTIVE);
        ComponentDescriptionDTO mounts = component(12, "org.devrt.vfs.internal.MountTable", "optional");
        ComponentConfigurationDTO failed = configuration(mounts, ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "java.io.IOException: no such image\n\tat org.devrt.vfs.Image.open(Image.java:12)";
        scr.add(mounts, failed);

        String text = diagnostics.report(List.of("12"));

        assertTrue(text, text.contains("component org.devrt.vfs.internal.MountTable: activation failed:"
                + " java.io.IOException: no such image\n"));
        assertFalse(text, text.contains("Image.java"));
    }

    @Test
    public void aFailedActivationShowsTheInnermostCauseRatherThanTheReflectionWrapper() {
        bundle(12, "devrt.emulator", Bundle.ACTIVE);
        ComponentDescriptionDTO machine = component(12, "org.devrt.emulator.internal.Machine", "optional");
        ComponentConfigurationDTO failed = configuration(machine, ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "java.lang.reflect.InvocationTargetException\n\tat java.base/jdk.internal.reflect.X.y(X.java:1)\n"
                + "Caused by: java.lang.IllegalStateException: wrapped\n\tat a.B.c(B.java:2)\n"
                + "Caused by: java.lang.IllegalArgumentException: memory.size 12345 must be a multiple of 4096\n"
                + "\tat org.devrt.emulator.internal.Machine.memorySize(Machine.java:79)\n\t... 103 more";
        scr.add(machine, failed);

        String text = diagnostics.report(List.of("12"));

        assertTrue(text, text.contains("component org.devrt.emulator.internal.Machine: activation failed:"
                + " java.lang.IllegalArgumentException: memory.size 12345 must be a multiple of 4096\n"));
        assertFalse(text, text.contains("InvocationTargetException"));
    }

    @Test
    public void aDisabledComponentIsReported() {
        bundle(12, "devrt.vfs", Bundle.ACTIVE);
        ComponentDescriptionDTO mounts = component(12, "org.devrt.vfs.internal.MountTable", "optional");
        scr.add(mounts);
        scr.disable(mounts.name);

        assertTrue(diagnostics.overview().contains("component org.devrt.vfs.internal.MountTable: disabled\n"));
    }

    /** devrt.example [42], unresolved, imports org.example.api, which only devrt.example.api [43] exports. */
    private void exampleNeedsApiFromABundleThatIs(int providerState) {
        FakeRevision example = revisionOf(bundle(42, "devrt.example", Bundle.INSTALLED));
        BundleRequirement needsApi = example.require(PACKAGE, "(osgi.wiring.package=org.example.api)");
        FakeRevision api = revisionOf(bundle(43, "devrt.example.api", providerState));
        wiring.provide(needsApi, api.provide(PACKAGE));
    }

    private FakeBundle bundle(long id, String symbolicName, int state) {
        FakeBundle bundle = new FakeBundle(id, symbolicName).state(state);
        context.addBundle(bundle);
        return bundle;
    }

    private static FakeRevision revisionOf(FakeBundle bundle) {
        FakeRevision revision = new FakeRevision(bundle, 0);
        bundle.adaptsTo(BundleRevision.class, revision);
        return revision;
    }

    private static ComponentDescriptionDTO component(long bundleId, String name, String configurationPolicy) {
        ComponentDescriptionDTO component = new ComponentDescriptionDTO();
        component.name = name;
        component.bundle = new BundleDTO();
        component.bundle.id = bundleId;
        component.defaultEnabled = true;
        component.configurationPolicy = configurationPolicy;
        component.configurationPid = new String[] {name};
        component.references = new ReferenceDTO[0];
        return component;
    }

    private static ReferenceDTO reference(String name, String interfaceName, String cardinality) {
        ReferenceDTO reference = new ReferenceDTO();
        reference.name = name;
        reference.interfaceName = interfaceName;
        reference.cardinality = cardinality;
        return reference;
    }

    private static ComponentConfigurationDTO configuration(ComponentDescriptionDTO component, int state,
            UnsatisfiedReferenceDTO... unsatisfied) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.description = component;
        configuration.state = state;
        configuration.unsatisfiedReferences = unsatisfied;
        return configuration;
    }
}

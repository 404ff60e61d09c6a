package org.devrt.registry.internal.diag;

import static org.junit.Assert.assertEquals;

import org.devrt.registry.fakes.FakeBundle;
import org.devrt.registry.fakes.FakeBundleContext;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;

public class DiagCommandTest {
    private final FakeBundle system = new FakeBundle(0, "org.apache.felix.framework")
            .location(Constants.SYSTEM_BUNDLE_LOCATION);
    private final FakeBundleContext context = new FakeBundleContext(system);
    private final DiagCommand command = new DiagCommand();

    {
        system.adaptsTo(FrameworkWiring.class, new FakeFrameworkWiring(system));
        command.scr = new FakeServiceComponentRuntime();
        command.activate(context);
    }

    @Test
    public void withoutArgumentsItGivesTheOverview() {
        assertEquals("all 1 bundles active, all 0 components satisfied\n", command.diag());
    }

    @Test
    public void helpPrintsUsage() {
        assertEquals(DiagCommand.USAGE, command.diag("-h"));
        assertEquals(DiagCommand.USAGE, command.diag("0", "--help"));
    }

    @Test
    public void anUnknownOptionIsNamed() {
        assertEquals("diag: unknown option '-v'\n" + DiagCommand.USAGE, command.diag("-v"));
    }

    @Test
    public void itListensForFrameworkErrorsWhileActive() {
        assertEquals(1, context.frameworkListenerCount());

        command.deactivate();

        assertEquals(0, context.frameworkListenerCount());
    }
}

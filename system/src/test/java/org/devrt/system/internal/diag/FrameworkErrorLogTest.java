package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.Optional;

import org.devrt.registry.fakes.FakeBundle;
import org.junit.Test;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;

public class FrameworkErrorLogTest {
    private final FakeBundle bundle = new FakeBundle(42, "devrt.example");
    private final FrameworkErrorLog log = new FrameworkErrorLog();

    @Test
    public void anActivatorFailureNamesWhatTheActivatorThrew() {
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, bundle, new BundleException(
                "Activator start error in bundle devrt.example [42].", BundleException.ACTIVATOR_ERROR,
                new IllegalStateException("no config", new IOException("conf/x.cfg: no such file")))));

        assertEquals(Optional.of("activator threw IllegalStateException: no config;"
                + " caused by IOException: conf/x.cfg: no such file"), log.lastError(42));
    }

    @Test
    public void otherErrorsAreTheirChainOnOneLine() {
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, bundle,
                new BundleException("Unable to resolve devrt.example [42]:\n  missing requirement")));

        assertEquals(Optional.of("BundleException: Unable to resolve devrt.example [42]: missing requirement"),
                log.lastError(42));
    }

    @Test
    public void onlyTheLastErrorIsKept() {
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, bundle, new IllegalStateException("first")));
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, bundle, new IllegalStateException("second")));

        assertEquals(Optional.of("IllegalStateException: second"), log.lastError(42));
    }

    @Test
    public void warningsAndOtherBundlesAreNotErrorsOfThisBundle() {
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.WARNING, bundle, new IllegalStateException("w")));
        log.frameworkEvent(new FrameworkEvent(FrameworkEvent.ERROR, new FakeBundle(7, "other"),
                new IllegalStateException("x")));

        assertEquals(Optional.empty(), log.lastError(42));
    }
}

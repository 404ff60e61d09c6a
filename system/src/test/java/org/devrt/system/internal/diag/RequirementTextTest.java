package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;

import org.devrt.registry.fakes.FakeBundle;
import org.junit.Test;

public class RequirementTextTest {
    private final FakeRevision revision = new FakeRevision(new FakeBundle(1, "r"), 0);

    @Test
    public void aPackageWithAHalfOpenRange() {
        assertEquals("package org.foo [1.0.0,2.0.0)",
                text("osgi.wiring.package", "(&(osgi.wiring.package=org.foo)(version>=1.0.0)(!(version>=2.0.0)))"));
    }

    @Test
    public void aPackageWithOtherBounds() {
        assertEquals("package org.foo (1.0.0,2.0.0]",
                text("osgi.wiring.package", "(&(osgi.wiring.package=org.foo)(!(version<=1.0.0))(version<=2.0.0))"));
        assertEquals("package org.foo [1.2.0,1.2.0]",
                text("osgi.wiring.package", "(&(osgi.wiring.package=org.foo)(version=1.2.0))"));
        assertEquals("package org.foo 1.2.0 or later",
                text("osgi.wiring.package", "(&(osgi.wiring.package=org.foo)(version>=1.2.0))"));
        assertEquals("package org.foo", text("osgi.wiring.package", "(osgi.wiring.package=org.foo)"));
    }

    @Test
    public void whatTheRangeDoesNotSayIsKeptAsTheFilter() {
        String filter = "(&(osgi.wiring.package=org.foo)(bundle-symbolic-name=devrt.x)(version>=1.0.0))";
        assertEquals("package org.foo 1.0.0 or later " + filter, text("osgi.wiring.package", filter));
    }

    @Test
    public void requiredBundlesAndHosts() {
        assertEquals("bundle devrt.api [1.0.0,2.0.0)", text("osgi.wiring.bundle",
                "(&(osgi.wiring.bundle=devrt.api)(bundle-version>=1.0.0)(!(bundle-version>=2.0.0)))"));
        assertEquals("host devrt.vfs", text("osgi.wiring.host", "(osgi.wiring.host=devrt.vfs)"));
    }

    @Test
    public void otherNamespacesShowTheirFilter() {
        String filter = "(&(osgi.extender=osgi.component)(version>=1.5.0)(!(version>=2.0.0)))";
        assertEquals("osgi.extender " + filter, text("osgi.extender", filter));
    }

    private String text(String namespace, String filter) {
        return RequirementText.describe(revision.require(namespace, filter));
    }
}

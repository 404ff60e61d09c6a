package org.devrt.system.internal.diag;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

public class BundleNamesTest {
    private final BundleNames names = new BundleNames(null); // neither call looks at the framework

    @Test
    public void bundleAloneAnswersWithWhatIsMissingAndTheUsage() {
        assertEquals("bundle: missing <id | symbolic-name>\n" + BundleNames.USAGE, names.bundle());
        assertEquals(BundleNames.USAGE, names.bundle("--help"));
    }

    /** Gogo answered three names with "Cannot coerce bundle(Token, Token, Token) to any of [(), (String)]". */
    @Test
    public void moreThanOneOperandOrAnOptionIsSaidWithTheUsage() {
        assertEquals("bundle: takes one <id | symbolic-name>, not 3\n" + BundleNames.USAGE, names.bundle("1", "2", "3"));
        assertEquals("bundle: no option --bogus\n" + BundleNames.USAGE, names.bundle("--bogus"));
    }

    /** Thrown, it reached the terminal as "java.lang.IllegalArgumentException: no bundle ...". */
    @Test
    public void aNameNoBundleHasIsSaidInOneLine() {
        BundleContext none = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundles" -> new Bundle[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        assertEquals("bundle: no bundle with id or symbolic name 'nosuch' ('lb' lists them)",
                new BundleNames(none).bundle("nosuch"));
    }
}

package org.devrt.registry.internal.diag;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class BundleNamesTest {
    private final BundleNames names = new BundleNames(null); // neither call looks at the framework

    @Test
    public void bundleAloneAnswersWithWhatIsMissingAndTheUsage() {
        assertEquals("bundle: missing <id | symbolic-name>\n" + BundleNames.USAGE, names.bundle());
        assertEquals(BundleNames.USAGE, names.bundle("--help"));
    }
}

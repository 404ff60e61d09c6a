package org.devrt.ahci.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class TaskFileTest {
    @Test
    public void abortedCommandNamesStatusAndErrorBits() {
        assertEquals("status 0x51 (DRDY DSC ERR), error 0x04 (ABRT)", TaskFile.describe(0x0451));
    }

    @Test
    public void uncorrectableAndIdNotFoundAreNamed() {
        assertEquals("status 0x41 (DRDY ERR), error 0x50 (UNC IDNF)", TaskFile.describe(0x5041));
        assertEquals("status 0x50 (DRDY DSC), error 0x00 (none)", TaskFile.describe(0x0050));
    }

    @Test
    public void errorCausesOfPxIsAreNamedBySpecAbbreviation() {
        assertEquals("task file error (TFES), host bus fatal error (HBFS)",
                TaskFile.causes(Ahci.PxIS_TFES | Ahci.PxIS_HBFS | Ahci.PxIS_DHRS));
        assertEquals("PxIS 0x00000001", TaskFile.causes(Ahci.PxIS_DHRS));
    }
}

package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.PxIS_HBDS;
import static org.devrt.ahci.internal.Ahci.PxIS_HBFS;
import static org.devrt.ahci.internal.Ahci.PxIS_IFS;
import static org.devrt.ahci.internal.Ahci.PxIS_INFS;
import static org.devrt.ahci.internal.Ahci.PxIS_OFS;
import static org.devrt.ahci.internal.Ahci.PxIS_TFES;
import static org.devrt.ahci.internal.Ahci.PxTFD_ERR_SHIFT;

/** Text for what went wrong: the ATA Status and Error registers (from PxTFD) and the PxIS error causes. */
final class TaskFile {
    private static final String[] STATUS = {"ERR", null, null, "DRQ", "DSC", "DF", "DRDY", "BSY"};
    private static final String[] ERROR = {null, null, "ABRT", null, "IDNF", null, "UNC", "ICRC"};

    private TaskFile() {
    }

    /** E.g. {@code status 0x51 (DRDY ERR), error 0x04 (ABRT)}. */
    static String describe(int tfd) {
        int status = tfd & 0xFF;
        int error = (tfd >>> PxTFD_ERR_SHIFT) & 0xFF;
        return String.format("status 0x%02x (%s), error 0x%02x (%s)", status, bits(status, STATUS), error,
                bits(error, ERROR));
    }

    /** The error causes set in a PxIS value, e.g. {@code task file error (TFES)}. */
    static String causes(int pxis) {
        StringBuilder s = new StringBuilder();
        cause(s, pxis, PxIS_TFES, "task file error (TFES)");
        cause(s, pxis, PxIS_HBFS, "host bus fatal error (HBFS)");
        cause(s, pxis, PxIS_HBDS, "host bus data error (HBDS)");
        cause(s, pxis, PxIS_IFS, "interface fatal error (IFS)");
        cause(s, pxis, PxIS_INFS, "interface non-fatal error (INFS)");
        cause(s, pxis, PxIS_OFS, "overflow (OFS)");
        return s.length() == 0 ? String.format("PxIS 0x%08x", pxis) : s.toString();
    }

    private static void cause(StringBuilder s, int pxis, int bit, String text) {
        if ((pxis & bit) != 0) {
            s.append(s.length() == 0 ? "" : ", ").append(text);
        }
    }

    private static String bits(int value, String[] names) {
        StringBuilder s = new StringBuilder();
        for (int bit = 7; bit >= 0; bit--) {
            if ((value & (1 << bit)) != 0) {
                s.append(s.length() == 0 ? "" : " ").append(names[bit] == null ? "bit" + bit : names[bit]);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}

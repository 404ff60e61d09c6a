package org.devrt.devicemanager.internal;

import java.util.HexFormat;

import org.devrt.pci.PciFunction;

/** Small text helpers shared by the device manager and its commands. */
final class PciText {
    private static final HexFormat HEX = HexFormat.of();

    private PciText() {
    }

    /** {@code 8086:2922 class 01.06.01}. Ids are 16 bits and class bytes 8, as the fields are. */
    static String ids(PciFunction f) {
        return HEX.toHexDigits(f.vendorId(), 4) + ':' + HEX.toHexDigits(f.deviceId(), 4) + " class "
                + HEX.toHexDigits(f.classCode().baseClass(), 2) + '.' + HEX.toHexDigits(f.classCode().subclass(), 2)
                + '.' + HEX.toHexDigits(f.classCode().progIf(), 2);
    }

    /** An exception as one line: its message, or its class when it has none, with its causes' messages. */
    static String message(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 500; t = t.getCause()) {
            String m = t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
            if (out.indexOf(part) < 0) {
                out.append(out.length() == 0 ? "" : ": ").append(part);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return out.toString();
    }
}

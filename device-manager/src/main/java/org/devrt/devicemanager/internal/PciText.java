package org.devrt.devicemanager.internal;

import org.devrt.pci.PciFunction;

/** Small text helpers shared by the device manager and its commands. */
final class PciText {
    private PciText() {
    }

    /** {@code 8086:2922 class 01.06.01}. */
    static String ids(PciFunction f) {
        return String.format("%04x:%04x class %02x.%02x.%02x", f.vendorId(), f.deviceId(), f.classCode().baseClass(),
                f.classCode().subclass(), f.classCode().progIf());
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

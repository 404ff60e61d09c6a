package org.devrt.devicemanager.internal;

import java.util.Optional;

/** Names of PCI vendors, devices and classes, as {@code lspci} prints them (from pci.ids when installed). */
interface PciNames {
    Optional<String> vendor(int vendor);

    Optional<String> device(int vendor, int device);

    Optional<String> subsystem(int vendor, int device, int subVendor, int subDevice);

    Optional<String> baseClass(int baseClass);

    Optional<String> subclass(int baseClass, int subclass);

    Optional<String> progIf(int baseClass, int subclass, int progIf);

    /** No names: every lookup is empty. */
    PciNames NONE = new PciNames() {
        public Optional<String> vendor(int v) { return Optional.empty(); }
        public Optional<String> device(int v, int d) { return Optional.empty(); }
        public Optional<String> subsystem(int v, int d, int sv, int sd) { return Optional.empty(); }
        public Optional<String> baseClass(int c) { return Optional.empty(); }
        public Optional<String> subclass(int c, int s) { return Optional.empty(); }
        public Optional<String> progIf(int c, int s, int p) { return Optional.empty(); }
    };
}

package org.devrt.devicemanager.internal;

import java.util.Optional;

import org.devrt.devicemanager.pciids.PciIds;

/** {@link PciNames} from the system's pci.ids (parsed on first lookup); every lookup empty when it is absent. */
final class PciIdsNames implements PciNames {
    private final PciIds ids;

    private PciIdsNames(PciIds ids) {
        this.ids = ids;
    }

    static PciNames load() {
        return new PciIdsNames(PciIds.system());
    }

    @Override
    public Optional<String> vendor(int vendor) {
        return ids.vendorName(vendor);
    }

    @Override
    public Optional<String> device(int vendor, int device) {
        return ids.deviceName(vendor, device);
    }

    @Override
    public Optional<String> subsystem(int vendor, int device, int subVendor, int subDevice) {
        return ids.subsystemName(vendor, device, subVendor, subDevice);
    }

    @Override
    public Optional<String> baseClass(int baseClass) {
        return ids.className(baseClass);
    }

    @Override
    public Optional<String> subclass(int baseClass, int subclass) {
        return ids.subclassName(baseClass, subclass);
    }

    @Override
    public Optional<String> progIf(int baseClass, int subclass, int progIf) {
        return ids.progIfName(baseClass, subclass, progIf);
    }
}

package org.devrt.emulator.internal.model;

import java.util.Objects;

import org.devrt.pci.ClassCode;

/**
 * The identity registers of a type-0 configuration header (PCI Local Bus 3.0, section 6.2.1), all read-only.
 *
 * @param vendorId Vendor ID; 0xffff is what an empty slot reads and is refused
 * @param deviceId Device ID
 * @param classCode Class Code (base class, subclass, programming interface)
 * @param revision Revision ID
 * @param subsystemVendorId Subsystem Vendor ID
 * @param subsystemId Subsystem ID
 * @param interruptPin Interrupt Pin: 0 none, 1-4 INTA#-INTD#
 */
public record ModelIdentity(int vendorId, int deviceId, ClassCode classCode, int revision, int subsystemVendorId,
        int subsystemId, int interruptPin) {
    public ModelIdentity {
        Objects.requireNonNull(classCode, "classCode");
        check("vendorId", vendorId, 0xfffe);
        check("deviceId", deviceId, 0xffff);
        check("revision", revision, 0xff);
        check("subsystemVendorId", subsystemVendorId, 0xffff);
        check("subsystemId", subsystemId, 0xffff);
        check("interruptPin", interruptPin, 4);
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(String.format("%s 0x%x is outside 0..0x%x", what, value, max));
        }
    }

    /** {@code 1b36:0005}, as {@code lspci -n} prints ids. */
    public String ids() {
        return String.format("%04x:%04x", vendorId, deviceId);
    }
}

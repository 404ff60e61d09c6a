package org.devrt.pci.sysfs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.devrt.pci.ConfigSpace;

/**
 * Walks a configuration space's capability lists the way the kernel does ({@code drivers/pci/pci.c}:
 * {@code __pci_find_next_cap_ttl}, {@code pci_find_next_ext_capability}): every walk is bounded by a hop count and
 * stops at a pointer it has already visited, so a looping or garbage list ends.
 */
final class CapabilityList {
    /** PCI_FIND_CAP_TTL: at most this many capabilities in the standard list. */
    static final int PCI_FIND_CAP_TTL = 48;
    /** Capability pointers below the standard header are invalid. */
    static final int PCI_STD_HEADER_SIZEOF = 0x40;
    /** PCI_CB_CAPABILITY_LIST: a CardBus bridge keeps its capability pointer here, not at 0x34. */
    static final int PCI_CB_CAPABILITY_LIST = 0x14;
    static final int PCI_HEADER_TYPE_MASK = 0x7f;
    static final int PCI_HEADER_TYPE_CARDBUS = 2;
    /** PCI_EXT_CAP_ID_DSN: PCI Express Device Serial Number. */
    static final int PCI_EXT_CAP_ID_DSN = 0x0003;
    /** At most (4096 - 256) / 8 extended capabilities fit: the kernel's bound. */
    static final int PCI_EXT_CAP_TTL = (SysfsConfigSpace.PCIE_SIZE - SysfsConfigSpace.PCI_SIZE) / 8;

    private CapabilityList() {
    }

    /**
     * The ids of the standard capability list, in list order; empty unless STATUS says the list is valid. A list
     * that points past the visible bytes ends there (those bytes read as 0xff, the "no capability" id).
     */
    static List<Integer> capabilityIds(ConfigSpace config) {
        List<Integer> ids = new ArrayList<>();
        int status = config.read16(ConfigSpace.STATUS);
        if (status == 0xffff || (status & ConfigSpace.STATUS_CAPABILITIES_LIST) == 0) {
            return ids;
        }
        Set<Integer> visited = new HashSet<>();
        int pos = config.read8(capabilityPointerOffset(config));
        for (int ttl = PCI_FIND_CAP_TTL; ttl > 0; ttl--) {
            pos &= ~3;
            if (pos < PCI_STD_HEADER_SIZEOF || !visited.add(pos)) {
                break;
            }
            int id = config.read8(pos);
            if (id == 0xff) {
                break;
            }
            ids.add(id);
            pos = config.read8(pos + 1);
        }
        return ids;
    }

    private static int capabilityPointerOffset(ConfigSpace config) {
        int headerType = config.read8(ConfigSpace.HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
        return headerType == PCI_HEADER_TYPE_CARDBUS ? PCI_CB_CAPABILITY_LIST : ConfigSpace.CAPABILITIES_POINTER;
    }

    /**
     * The Device Serial Number, printed as lspci prints it ({@code 00-11-22-33-44-55-66-77}, most significant byte
     * first), when the extended capability list is visible and has one.
     */
    static Optional<String> deviceSerialNumber(SysfsConfigSpace config) {
        int pos = findExtendedCapability(config, PCI_EXT_CAP_ID_DSN);
        if (pos < 0 || pos + 12 > config.visibleLength()) {
            return Optional.empty();
        }
        long lower = config.read32(pos + 4) & 0xffffffffL;
        long upper = config.read32(pos + 8) & 0xffffffffL;
        long serial = upper << 32 | lower;
        StringBuilder text = new StringBuilder(23);
        for (int shift = 56; shift >= 0; shift -= 8) {
            text.append(String.format("%02x", (serial >>> shift) & 0xff));
            if (shift > 0) {
                text.append('-');
            }
        }
        return Optional.of(text.toString());
    }

    /** The offset of extended capability {@code id}, or -1. */
    static int findExtendedCapability(SysfsConfigSpace config, int id) {
        if (config.visibleLength() <= SysfsConfigSpace.PCI_SIZE) {
            return -1;
        }
        Set<Integer> visited = new HashSet<>();
        int pos = SysfsConfigSpace.PCI_SIZE;
        for (int ttl = PCI_EXT_CAP_TTL; ttl > 0; ttl--) {
            if (pos < SysfsConfigSpace.PCI_SIZE || !visited.add(pos)) {
                return -1;
            }
            int header = config.read32(pos);
            if (header == 0 || header == -1) {
                return -1;
            }
            if ((header & 0xffff) == id) {
                return pos;
            }
            pos = (header >>> 20) & 0xffc; // PCI_EXT_CAP_NEXT
        }
        return -1;
    }
}

package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.MTA;
import static org.devrt.emulator.internal.e1000.E1000Registers.MTA_WORDS;
import static org.devrt.emulator.internal.e1000.E1000Registers.RAH_AV;
import static org.devrt.emulator.internal.e1000.E1000Registers.RAL0;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_BAM;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_MO_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_MPE;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_UPE;
import static org.devrt.emulator.internal.e1000.E1000Registers.RECEIVE_ADDRESSES;
import static org.devrt.emulator.internal.e1000.E1000Registers.VFTA;
import static org.devrt.emulator.internal.e1000.E1000Registers.VFTA_WORDS;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.devrt.device.MacAddress;

/**
 * Receive address filtering (8254x SDM 3.2.1 and 13.5): the receive address registers RAL/RAH 0-15 (exact matches
 * where RAH.AV is set), the 4096-bit multicast table MTA (hashed per RCTL.MO), broadcast accept (RCTL.BAM) and the
 * promiscuous bits (RCTL.UPE for unicast, RCTL.MPE for multicast). VFTA is stored but VLAN filtering is not
 * modelled. Not thread-safe: the model's lock guards it.
 */
final class AddressFilter {
    /** RAH: address bits 15:0, AS 17:16, AV 31; the rest reads 0. */
    private static final int RAH_WRITABLE = 0x8003_FFFF;
    /** Which address bits feed the 12-bit MTA index, per RCTL.MO: 47:36, 46:35, 45:34, 43:32. */
    private static final int[] MO_SHIFT = {4, 3, 2, 0};

    private final int[] receiveAddresses = new int[2 * RECEIVE_ADDRESSES];
    private final int[] multicastTable = new int[MTA_WORDS];
    private final int[] vlanTable = new int[VFTA_WORDS];

    static boolean covers(int offset) {
        return inside(offset, MTA, MTA_WORDS) || inside(offset, RAL0, 2 * RECEIVE_ADDRESSES)
                || inside(offset, VFTA, VFTA_WORDS);
    }

    private static boolean inside(int offset, int first, int words) {
        return offset >= first && offset < first + 4 * words;
    }

    /** Power-on: every table cleared, then RAL0/RAH0 loaded with the EEPROM's address and AV set (13.5.2). */
    void reset(MacAddress mac) {
        Arrays.fill(receiveAddresses, 0);
        Arrays.fill(multicastTable, 0);
        Arrays.fill(vlanTable, 0);
        receiveAddresses[0] = mac.get(0) | mac.get(1) << 8 | mac.get(2) << 16 | mac.get(3) << 24;
        receiveAddresses[1] = mac.get(4) | mac.get(5) << 8 | RAH_AV;
    }

    int read(int offset) {
        return table(offset)[slot(offset)];
    }

    void write(int offset, int value) {
        int[] table = table(offset);
        int slot = slot(offset);
        table[slot] = table == receiveAddresses && (slot & 1) == 1 ? value & RAH_WRITABLE : value;
    }

    private int[] table(int offset) {
        if (inside(offset, MTA, MTA_WORDS)) {
            return multicastTable;
        }
        return inside(offset, RAL0, 2 * RECEIVE_ADDRESSES) ? receiveAddresses : vlanTable;
    }

    private static int slot(int offset) {
        if (inside(offset, MTA, MTA_WORDS)) {
            return (offset - MTA) / 4;
        }
        return inside(offset, RAL0, 2 * RECEIVE_ADDRESSES) ? (offset - RAL0) / 4 : (offset - VFTA) / 4;
    }

    /** Whether a frame to the destination address at {@code at} passes the filters under {@code rctl}. */
    boolean accepts(ByteBuffer frame, int at, int rctl) {
        boolean group = (frame.get(at) & 1) != 0;
        if (group && isBroadcast(frame, at)) {
            if ((rctl & RCTL_BAM) != 0) {
                return true;
            }
        } else if ((rctl & (group ? RCTL_MPE : RCTL_UPE)) != 0) {
            return true;
        }
        long low = frame.get(at) & 0xFF | (frame.get(at + 1) & 0xFF) << 8 | (frame.get(at + 2) & 0xFF) << 16
                | (frame.get(at + 3) & 0xFFL) << 24;
        int high = frame.get(at + 4) & 0xFF | (frame.get(at + 5) & 0xFF) << 8;
        for (int i = 0; i < receiveAddresses.length; i += 2) {
            int rah = receiveAddresses[i + 1];
            if ((rah & RAH_AV) != 0 && (receiveAddresses[i] & 0xFFFF_FFFFL) == low && (rah & 0xFFFF) == high) {
                return true;
            }
        }
        return group && inMulticastTable(high, rctl);
    }

    /** The MTA bit for an address whose bits 47:32 are {@code high} (8254x SDM 13.5.1, RCTL.MO). */
    private boolean inMulticastTable(int high, int rctl) {
        int hash = (high >>> MO_SHIFT[(rctl >>> RCTL_MO_SHIFT) & 3]) & 0xFFF;
        return (multicastTable[hash >>> 5] >>> (hash & 31) & 1) != 0;
    }

    /** Whether the address at {@code at} is ff:ff:ff:ff:ff:ff. */
    static boolean isBroadcast(ByteBuffer frame, int at) {
        for (int i = 0; i < 6; i++) {
            if (frame.get(at + i) != -1) {
                return false;
            }
        }
        return true;
    }
}

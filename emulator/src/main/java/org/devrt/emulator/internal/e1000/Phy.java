package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.ANA;
import static org.devrt.emulator.internal.e1000.E1000Registers.EPID;
import static org.devrt.emulator.internal.e1000.E1000Registers.GCON;
import static org.devrt.emulator.internal.e1000.E1000Registers.GSTATUS;
import static org.devrt.emulator.internal.e1000.E1000Registers.LPA;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_DATA_MASK;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_E;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_OP_READ;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_OP_WRITE;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_PHYADD_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_R;
import static org.devrt.emulator.internal.e1000.E1000Registers.MDIC_REGADD_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.PCTRL;
import static org.devrt.emulator.internal.e1000.E1000Registers.PCTRL_RESET;
import static org.devrt.emulator.internal.e1000.E1000Registers.PCTRL_RESTART_AN;
import static org.devrt.emulator.internal.e1000.E1000Registers.PHY_ADDRESS;
import static org.devrt.emulator.internal.e1000.E1000Registers.PID;
import static org.devrt.emulator.internal.e1000.E1000Registers.PSSTAT;
import static org.devrt.emulator.internal.e1000.E1000Registers.PSTATUS;
import static org.devrt.emulator.internal.e1000.E1000Registers.PSTATUS_AN_COMPLETE;
import static org.devrt.emulator.internal.e1000.E1000Registers.PSTATUS_LINK;

import java.util.Arrays;

/**
 * The internal copper PHY as MDIC reaches it (8254x SDM 13.4.7 and the PHY register section): at address 1,
 * identifiers 0141h/0C20h, auto-negotiation always completing at once at 1000 Mb/s full duplex while the backend's
 * link is up. Status registers are read-only and follow the link; control registers keep what is written (PCTRL's
 * reset and restart-auto-negotiation bits clear themselves). An access completes at once (MDIC.R); another PHY
 * address or opcode sets MDIC.E. Not thread-safe: the model's lock guards it.
 */
final class Phy {
    private static final int PCTRL_POWER_ON = 0x1140;
    /** PSTATUS capabilities: 100BASE-TX/10BASE-T FD/HD, extended status, preamble suppression, AN ability. */
    private static final int PSTATUS_CAPABILITIES = 0x7949;
    private static final int ANA_POWER_ON = 0x01E1;
    private static final int LPA_UP = 0x41E1;
    private static final int GCON_POWER_ON = 0x0300;
    private static final int GSTATUS_UP = 0x3C00;
    /** PSSTAT: 1000 Mb/s, full duplex, speed and duplex resolved, link up. */
    private static final int PSSTAT_UP = 0xAC00;
    private static final boolean[] READ_ONLY = new boolean[32];

    static {
        for (int reg : new int[] {PSTATUS, PID, EPID, LPA, 6, 8, GSTATUS, 15, PSSTAT, 19}) {
            READ_ONLY[reg] = true;
        }
    }

    private final int[] registers = new int[32];
    private boolean link;

    void reset() {
        Arrays.fill(registers, 0);
        registers[PCTRL] = PCTRL_POWER_ON;
        registers[PID] = 0x0141;
        registers[EPID] = 0x0C20;
        registers[ANA] = ANA_POWER_ON;
        registers[GCON] = GCON_POWER_ON;
        registers[15] = 0x3000;
        setLink(link);
    }

    void setLink(boolean up) {
        link = up;
        registers[PSTATUS] = PSTATUS_CAPABILITIES | (up ? PSTATUS_LINK | PSTATUS_AN_COMPLETE : 0);
        registers[LPA] = up ? LPA_UP : 0;
        registers[GSTATUS] = up ? GSTATUS_UP : 0;
        registers[PSSTAT] = up ? PSSTAT_UP : 0;
    }

    /** Performs the access a write of {@code mdic} asks for; returns MDIC's new value (R set, E on error). */
    int access(int mdic) {
        int phy = (mdic >>> MDIC_PHYADD_SHIFT) & 0x1F;
        int reg = (mdic >>> MDIC_REGADD_SHIFT) & 0x1F;
        int op = mdic & (MDIC_OP_READ | MDIC_OP_WRITE);
        if (phy != PHY_ADDRESS || (op != MDIC_OP_READ && op != MDIC_OP_WRITE)) {
            return mdic | MDIC_R | MDIC_E;
        }
        if (op == MDIC_OP_READ) {
            return (mdic & ~MDIC_DATA_MASK) | registers[reg] | MDIC_R;
        }
        int data = mdic & MDIC_DATA_MASK;
        if (reg == PCTRL && (data & PCTRL_RESET) != 0) {
            reset();
        } else if (!READ_ONLY[reg]) {
            registers[reg] = reg == PCTRL ? data & ~PCTRL_RESTART_AN : data;
        }
        return mdic | MDIC_R;
    }
}

package org.devrt.ethernet.e1000;

import java.util.Map;

/**
 * Every register, bit and descriptor field this driver uses, named as Intel's "PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual" (8254x SDM, rev. 4.0) names them, in the spirit of ixy's
 * {@code ixgbe_type.h}. Section numbers in comments are that manual's. Offsets are bytes into BAR 0.
 */
final class E1000Regs {
    private E1000Regs() {
    }

    // ---- PCI identity ------------------------------------------------------------------------------------

    static final int VENDOR_INTEL = 0x8086;

    /**
     * The device ids this driver takes, with their names. All are single-port copper parts of the 82540/82545
     * family: EERD with DONE in bit 4 and the address in bits 15:8 (§13.4.4; the 82541/82547 moved both), the
     * legacy descriptor formats of §3.2.3 and §3.3.3, and an internal PHY that auto-negotiates once CTRL.SLU is
     * set (§14.6.2). bnd.bnd declares the same list; {@code SupportedDevicesTest} checks they agree.
     */
    static final Map<Integer, String> DEVICES = Map.of(
            0x100E, "82540EM Gigabit Ethernet Controller",
            0x1015, "82540EM Gigabit Ethernet Controller (LOM)",
            0x1016, "82540EP Gigabit Ethernet Controller (LOM)",
            0x1017, "82540EP Gigabit Ethernet Controller",
            0x101E, "82540EP Gigabit Ethernet Controller (Mobile)",
            0x100F, "82545EM Gigabit Ethernet Controller (Copper)",
            0x1026, "82545GM Gigabit Ethernet Controller (Copper)");

    // ---- General registers (§13.4) ---------------------------------------------------------------------

    /** Device Control (§13.4.1). */
    static final int CTRL = 0x0000;
    static final int CTRL_FD = 1 << 0; // full duplex
    static final int CTRL_LRST = 1 << 3; // link reset
    static final int CTRL_ASDE = 1 << 5; // auto-speed detection enable
    static final int CTRL_SLU = 1 << 6; // set link up
    static final int CTRL_ILOS = 1 << 7; // invert loss-of-signal
    static final int CTRL_FRCSPD = 1 << 11; // force speed
    static final int CTRL_FRCDPLX = 1 << 12; // force duplex
    static final int CTRL_RST = 1 << 26; // device reset, self-clearing
    static final int CTRL_VME = 1 << 30; // VLAN mode enable
    static final int CTRL_PHY_RST = 1 << 31; // PHY reset

    /** Device Status, read-only (§13.4.2). */
    static final int STATUS = 0x0008;
    static final int STATUS_FD = 1 << 0; // full duplex
    static final int STATUS_LU = 1 << 1; // link up
    static final int STATUS_TXOFF = 1 << 4; // transmission paused by flow control (an XOFF received)
    static final int STATUS_SPEED_SHIFT = 6; // 00 10, 01 100, 1x 1000 Mb/s
    static final int STATUS_SPEED_MASK = 3 << STATUS_SPEED_SHIFT;

    /** EEPROM/Flash Control (§13.4.3); only in dumps. */
    static final int EECD = 0x0010;

    /** EEPROM Read (§13.4.4), 82540/82545 layout. */
    static final int EERD = 0x0014;
    static final int EERD_START = 1 << 0;
    static final int EERD_DONE = 1 << 4;
    static final int EERD_ADDR_SHIFT = 8;
    static final int EERD_DATA_SHIFT = 16;

    /** Extended Device Control (§13.4.6); only in dumps. */
    static final int CTRL_EXT = 0x0018;
    static final int CTRL_EXT_EE_RST = 1 << 13; // reload the EEPROM's settings
    /** The I/O window of BAR 1 (§13.1.1): IOADDR names a register, IODATA reads or writes it. */
    static final int IOADDR = 0x0;
    static final int IODATA = 0x4;

    /** Flow control address, type and timer value (§13.4), zeroed: this driver uses no flow control (§14.3). */
    static final int FCAL = 0x0028;
    static final int FCAH = 0x002C;
    static final int FCT = 0x0030;
    static final int FCTTV = 0x0170;

    // ---- Interrupts (§13.4.17 to §13.4.21) ----------------------------------------------------------------

    /** Interrupt Cause Read: clear-on-read, so never in the dump table. */
    static final int ICR = 0x00C0;
    /** Interrupt Throttling. */
    static final int ITR = 0x00C4;
    /** Interrupt Cause Set (write-only). */
    static final int ICS = 0x00C8;
    /** Interrupt Mask Set/Read. */
    static final int IMS = 0x00D0;
    /** Interrupt Mask Clear (write-only). */
    static final int IMC = 0x00D8;

    /** Cause bits, the same in ICR, ICS, IMS and IMC. */
    static final int INT_TXDW = 1 << 0; // transmit descriptor written back
    static final int INT_TXQE = 1 << 1; // transmit queue empty
    static final int INT_LSC = 1 << 2; // link status change
    static final int INT_RXSEQ = 1 << 3; // receive sequence error
    static final int INT_RXDMT0 = 1 << 4; // receive descriptor minimum threshold reached
    static final int INT_RXO = 1 << 6; // receiver overrun
    static final int INT_RXT0 = 1 << 7; // receiver timer interrupt (a frame arrived)
    static final int INT_ALL = 0xFFFF_FFFF;

    // ---- Receive (§13.4.22, §13.4.26 to §13.4.31) ---------------------------------------------------------

    /** Receive Control. */
    static final int RCTL = 0x0100;
    static final int RCTL_EN = 1 << 1;
    static final int RCTL_SBP = 1 << 2; // store bad packets
    static final int RCTL_UPE = 1 << 3; // unicast promiscuous
    static final int RCTL_MPE = 1 << 4; // multicast promiscuous
    static final int RCTL_LPE = 1 << 5; // long packet enable
    static final int RCTL_LBM_MASK = 3 << 6; // loopback mode, 00 = none
    static final int RCTL_RDMTS_HALF = 0 << 8; // RXDMT0 when half the ring is free
    static final int RCTL_MO_MASK = 3 << 12; // multicast offset
    static final int RCTL_BAM = 1 << 15; // broadcast accept
    static final int RCTL_BSIZE_2048 = 0 << 16; // with BSEX = 0
    static final int RCTL_BSEX = 1 << 25;
    static final int RCTL_SECRC = 1 << 26; // strip the Ethernet CRC

    static final int RDBAL = 0x2800;
    static final int RDBAH = 0x2804;
    static final int RDLEN = 0x2808;
    static final int RDH = 0x2810;
    static final int RDT = 0x2818;
    /** Receive Delay Timer: 0 = interrupt as soon as a frame is stored. */
    static final int RDTR = 0x2820;

    // ---- Transmit (§13.4.33, §13.4.34, §13.4.38 to §13.4.43) ----------------------------------------------

    /** Transmit Control. */
    static final int TCTL = 0x0400;
    static final int TCTL_EN = 1 << 1;
    static final int TCTL_PSP = 1 << 3; // pad short packets to 64 bytes
    static final int TCTL_CT_SHIFT = 4; // collision threshold
    static final int TCTL_COLD_SHIFT = 12; // collision distance
    static final int TCTL_COLD_MASK = 0x3FF << TCTL_COLD_SHIFT;
    /** 15 retries after the first attempt: the 16 attempts IEEE 802.3 asks for (§13.4.33). */
    static final int TCTL_CT_IEEE = 0x0F;
    /** Collision distance: 40h for full duplex, 200h for half duplex (§14.5). */
    static final int TCTL_COLD_FULL_DUPLEX = 0x40;
    static final int TCTL_COLD_HALF_DUPLEX = 0x200;

    /** Transmit IPG; IPGT 10, IPGR1 8, IPGR2 6 for the 82540/82545 on copper (§13.4.34). */
    static final int TIPG = 0x0410;
    static final int TIPG_IEEE_COPPER = 10 | (8 << 10) | (6 << 20);

    static final int TDBAL = 0x3800;
    static final int TDBAH = 0x3804;
    static final int TDLEN = 0x3808;
    static final int TDH = 0x3810;
    static final int TDT = 0x3818;
    /** Transmit Interrupt Delay Value. */
    static final int TIDV = 0x3820;

    // ---- Filters (§13.5) -----------------------------------------------------------------------------------

    /** Multicast Table Array: 128 registers. */
    static final int MTA = 0x5200;
    static final int MTA_COUNT = 128;
    /** Receive Address Low/High, entry 0 (the port's own address). */
    static final int RAL0 = 0x5400;
    static final int RAH0 = 0x5404;
    static final int RAH_AV = 1 << 31; // address valid

    // ---- Statistics (§13.7), clear-on-read ---------------------------------------------------------------

    /** CRC Error Count: frames with a bad FCS that passed the address filter. */
    static final int CRCERRS = 0x4000;
    /** Alignment Error Count (not a whole number of bytes, with a bad CRC; MII modes only). */
    static final int ALGNERRC = 0x4004;
    /** RX Error Count: frames during which the PHY signalled a receive error. */
    static final int RXERRC = 0x400C;
    /** Missed Packets Count: frames dropped because the receive ring had no free descriptor. */
    static final int MPC = 0x4010;
    /** Excessive Collisions Count: transmissions given up after 16 collisions (half duplex). */
    static final int ECOL = 0x4018;
    /** Late Collisions Count: transmissions that collided after the first 64 bytes (half duplex). */
    static final int LATECOL = 0x4020;
    /** Carrier Extension Error Count (1000 Mb/s half duplex). */
    static final int CEXTERR = 0x403C;
    /** Receive Undersize Count: frames shorter than 64 bytes with a good CRC. */
    static final int RUC = 0x40A4;
    /** Receive Oversize Count: frames longer than the maximum (RCTL.LPE clear) with a good CRC. */
    static final int ROC = 0x40AC;

    // ---- EEPROM map (§5.6) -------------------------------------------------------------------------------

    /** Words 00h-02h: the Ethernet address, low byte first in each word. */
    static final int EEPROM_ETHERNET_ADDRESS = 0x00;
    /** Word 3Fh makes the sum of words 00h-3Fh equal BABAh. */
    static final int EEPROM_CHECKSUM_WORD = 0x3F;
    static final int EEPROM_CHECKSUM = 0xBABA;

    // ---- Descriptors (§3.2.3 receive, §3.3.3 legacy transmit), 16 bytes each ---------------------------

    static final int DESC_SIZE = 16;
    /** RDLEN and TDLEN must be multiples of 128 bytes: rings are whole groups of 8 descriptors. */
    static final int RING_ALIGN_DESCRIPTORS = 8;

    /** Receive descriptor: buffer address (8), length (2), checksum (2), status (1), errors (1), special (2). */
    static final int RXD_ADDR = 0;
    static final int RXD_LENGTH = 8;
    static final int RXD_STATUS = 12;
    static final int RXD_ERRORS = 13;
    static final int RXD_STAT_DD = 1 << 0; // descriptor done
    static final int RXD_STAT_EOP = 1 << 1; // end of packet
    static final int RXD_ERR_CE = 1 << 0; // CRC or alignment error
    static final int RXD_ERR_SE = 1 << 1; // symbol error
    static final int RXD_ERR_SEQ = 1 << 2; // sequence error
    static final int RXD_ERR_CXE = 1 << 4; // carrier extension error
    static final int RXD_ERR_RXE = 1 << 7; // RX data error
    /** The errors that make a frame bad; TCPE/IPE are checksum-offload results and not used here. */
    static final int RXD_ERR_FRAME = RXD_ERR_CE | RXD_ERR_SE | RXD_ERR_SEQ | RXD_ERR_CXE | RXD_ERR_RXE;

    /** Legacy transmit descriptor: buffer address (8), length (2), CSO (1), CMD (1), STA (1), CSS (1), special (2). */
    static final int TXD_ADDR = 0;
    static final int TXD_LENGTH = 8;
    static final int TXD_CMD = 11;
    static final int TXD_STATUS = 12;
    static final int TXD_CMD_EOP = 1 << 0; // end of packet
    static final int TXD_CMD_IFCS = 1 << 1; // insert FCS
    static final int TXD_CMD_RS = 1 << 3; // report status: write DD back
    static final int TXD_STAT_DD = 1 << 0; // descriptor done
    static final int TXD_STAT_EC = 1 << 1; // excess collisions
    static final int TXD_STAT_LC = 1 << 2; // late collision

    /**
     * The registers a time-out dump shows, by offset. ICR and the statistics are left out: reading them clears
     * them.
     */
    static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(CTRL, "CTRL"), Map.entry(STATUS, "STATUS"), Map.entry(EECD, "EECD"),
            Map.entry(EERD, "EERD"), Map.entry(CTRL_EXT, "CTRL_EXT"), Map.entry(IMS, "IMS"),
            Map.entry(RCTL, "RCTL"), Map.entry(TCTL, "TCTL"), Map.entry(TIPG, "TIPG"),
            Map.entry(RDBAL, "RDBAL"), Map.entry(RDBAH, "RDBAH"), Map.entry(RDLEN, "RDLEN"),
            Map.entry(RDH, "RDH"), Map.entry(RDT, "RDT"), Map.entry(TDBAL, "TDBAL"), Map.entry(TDBAH, "TDBAH"),
            Map.entry(TDLEN, "TDLEN"), Map.entry(TDH, "TDH"), Map.entry(TDT, "TDT"),
            Map.entry(RAL0, "RAL0"), Map.entry(RAH0, "RAH0"));
}

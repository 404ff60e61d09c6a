package org.devrt.emulator.internal.e1000;

/**
 * Register offsets, register bits and descriptor fields of the 82540EM, named exactly as the PCI/PCI-X Family of
 * Gigabit Ethernet Controllers Software Developer's Manual (8254x SDM, rev. 4.0) names them. Offsets are bytes into
 * BAR 0 (section 13.2, table 13-2); bit constants are prefixed with their register's name.
 */
public final class E1000Registers {
    private E1000Registers() {
    }

    // ---- General (13.4.1 - 13.4.9) ----
    /** Device Control, R/W; RST (bit 26) self-clears. 13.4.1 */
    public static final int CTRL = 0x0000;
    /** Device Status, RO. 13.4.2 */
    public static final int STATUS = 0x0008;
    /** EEPROM/Flash Control/Data, R/W (Microwire bit-bang). 13.4.3 */
    public static final int EECD = 0x0010;
    /** EEPROM Read, R/W: write START, read DONE and DATA. 13.4.4 */
    public static final int EERD = 0x0014;
    /** Extended Device Control, R/W. 13.4.6 */
    public static final int CTRL_EXT = 0x0018;
    /** Flash Access, R/W. 13.4.5 */
    public static final int FLA = 0x001C;
    /** MDI Control: PHY register access, completes at once. 13.4.7 */
    public static final int MDIC = 0x0020;
    /** Flow Control Address Low/High, Flow Control Type, R/W. 13.4.8-13.4.10 */
    public static final int FCAL = 0x0028;
    public static final int FCAH = 0x002C;
    public static final int FCT = 0x0030;
    /** VLAN Ether Type, R/W. 13.4.11 */
    public static final int VET = 0x0038;
    /** Flow Control Transmit Timer Value, R/W. 13.4.12 */
    public static final int FCTTV = 0x0170;
    /** Transmit/Receive Configuration Word (TBI mode), R/W and RO. 13.4.13-13.4.14 */
    public static final int TXCW = 0x0178;
    public static final int RXCW = 0x0180;
    /** LED Control, R/W. 13.4.15 */
    public static final int LEDCTL = 0x0E00;
    /** Packet Buffer Allocation, R/W. 13.4.16 */
    public static final int PBA = 0x1000;

    // ---- Interrupts (13.4.17 - 13.4.21) ----
    /** Interrupt Cause Read: clear on read; writing 1b also clears a bit. 13.4.17 */
    public static final int ICR = 0x00C0;
    /** Interrupt Throttling, R/W (stored, not applied). 13.4.18 */
    public static final int ITR = 0x00C4;
    /** Interrupt Cause Set, WO: 1b sets the ICR bit. 13.4.19 */
    public static final int ICS = 0x00C8;
    /** Interrupt Mask Set/Read: 1b enables, 0b leaves the bit alone. 13.4.20 */
    public static final int IMS = 0x00D0;
    /** Interrupt Mask Clear, WO: 1b disables. 13.4.21 */
    public static final int IMC = 0x00D8;

    // ---- Receive (13.4.22 - 13.4.32) ----
    /** Receive Control, R/W. 13.4.22 */
    public static final int RCTL = 0x0100;
    /** Flow Control Receive Threshold Low/High, R/W. 13.4.23-13.4.24 */
    public static final int FCRTL = 0x2160;
    public static final int FCRTH = 0x2168;
    /** Receive Descriptor Base Address Low (bits 3:0 ignored) and High, R/W. 13.4.25-13.4.26 */
    public static final int RDBAL = 0x2800;
    public static final int RDBAH = 0x2804;
    /** Receive Descriptor Length in bytes, a multiple of 128 (bits 6:0 read 0). 13.4.27 */
    public static final int RDLEN = 0x2808;
    /** Receive Descriptor Head and Tail; a write to RDT gives the device buffers. 13.4.28-13.4.29 */
    public static final int RDH = 0x2810;
    public static final int RDT = 0x2818;
    /** Receive Delay Timer (13.4.30), Receive Descriptor Control, Receive Interrupt Absolute Delay (13.4.31), R/W. */
    public static final int RDTR = 0x2820;
    public static final int RXDCTL = 0x2828;
    public static final int RADV = 0x282C;
    /** Receive Small Packet Detect Interrupt, R/W. 13.4.32 */
    public static final int RSRPD = 0x2C00;

    // ---- Transmit (13.4.33 - 13.4.45) ----
    /** Transmit Control, R/W. 13.4.33 */
    public static final int TCTL = 0x0400;
    /** Transmit Inter Packet Gap, R/W. 13.4.34 */
    public static final int TIPG = 0x0410;
    /** Adaptive IFS Throttle, R/W. 13.4.35 */
    public static final int AIFS = 0x0458;
    /** Transmit Descriptor Base Address Low/High, Length, Head, Tail; TDT is the doorbell. 13.4.36-13.4.40 */
    public static final int TDBAL = 0x3800;
    public static final int TDBAH = 0x3804;
    public static final int TDLEN = 0x3808;
    public static final int TDH = 0x3810;
    public static final int TDT = 0x3818;
    /** Transmit Interrupt Delay Value, Transmit Descriptor Control, Transmit Absolute Interrupt Delay. */
    public static final int TIDV = 0x3820;
    public static final int TXDMAC = 0x3000;
    public static final int TXDCTL = 0x3828;
    public static final int TADV = 0x382C;
    public static final int TSPMT = 0x3830;

    // ---- Filters (13.5) ----
    /** Receive Checksum Control, R/W (no offload: RDESC.STATUS.IXSM is always set). */
    public static final int RXCSUM = 0x5000;
    /** Multicast Table Array, 128 R/W words. 13.5.1 */
    public static final int MTA = 0x5200;
    public static final int MTA_WORDS = 128;
    /** Receive Address Low/High n (n = 0..15) at RAL0 + 8n and RAH0 + 8n, R/W; RAH.AV marks a valid entry. 13.5.2 */
    public static final int RAL0 = 0x5400;
    public static final int RAH0 = 0x5404;
    public static final int RECEIVE_ADDRESSES = 16;
    /** VLAN Filter Table Array, 128 R/W words (stored; VLAN filtering is not modelled). 13.5.3 */
    public static final int VFTA = 0x5600;
    public static final int VFTA_WORDS = 128;

    // ---- Wakeup and management (13.6), stored only ----
    public static final int WUC = 0x5800;
    public static final int WUFC = 0x5808;
    public static final int WUS = 0x5810;
    public static final int MANC = 0x5820;
    public static final int IPAV = 0x5838;

    // ---- Statistics (13.7): every one is cleared on read; 64-bit ones when the high half is read ----
    public static final int CRCERRS = 0x4000;
    public static final int ALGNERRC = 0x4004;
    public static final int SYMERRS = 0x4008;
    public static final int RXERRC = 0x400C;
    public static final int MPC = 0x4010;
    public static final int SCC = 0x4014;
    public static final int ECOL = 0x4018;
    public static final int MCC = 0x401C;
    public static final int LATECOL = 0x4020;
    public static final int COLC = 0x4028;
    public static final int DC = 0x4030;
    public static final int TNCRS = 0x4034;
    public static final int SEC = 0x4038;
    public static final int CEXTERR = 0x403C;
    public static final int RLEC = 0x4040;
    public static final int XONRXC = 0x4048;
    public static final int XONTXC = 0x404C;
    public static final int XOFFRXC = 0x4050;
    public static final int XOFFTXC = 0x4054;
    public static final int FCRUC = 0x4058;
    public static final int PRC64 = 0x405C;
    public static final int PRC127 = 0x4060;
    public static final int PRC255 = 0x4064;
    public static final int PRC511 = 0x4068;
    public static final int PRC1023 = 0x406C;
    public static final int PRC1522 = 0x4070;
    public static final int GPRC = 0x4074;
    public static final int BPRC = 0x4078;
    public static final int MPRC = 0x407C;
    public static final int GPTC = 0x4080;
    public static final int GORCL = 0x4088;
    public static final int GORCH = 0x408C;
    public static final int GOTCL = 0x4090;
    public static final int GOTCH = 0x4094;
    public static final int RNBC = 0x40A0;
    public static final int RUC = 0x40A4;
    public static final int RFC = 0x40A8;
    public static final int ROC = 0x40AC;
    public static final int RJC = 0x40B0;
    public static final int MGTPRC = 0x40B4;
    public static final int MGTPDC = 0x40B8;
    public static final int MGTPTC = 0x40BC;
    public static final int TORL = 0x40C0;
    public static final int TORH = 0x40C4;
    public static final int TOTL = 0x40C8;
    public static final int TOTH = 0x40CC;
    public static final int TPR = 0x40D0;
    public static final int TPT = 0x40D4;
    public static final int PTC64 = 0x40D8;
    public static final int PTC127 = 0x40DC;
    public static final int PTC255 = 0x40E0;
    public static final int PTC511 = 0x40E4;
    public static final int PTC1023 = 0x40E8;
    public static final int PTC1522 = 0x40EC;
    public static final int MPTC = 0x40F0;
    public static final int BPTC = 0x40F4;
    public static final int TSCTC = 0x40F8;
    public static final int TSCTFC = 0x40FC;
    /** First and last statistics register. */
    public static final int STATS_FIRST = CRCERRS;
    public static final int STATS_LAST = TSCTFC;

    // ---- I/O BAR (13.1.1): indirect access to every BAR 0 register ----
    /** IOADDR: the BAR 0 offset that IODATA accesses. */
    public static final int IOADDR = 0x00;
    /** IODATA: reads and writes the register IOADDR names. */
    public static final int IODATA = 0x04;

    // ---- CTRL bits (13.4.1) ----
    public static final int CTRL_FD = 1;
    public static final int CTRL_LRST = 1 << 3;
    public static final int CTRL_ASDE = 1 << 5;
    public static final int CTRL_SLU = 1 << 6;
    public static final int CTRL_ILOS = 1 << 7;
    public static final int CTRL_SPEED_MASK = 3 << 8;
    public static final int CTRL_FRCSPD = 1 << 11;
    public static final int CTRL_FRCDPLX = 1 << 12;
    public static final int CTRL_RST = 1 << 26;
    public static final int CTRL_RFCE = 1 << 27;
    public static final int CTRL_TFCE = 1 << 28;
    public static final int CTRL_VME = 1 << 30;
    public static final int CTRL_PHY_RST = 1 << 31;

    // ---- STATUS bits (13.4.2) ----
    public static final int STATUS_FD = 1;
    public static final int STATUS_LU = 1 << 1;
    public static final int STATUS_TXOFF = 1 << 4;
    public static final int STATUS_SPEED_MASK = 3 << 6;
    public static final int STATUS_SPEED_10 = 0;
    public static final int STATUS_SPEED_100 = 1 << 6;
    public static final int STATUS_SPEED_1000 = 2 << 6;

    // ---- EECD bits (13.4.3) ----
    public static final int EECD_SK = 1;
    public static final int EECD_CS = 1 << 1;
    public static final int EECD_DI = 1 << 2;
    public static final int EECD_DO = 1 << 3;
    public static final int EECD_FWE_MASK = 3 << 4;
    public static final int EECD_EE_REQ = 1 << 6;
    public static final int EECD_EE_GNT = 1 << 7;
    public static final int EECD_EE_PRES = 1 << 8;
    /** 0b: a 1024-bit (64-word) Microwire EEPROM, as the 82540EM has. */
    public static final int EECD_EE_SIZE = 1 << 9;

    // ---- EERD bits (13.4.4, 82540EP/EM layout) ----
    public static final int EERD_START = 1;
    public static final int EERD_DONE = 1 << 4;
    public static final int EERD_ADDR_SHIFT = 8;
    public static final int EERD_ADDR_MASK = 0xFF << EERD_ADDR_SHIFT;
    public static final int EERD_DATA_SHIFT = 16;

    // ---- MDIC bits (13.4.7) ----
    public static final int MDIC_DATA_MASK = 0xFFFF;
    public static final int MDIC_REGADD_SHIFT = 16;
    public static final int MDIC_PHYADD_SHIFT = 21;
    public static final int MDIC_OP_WRITE = 1 << 26;
    public static final int MDIC_OP_READ = 2 << 26;
    public static final int MDIC_R = 1 << 28;
    public static final int MDIC_I = 1 << 29;
    public static final int MDIC_E = 1 << 30;

    // ---- ICR/ICS/IMS/IMC bits (13.4.17) ----
    public static final int ICR_TXDW = 1;
    public static final int ICR_TXQE = 1 << 1;
    public static final int ICR_LSC = 1 << 2;
    public static final int ICR_RXSEQ = 1 << 3;
    public static final int ICR_RXDMT0 = 1 << 4;
    public static final int ICR_RXO = 1 << 6;
    public static final int ICR_RXT0 = 1 << 7;
    public static final int ICR_MDAC = 1 << 9;
    public static final int ICR_RXCFG = 1 << 10;
    public static final int ICR_PHYINT = 1 << 12;
    public static final int ICR_TXD_LOW = 1 << 15;
    public static final int ICR_SRPD = 1 << 16;
    /** The bits that exist: 16:0 less the reserved 5, 8, 11, 13 and 14. */
    public static final int ICR_VALID = 0x1_96DF;

    // ---- RCTL bits (13.4.22) ----
    public static final int RCTL_EN = 1 << 1;
    public static final int RCTL_SBP = 1 << 2;
    public static final int RCTL_UPE = 1 << 3;
    public static final int RCTL_MPE = 1 << 4;
    public static final int RCTL_LPE = 1 << 5;
    public static final int RCTL_LBM_MASK = 3 << 6;
    public static final int RCTL_RDMTS_SHIFT = 8;
    public static final int RCTL_MO_SHIFT = 12;
    public static final int RCTL_BAM = 1 << 15;
    public static final int RCTL_BSIZE_SHIFT = 16;
    public static final int RCTL_VFE = 1 << 18;
    public static final int RCTL_BSEX = 1 << 25;
    public static final int RCTL_SECRC = 1 << 26;

    // ---- TCTL bits (13.4.33) ----
    public static final int TCTL_EN = 1 << 1;
    public static final int TCTL_PSP = 1 << 3;
    public static final int TCTL_CT_SHIFT = 4;
    public static final int TCTL_COLD_SHIFT = 12;

    /** RAH.AV, Address Valid (13.5.2). */
    public static final int RAH_AV = 1 << 31;

    // ---- Receive descriptor, legacy format (3.2.3): 16 bytes ----
    public static final int DESCRIPTOR_SIZE = 16;
    public static final int RDESC_BUFFER_ADDRESS = 0;
    public static final int RDESC_LENGTH = 8;
    public static final int RDESC_CHECKSUM = 10;
    public static final int RDESC_STATUS = 12;
    public static final int RDESC_ERRORS = 13;
    public static final int RDESC_SPECIAL = 14;
    /** RDESC.STATUS bits (3.2.3.1). */
    public static final int RDESC_STATUS_DD = 1;
    public static final int RDESC_STATUS_EOP = 1 << 1;
    public static final int RDESC_STATUS_IXSM = 1 << 2;
    /** RDESC.ERRORS bits (3.2.3.2). */
    public static final int RDESC_ERRORS_CE = 1;
    public static final int RDESC_ERRORS_RXE = 1 << 7;

    // ---- Transmit descriptor, legacy format (3.3.3): 16 bytes ----
    public static final int TDESC_BUFFER_ADDRESS = 0;
    public static final int TDESC_LENGTH = 8;
    public static final int TDESC_CSO = 10;
    public static final int TDESC_CMD = 11;
    public static final int TDESC_STATUS = 12;
    public static final int TDESC_CSS = 13;
    public static final int TDESC_SPECIAL = 14;
    /** TDESC.CMD bits (3.3.3.1). */
    public static final int TDESC_CMD_EOP = 1;
    public static final int TDESC_CMD_IFCS = 1 << 1;
    public static final int TDESC_CMD_IC = 1 << 2;
    public static final int TDESC_CMD_RS = 1 << 3;
    public static final int TDESC_CMD_DEXT = 1 << 5;
    public static final int TDESC_CMD_VLE = 1 << 6;
    public static final int TDESC_CMD_IDE = 1 << 7;
    /** TDESC.STATUS bits (3.3.3.2). */
    public static final int TDESC_STATUS_DD = 1;
    /** Extended descriptors (DEXT set): DTYP in bits 23:20 of the length dword; 0 context, 1 data (3.3.5-3.3.7). */
    public static final int TDESC_DTYP_SHIFT = 20;
    public static final int TDESC_DTYP_DATA = 1;

    // ---- EEPROM map (5.6, table 5-2) ----
    public static final int EEPROM_WORDS = 64;
    /** Words 00h-02h: the Ethernet address, byte 0 in the low byte of word 0. */
    public static final int EEPROM_ETHERNET_ADDRESS = 0x00;
    public static final int EEPROM_INIT_CONTROL_1 = 0x0A;
    public static final int EEPROM_SUBSYSTEM_ID = 0x0B;
    public static final int EEPROM_SUBSYSTEM_VENDOR_ID = 0x0C;
    public static final int EEPROM_DEVICE_ID = 0x0D;
    public static final int EEPROM_VENDOR_ID = 0x0E;
    public static final int EEPROM_INIT_CONTROL_2 = 0x0F;
    /** Word 3Fh: chosen so that words 00h-3Fh add up to BABAh (5.6.21). */
    public static final int EEPROM_CHECKSUM = 0x3F;
    public static final int EEPROM_SUM = 0xBABA;

    // ---- PHY registers through MDIC (section 13.3, PHY registers; the 82540EM's internal PHY is at address 1) ----
    public static final int PHY_ADDRESS = 1;
    /** PHY Control. */
    public static final int PCTRL = 0;
    /** PHY Status. */
    public static final int PSTATUS = 1;
    /** PHY Identifier (OUI) and Extended PHY Identifier. */
    public static final int PID = 2;
    public static final int EPID = 3;
    /** Auto-Negotiation Advertisement, Link Partner Ability. */
    public static final int ANA = 4;
    public static final int LPA = 5;
    /** 1000BASE-T Control and Status. */
    public static final int GCON = 9;
    public static final int GSTATUS = 10;
    /** PHY Specific Status. */
    public static final int PSSTAT = 17;
    public static final int PSTATUS_LINK = 1 << 2;
    public static final int PSTATUS_AN_COMPLETE = 1 << 5;
    public static final int PCTRL_RESET = 1 << 15;
    public static final int PCTRL_RESTART_AN = 1 << 9;
}

package org.devrt.emulator.internal.ahci;

/**
 * The names of the AHCI 1.3.1 specification (Serial ATA AHCI 1.3.1, "the spec"): HBA memory registers and their
 * fields (section 3), system memory structures (section 4), the FIS types of SATA 2.6 (section 10.3 there), and
 * the ATA8-ACS commands, status and error bits the model implements. Names are the spec's, so that a line of the
 * model can be checked against the spec by searching for the name. Offsets are bytes from ABAR or from the port's
 * register block ({@link #portBase}).
 */
public final class AhciRegs {
    private AhciRegs() {
    }

    // §3.1 Generic Host Control
    /** §3.1.1 Host Capabilities: read-only (HwInit). */
    public static final int CAP = 0x00;
    /** §3.1.2 Global HBA Control: HR, IE RW; AE read-only 1 (CAP.SAM = 1); MRSM read-only 0. */
    public static final int GHC = 0x04;
    /** §3.1.3 Interrupt Status: one bit per port, write 1 to clear. */
    public static final int IS = 0x08;
    /** §3.1.4 Ports Implemented: read-only (HwInit). */
    public static final int PI = 0x0c;
    /** §3.1.5 Version: read-only. */
    public static final int VS = 0x10;
    /** §3.1.6, §3.1.7 Command Completion Coalescing: CAP.CCCS = 0, so reserved (reads 0). */
    public static final int CCC_CTL = 0x14;
    public static final int CCC_PORTS = 0x18;
    /** §3.1.8, §3.1.9 Enclosure Management: CAP.EMS = 0, so reserved (reads 0). */
    public static final int EM_LOC = 0x1c;
    public static final int EM_CTL = 0x20;
    /**
     * §3.1.10 Host Capabilities Extended: read-only; BOH (BIOS/OS handoff) only with the bios-owned option, no
     * NVMHCI, no APST, no DevSleep.
     */
    public static final int CAP2 = 0x24;
    /** §3.1.11 BIOS/OS Handoff Control and Status: reserved (reads 0) unless CAP2.BOH. */
    public static final int BOHC = 0x28;
    public static final int CAP2_BOH = 1;
    /** BOHC.BOS, BIOS Owned Semaphore; BOHC.OOS, OS Owned Semaphore: neither is affected by GHC.HR. */
    public static final int BOHC_BOS = 1;
    public static final int BOHC_OOS = 1 << 1;
    /** BOHC.SOOE: SMI on OS Ownership Change Enable (RW, no SMI here). */
    public static final int BOHC_SOOE = 1 << 2;
    /** BOHC.OOC: OS Ownership Change, set when OOS goes from 0 to 1 (RWC). */
    public static final int BOHC_OOC = 1 << 3;
    /** BOHC.BB: BIOS Busy, set by the BIOS while it finishes its commands before it lets go. */
    public static final int BOHC_BB = 1 << 4;
    /** §3: 0xa0-0xff are vendor specific; the port register blocks start at 0x100, 0x80 bytes each. */
    public static final int PORT_BASE = 0x100;
    public static final int PORT_SIZE = 0x80;

    public static final int CAP_S64A = 1 << 31;
    public static final int CAP_SNCQ = 1 << 30;
    public static final int CAP_SSNTF = 1 << 29;
    public static final int CAP_SMPS = 1 << 28;
    public static final int CAP_SSS = 1 << 27;
    public static final int CAP_SALP = 1 << 26;
    public static final int CAP_SAL = 1 << 25;
    public static final int CAP_SCLO = 1 << 24;
    public static final int CAP_ISS_SHIFT = 20;
    public static final int CAP_ISS_MASK = 0xf << CAP_ISS_SHIFT;
    public static final int CAP_SAM = 1 << 18;
    public static final int CAP_SPM = 1 << 17;
    public static final int CAP_FBSS = 1 << 16;
    public static final int CAP_PMD = 1 << 15;
    public static final int CAP_SSC = 1 << 14;
    public static final int CAP_PSC = 1 << 13;
    public static final int CAP_NCS_SHIFT = 8;
    public static final int CAP_NCS_MASK = 0x1f << CAP_NCS_SHIFT;
    public static final int CAP_CCCS = 1 << 7;
    public static final int CAP_EMS = 1 << 6;
    public static final int CAP_SXS = 1 << 5;
    public static final int CAP_NP_MASK = 0x1f;

    public static final int GHC_AE = 1 << 31;
    public static final int GHC_MRSM = 1 << 2;
    public static final int GHC_IE = 1 << 1;
    public static final int GHC_HR = 1;

    /** §3.1.5: major 0x0001, minor 0x0301. */
    public static final int VS_1_3_1 = 0x0001_0301;

    // §3.3 Port registers, offsets in the port's block
    /** §3.3.1 Command List Base Address, 1 KiB aligned (bits 9:0 read 0); may change only while ST = CR = 0. */
    public static final int PxCLB = 0x00;
    public static final int PxCLBU = 0x04;
    /** §3.3.2 FIS Base Address, 256-byte aligned (bits 7:0 read 0); may change only while FRE = FR = 0. */
    public static final int PxFB = 0x08;
    public static final int PxFBU = 0x0c;
    /** §3.3.5 Interrupt Status: write 1 to clear, except PCS and PRCS, which reflect PxSERR.DIAG.X and .N. */
    public static final int PxIS = 0x10;
    /** §3.3.6 Interrupt Enable: RW, same layout as PxIS. */
    public static final int PxIE = 0x14;
    /** §3.3.7 Command and Status. */
    public static final int PxCMD = 0x18;
    /** §3.3.8 Task File Data: read-only, the device's Status and Error registers. */
    public static final int PxTFD = 0x20;
    /** §3.3.9 Signature: read-only, from the first D2H Register FIS after a reset. */
    public static final int PxSIG = 0x24;
    /** §3.3.10 Serial ATA Status (SCR0: SStatus): read-only. */
    public static final int PxSSTS = 0x28;
    /** §3.3.11 Serial ATA Control (SCR2: SControl): RW; DET = 1 sends COMRESET. */
    public static final int PxSCTL = 0x2c;
    /** §3.3.12 Serial ATA Error (SCR1: SError): write 1 to clear. */
    public static final int PxSERR = 0x30;
    /** §3.3.13 Serial ATA Active (SCR3: SActive): software writes 1s to set, the HBA clears on completion. */
    public static final int PxSACT = 0x34;
    /** §3.3.14 Command Issue: the doorbell; software writes 1s to set, the HBA clears a bit on completion. */
    public static final int PxCI = 0x38;
    /** §3.3.15 SNotification: CAP.SSNTF = 0, reads 0. */
    public static final int PxSNTF = 0x3c;
    /** §3.3.16 FIS-based Switching Control: CAP.FBSS = 0, reads 0. */
    public static final int PxFBS = 0x40;
    /** §3.3.17 Device Sleep: CAP2.SDS = 0, reads 0. */
    public static final int PxDEVSLP = 0x44;

    /** §3.3.5 PxIS (and §3.3.6 PxIE, whose bits have the same positions, named ...E). */
    public static final int PxIS_CPDS = 1 << 31;
    public static final int PxIS_TFES = 1 << 30;
    public static final int PxIS_HBFS = 1 << 29;
    public static final int PxIS_HBDS = 1 << 28;
    public static final int PxIS_IFS = 1 << 27;
    public static final int PxIS_INFS = 1 << 26;
    public static final int PxIS_OFS = 1 << 24;
    public static final int PxIS_IPMS = 1 << 23;
    public static final int PxIS_PRCS = 1 << 22;
    public static final int PxIS_DMPS = 1 << 7;
    public static final int PxIS_PCS = 1 << 6;
    public static final int PxIS_DPS = 1 << 5;
    public static final int PxIS_UFS = 1 << 4;
    public static final int PxIS_SDBS = 1 << 3;
    public static final int PxIS_DSS = 1 << 2;
    public static final int PxIS_PSS = 1 << 1;
    public static final int PxIS_DHRS = 1;
    /** The PxIS/PxIE bits this HBA implements; the others are reserved or need capabilities it lacks. */
    public static final int PxIS_IMPLEMENTED = PxIS_TFES | PxIS_HBFS | PxIS_HBDS | PxIS_IFS | PxIS_INFS | PxIS_OFS
            | PxIS_PRCS | PxIS_PCS | PxIS_DPS | PxIS_UFS | PxIS_SDBS | PxIS_DSS | PxIS_PSS | PxIS_DHRS;

    /** §3.3.7 PxCMD. */
    public static final int PxCMD_ICC_MASK = 0xf << 28;
    public static final int PxCMD_ASP = 1 << 27;
    public static final int PxCMD_ALPE = 1 << 26;
    public static final int PxCMD_DLAE = 1 << 25;
    public static final int PxCMD_ATAPI = 1 << 24;
    public static final int PxCMD_APSTE = 1 << 23;
    public static final int PxCMD_FBSCP = 1 << 22;
    public static final int PxCMD_ESP = 1 << 21;
    public static final int PxCMD_CPD = 1 << 20;
    public static final int PxCMD_MPSP = 1 << 19;
    public static final int PxCMD_HPCP = 1 << 18;
    public static final int PxCMD_PMA = 1 << 17;
    public static final int PxCMD_CPS = 1 << 16;
    public static final int PxCMD_CR = 1 << 15;
    public static final int PxCMD_FR = 1 << 14;
    public static final int PxCMD_MPSS = 1 << 13;
    public static final int PxCMD_CCS_SHIFT = 8;
    public static final int PxCMD_CCS_MASK = 0x1f << PxCMD_CCS_SHIFT;
    public static final int PxCMD_FRE = 1 << 4;
    public static final int PxCMD_CLO = 1 << 3;
    public static final int PxCMD_POD = 1 << 2;
    public static final int PxCMD_SUD = 1 << 1;
    public static final int PxCMD_ST = 1;

    /** §3.3.8 PxTFD: ERR in bits 15:8, STS in bits 7:0. */
    public static final int PxTFD_ERR_SHIFT = 8;
    public static final int PxTFD_STS_BSY = 1 << 7;
    public static final int PxTFD_STS_DRQ = 1 << 3;
    public static final int PxTFD_STS_ERR = 1;
    /** §3.3.8: the reset value, 7Fh, also what the HBA shows while COMRESET is asserted. */
    public static final int PxTFD_RESET = 0x7f;
    /** §3.3.9: the reset value, and a port with no device. */
    public static final int PxSIG_RESET = 0xffff_ffff;
    /** SATA 2.6: the signature of an ATA device (sector count 01h, LBA 000000h). */
    public static final int SIG_ATA = 0x0000_0101;

    /** §3.3.10 PxSSTS and §3.3.11 PxSCTL fields. */
    public static final int SSTS_IPM_SHIFT = 8;
    public static final int SSTS_SPD_SHIFT = 4;
    public static final int SSTS_DET_MASK = 0xf;
    public static final int SSTS_DET_NONE = 0;
    public static final int SSTS_DET_PRESENT_NO_PHY = 1;
    public static final int SSTS_DET_PRESENT_PHY = 3;
    public static final int SSTS_DET_OFFLINE = 4;
    public static final int SSTS_IPM_ACTIVE = 1;
    public static final int SCTL_DET_MASK = 0xf;
    public static final int SCTL_DET_NONE = 0;
    public static final int SCTL_DET_COMRESET = 1;
    public static final int SCTL_DET_OFFLINE = 4;
    /** PxSCTL bits 19:0 (PMP, SPM, IPM, SPD, DET) are RW; 31:20 are reserved. */
    public static final int SCTL_WRITABLE = 0x000f_ffff;

    /** §3.3.12 PxSERR: DIAG in bits 31:16, ERR in bits 15:0. */
    public static final int SERR_DIAG_X = 1 << 26;
    public static final int SERR_DIAG_F = 1 << 25;
    public static final int SERR_DIAG_T = 1 << 24;
    public static final int SERR_DIAG_S = 1 << 23;
    public static final int SERR_DIAG_H = 1 << 22;
    public static final int SERR_DIAG_C = 1 << 21;
    public static final int SERR_DIAG_D = 1 << 20;
    public static final int SERR_DIAG_B = 1 << 19;
    public static final int SERR_DIAG_W = 1 << 18;
    public static final int SERR_DIAG_I = 1 << 17;
    public static final int SERR_DIAG_N = 1 << 16;
    public static final int SERR_ERR_E = 1 << 11;
    public static final int SERR_ERR_P = 1 << 10;
    public static final int SERR_ERR_C = 1 << 9;
    public static final int SERR_ERR_T = 1 << 8;
    public static final int SERR_ERR_M = 1 << 1;
    public static final int SERR_ERR_I = 1;
    public static final int SERR_DEFINED = 0x07ff_0f03;

    /** §3.3: ports are 0x80 bytes apart from 0x100. */
    public static int portBase(int port) {
        return PORT_BASE + PORT_SIZE * port;
    }

    // §4.2 System memory structures
    /** §4.2.1 Received FIS area (256 bytes at PxFB): DMA Setup, PIO Setup, D2H Register, Set Device Bits. */
    public static final int RFIS_DSFIS = 0x00;
    public static final int RFIS_PSFIS = 0x20;
    public static final int RFIS_RFIS = 0x40;
    public static final int RFIS_SDBFIS = 0x58;
    public static final int RFIS_UFIS = 0x60;
    public static final int RFIS_SIZE = 0x100;

    /** §4.2.2 Command list: 32 headers of 32 bytes at PxCLB. */
    public static final int CMD_HEADER_SIZE = 32;
    public static final int CMD_LIST_SIZE = 32 * CMD_HEADER_SIZE;
    /** DW0: PRDTL 31:16, PMP 15:12, C 10, B 9, R 8, P 7, W 6, A 5, CFL 4:0 (in dwords, 2..16). */
    public static final int CMDH_PRDTL_SHIFT = 16;
    public static final int CMDH_C = 1 << 10;
    public static final int CMDH_B = 1 << 9;
    public static final int CMDH_R = 1 << 8;
    public static final int CMDH_P = 1 << 7;
    public static final int CMDH_W = 1 << 6;
    public static final int CMDH_A = 1 << 5;
    public static final int CMDH_CFL_MASK = 0x1f;
    /** DW1 PRDBC, DW2 CTBA (128-byte aligned, bits 6:0 reserved), DW3 CTBAU. */
    public static final int CMDH_PRDBC = 4;
    public static final int CMDH_CTBA = 8;
    public static final int CMDH_CTBAU = 12;
    public static final int CTBA_RESERVED = 0x7f;

    /** §4.2.3 Command table: CFIS at 0x00 (up to 64 bytes), ACMD at 0x40, PRDT at 0x80, 16 bytes an entry. */
    public static final int CT_CFIS = 0x00;
    public static final int CT_ACMD = 0x40;
    public static final int CT_PRDT = 0x80;
    public static final int PRD_SIZE = 16;
    /** PRD DW0 DBA (bit 0 reserved: word aligned), DW1 DBAU, DW3: I bit 31, DBC 21:0 (byte count minus one). */
    public static final int PRD_DBA = 0;
    public static final int PRD_DBAU = 4;
    public static final int PRD_DW3 = 12;
    public static final int PRD_I = 1 << 31;
    public static final int PRD_DBC_MASK = 0x3f_ffff;

    // SATA 2.6 FIS types, lengths in bytes
    public static final int FIS_TYPE_REG_H2D = 0x27;
    public static final int FIS_TYPE_REG_D2H = 0x34;
    public static final int FIS_TYPE_DMA_SETUP = 0x41;
    public static final int FIS_TYPE_PIO_SETUP = 0x5f;
    public static final int FIS_TYPE_SET_DEVICE_BITS = 0xa1;
    public static final int FIS_REG_H2D_LENGTH = 20;
    public static final int FIS_REG_D2H_LENGTH = 20;
    public static final int FIS_PIO_SETUP_LENGTH = 20;
    public static final int FIS_SET_DEVICE_BITS_LENGTH = 8;
    /** Byte 1 of a H2D Register FIS: C (command register update) bit 7. */
    public static final int FIS_H2D_C = 0x80;
    /** Byte 1 of a D2H, PIO Setup or Set Device Bits FIS: I (interrupt) bit 6; PIO Setup: D (to host) bit 5. */
    public static final int FIS_I = 0x40;
    public static final int FIS_PIO_D = 0x20;
    /** Device Control register bit 2: SRST. */
    public static final int ATA_CONTROL_SRST = 0x04;

    // ATA8-ACS commands, Status and Error bits
    public static final int ATA_CMD_READ_DMA_EXT = 0x25;
    public static final int ATA_CMD_WRITE_DMA_EXT = 0x35;
    public static final int ATA_CMD_READ_FPDMA_QUEUED = 0x60;
    public static final int ATA_CMD_WRITE_FPDMA_QUEUED = 0x61;
    public static final int ATA_CMD_FLUSH_CACHE_EXT = 0xea;
    public static final int ATA_CMD_IDENTIFY_DEVICE = 0xec;
    /** READ LOG EXT (ACS-3): PIO data-in of log pages; LBA 7:0 the log address, 15:8 and 47:40 the page. */
    public static final int ATA_CMD_READ_LOG_EXT = 0x2f;
    /** The NCQ Command Error log (SATA 3.x 13.7.4): one page, read after an NCQ error. */
    public static final int ATA_LOG_NCQ_ERROR = 0x10;
    public static final int ATA_STS_BSY = 0x80;
    public static final int ATA_STS_DRDY = 0x40;
    public static final int ATA_STS_DF = 0x20;
    public static final int ATA_STS_DRQ = 0x08;
    public static final int ATA_STS_ERR = 0x01;
    /** Status after a good command: DRDY, and bit 4 (formerly DSC), as devices report it. */
    public static final int ATA_STS_GOOD = 0x50;
    public static final int ATA_ERR_ABRT = 0x04;
    public static final int ATA_ERR_IDNF = 0x10;
    public static final int ATA_ERR_UNC = 0x40;
    public static final int ATA_SECTOR = 512;
    /** ATA8-ACS: a 16-bit sector count of 0 means 65536 sectors. */
    public static final int ATA_MAX_SECTORS_EXT = 65536;
}

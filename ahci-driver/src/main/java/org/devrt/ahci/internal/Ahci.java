package org.devrt.ahci.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Every name the driver uses from Serial ATA AHCI 1.3.1, SATA 3.x (FIS layouts) and ATA/ATAPI Command Set
 * (ACS-3), spelled as the specifications spell them: {@code PxCMD_ST} is bit ST of register PxCMD. Section numbers
 * are those of AHCI 1.3.1 unless said otherwise. Registers are byte offsets into ABAR (BAR 5); port registers are
 * relative to their port's block ({@link #portBase}).
 */
final class Ahci {
    private Ahci() {
    }

    // ---- §3.1 Generic Host Control --------------------------------------------------------------------------
    static final int CAP = 0x00;
    static final int GHC = 0x04;
    static final int IS = 0x08;
    static final int PI = 0x0C;
    static final int VS = 0x10;
    static final int CCC_CTL = 0x14;
    static final int CCC_PORTS = 0x18;
    static final int EM_LOC = 0x1C;
    static final int EM_CTL = 0x20;
    static final int CAP2 = 0x24;
    static final int BOHC = 0x28;

    /** §3.1.10 CAP2.BOH: the HBA supports BIOS/OS handoff (BOHC). */
    static final int CAP2_BOH = 1;
    /** §3.1.11 BOHC.BOS: the BIOS owns the HBA. */
    static final int BOHC_BOS = 1;
    /** §3.1.11 BOHC.OOS: the OS asks for (and then owns) the HBA. */
    static final int BOHC_OOS = 1 << 1;
    /** §3.1.11 BOHC.SOOE: SMI on OS ownership change; the only other bit the OS writes back as it read it. */
    static final int BOHC_SOOE = 1 << 2;
    /** §3.1.11 BOHC.BB: the BIOS is busy finishing its commands before it lets go. */
    static final int BOHC_BB = 1 << 4;

    /** §3.1.1 CAP.NP (bits 4:0): number of ports, zero-based. */
    static final int CAP_NP_MASK = 0x1F;
    /** §3.1.1 CAP.NCS (bits 12:8): number of command slots, zero-based. */
    static final int CAP_NCS_SHIFT = 8;
    static final int CAP_NCS_MASK = 0x1F;
    static final int CAP_SAM = 1 << 18;
    static final int CAP_SCLO = 1 << 24;
    static final int CAP_SSS = 1 << 27;
    static final int CAP_SNCQ = 1 << 30;
    static final int CAP_S64A = 1 << 31;

    /** §3.1.2 GHC.HR: HBA reset, cleared by the HBA when done. */
    static final int GHC_HR = 1 << 0;
    /** §3.1.2 GHC.IE: interrupt enable. */
    static final int GHC_IE = 1 << 1;
    /** §3.1.2 GHC.AE: AHCI enable. */
    static final int GHC_AE = 1 << 31;

    // ---- §3.3 Port registers (one 0x80 block per port, from 0x100) -------------------------------------------
    static final int PORT_BASE = 0x100;
    static final int PORT_SIZE = 0x80;
    static final int MAX_PORTS = 32;

    static final int PxCLB = 0x00;
    static final int PxCLBU = 0x04;
    static final int PxFB = 0x08;
    static final int PxFBU = 0x0C;
    static final int PxIS = 0x10;
    static final int PxIE = 0x14;
    static final int PxCMD = 0x18;
    static final int PxTFD = 0x20;
    static final int PxSIG = 0x24;
    static final int PxSSTS = 0x28;
    static final int PxSCTL = 0x2C;
    static final int PxSERR = 0x30;
    static final int PxSACT = 0x34;
    static final int PxCI = 0x38;
    static final int PxSNTF = 0x3C;
    static final int PxFBS = 0x40;

    /** Offset of port {@code port}'s register block in ABAR. */
    static int portBase(int port) {
        return PORT_BASE + port * PORT_SIZE;
    }

    // §3.3.5 PxIS (write 1 to clear). PxIE (§3.3.6) has its enable bits at the same positions.
    static final int PxIS_DHRS = 1 << 0;
    static final int PxIS_PSS = 1 << 1;
    static final int PxIS_DSS = 1 << 2;
    static final int PxIS_SDBS = 1 << 3;
    static final int PxIS_UFS = 1 << 4;
    static final int PxIS_DPS = 1 << 5;
    static final int PxIS_PCS = 1 << 6;
    static final int PxIS_PRCS = 1 << 22;
    static final int PxIS_OFS = 1 << 24;
    static final int PxIS_INFS = 1 << 26;
    static final int PxIS_IFS = 1 << 27;
    static final int PxIS_HBDS = 1 << 28;
    static final int PxIS_HBFS = 1 << 29;
    static final int PxIS_TFES = 1 << 30;
    /**
     * The causes that end a command in error (§6.1: fatal TFES, HBFS, HBDS, IFS; non-fatal OFS). Not INFS: the HBA
     * "was able to continue operation" (§3.3.5), and Linux's ahci does not enable it; taken as a link error, each one
     * stopped the engine and COMRESET the disk, and three failed a command on a marginal but working link.
     */
    static final int PxIS_ERRORS = PxIS_TFES | PxIS_HBFS | PxIS_HBDS | PxIS_IFS | PxIS_OFS;
    /** What the driver enables in PxIE: command completion (D2H Register, PIO Setup, DMA Setup, Set Device Bits FIS) and errors. */
    static final int PxIE_ENABLED = PxIS_DHRS | PxIS_PSS | PxIS_DSS | PxIS_SDBS | PxIS_ERRORS;

    // §3.3.7 PxCMD
    static final int PxCMD_ST = 1 << 0;
    static final int PxCMD_SUD = 1 << 1;
    static final int PxCMD_POD = 1 << 2;
    static final int PxCMD_CLO = 1 << 3;
    static final int PxCMD_FRE = 1 << 4;
    static final int PxCMD_CCS_SHIFT = 8;
    static final int PxCMD_CCS_MASK = 0x1F;
    static final int PxCMD_FR = 1 << 14;
    static final int PxCMD_CR = 1 << 15;

    // §3.3.8 PxTFD: STS (7:0) and ERR (15:8), copies of the ATA Status and Error registers
    static final int PxTFD_STS_ERR = 1 << 0;
    static final int PxTFD_STS_DRQ = 1 << 3;
    static final int PxTFD_STS_BSY = 1 << 7;
    static final int PxTFD_ERR_SHIFT = 8;

    // §3.3.9 PxSIG: signature of the attached device
    static final int SIG_ATA = 0x00000101;
    static final int SIG_ATAPI = 0xEB140101;
    static final int SIG_SEMB = 0xC33C0101;
    static final int SIG_PM = 0x96690101;

    // §3.3.10 PxSSTS.DET (3:0) and §3.3.11 PxSCTL.DET (3:0)
    static final int PxSSTS_DET_MASK = 0xF;
    static final int PxSSTS_DET_PRESENT = 0x1; // device presence detected, Phy communication not established
    static final int PxSSTS_DET_ESTABLISHED = 0x3; // device presence detected and Phy communication established
    static final int PxSCTL_DET_MASK = 0xF;
    static final int PxSCTL_DET_COMRESET = 0x1;

    // ---- §4.2 System memory structures -----------------------------------------------------------------------
    /** §4.2.2 Command list: 32 headers of 32 bytes, 1 KiB-aligned. */
    static final int COMMAND_LIST_SIZE = 1024;
    static final int COMMAND_HEADER_SIZE = 32;
    /** §4.2.1 Received FIS area: 256 bytes, 256-byte aligned. */
    static final int RECEIVED_FIS_SIZE = 256;
    static final int RFIS_DSFIS = 0x00;
    static final int RFIS_PSFIS = 0x20;
    static final int RFIS_RFIS = 0x40;
    static final int RFIS_SDBFIS = 0x58;

    // §4.2.2 command header DW0
    static final int CH_CFL_MASK = 0x1F;
    static final int CH_A = 1 << 5;
    static final int CH_W = 1 << 6;
    static final int CH_P = 1 << 7;
    static final int CH_R = 1 << 8;
    static final int CH_C = 1 << 10;
    static final int CH_PRDTL_SHIFT = 16;

    /** §4.2.3 Command table: CFIS at 0x00, ACMD at 0x40, PRDT at 0x80; 128-byte aligned. */
    static final int CT_CFIS = 0x00;
    static final int CT_ACMD = 0x40;
    static final int CT_PRDT = 0x80;
    static final int CT_ALIGNMENT = 128;
    /** §4.2.3.3 a PRD entry: DBA, DBAU, reserved, DW3 = DBC (21:0, byte count - 1) and I (bit 31). */
    static final int PRD_SIZE = 16;
    static final int PRD_DBC_MASK = 0x3FFFFF;
    static final int PRD_I = 1 << 31;
    static final int PRD_MAX_BYTES = 4 << 20;

    // ---- SATA 3.x §10.5 Frame Information Structures ---------------------------------------------------------
    static final int FIS_TYPE_REG_H2D = 0x27;
    static final int FIS_TYPE_REG_D2H = 0x34;
    /** Register Host to Device FIS is 5 DWORDs; byte 1 bit 7 (C) says it carries a command. */
    static final int FIS_REG_H2D_DWORDS = 5;
    static final int FIS_REG_H2D_C = 1 << 7;

    // ---- ACS-3 commands and registers ------------------------------------------------------------------------
    static final int ATA_CMD_IDENTIFY_DEVICE = 0xEC;
    static final int ATA_CMD_READ_DMA_EXT = 0x25;
    static final int ATA_CMD_WRITE_DMA_EXT = 0x35;
    static final int ATA_CMD_FLUSH_CACHE_EXT = 0xEA;
    /**
     * READ/WRITE FPDMA QUEUED (NCQ): the sector count goes in FEATURES (15:0), the tag in COUNT bits 7:3; AHCI
     * uses the command slot as the tag, and software sets the slot's PxSACT bit before its PxCI bit (§3.3.13).
     */
    static final int ATA_CMD_READ_FPDMA_QUEUED = 0x60;
    static final int ATA_CMD_WRITE_FPDMA_QUEUED = 0x61;
    static final int NCQ_TAG_SHIFT = 3;
    /** READ LOG EXT: PIO data-in of log pages; the log address in LBA 7:0, the page in LBA 15:8, pages in COUNT. */
    static final int ATA_CMD_READ_LOG_EXT = 0x2F;
    /**
     * The NCQ Command Error log (SATA 3.x 13.7.4), one page: byte 0 bits 4:0 the tag of the queued command that
     * failed, bit 7 (NQ) set if the error was a non-queued command's; bytes 2 and 3 its Status and Error; bytes 4-6
     * and 8-10 the LBA; byte 511 a checksum that makes the 512 bytes sum to 0. Reading it ends the device's NCQ
     * error state, in which it aborts every other command.
     */
    static final int ATA_LOG_NCQ_ERROR = 0x10;
    static final int ATA_LOG_BYTES = 512;
    /** Device register bit 6: the LBA field holds a logical block address. */
    static final int ATA_DEVICE_LBA = 1 << 6;
    /** IDENTIFY DEVICE returns one 512-byte block. */
    static final int ATA_IDENTIFY_BYTES = 512;

    /** The name of an ATA command, as ACS-3 names it. */
    static String commandName(int command) {
        return switch (command) {
            case ATA_CMD_IDENTIFY_DEVICE -> "IDENTIFY DEVICE";
            case ATA_CMD_READ_DMA_EXT -> "READ DMA EXT";
            case ATA_CMD_WRITE_DMA_EXT -> "WRITE DMA EXT";
            case ATA_CMD_FLUSH_CACHE_EXT -> "FLUSH CACHE EXT";
            case ATA_CMD_READ_FPDMA_QUEUED -> "READ FPDMA QUEUED";
            case ATA_CMD_WRITE_FPDMA_QUEUED -> "WRITE FPDMA QUEUED";
            case ATA_CMD_READ_LOG_EXT -> "READ LOG EXT";
            default -> String.format("command 0x%02X", command);
        };
    }

    // ---- Names for Registers (messages and dumps); no AHCI register clears on read ---------------------------
    static final Map<Integer, String> HBA_REGISTER_NAMES = names(CAP, "CAP", GHC, "GHC", IS, "IS", PI, "PI",
            VS, "VS", CCC_CTL, "CCC_CTL", CCC_PORTS, "CCC_PORTS", EM_LOC, "EM_LOC", EM_CTL, "EM_CTL", CAP2, "CAP2",
            BOHC, "BOHC");
    static final Map<Integer, String> PORT_REGISTER_NAMES = names(PxCLB, "PxCLB", PxCLBU, "PxCLBU", PxFB, "PxFB",
            PxFBU, "PxFBU", PxIS, "PxIS", PxIE, "PxIE", PxCMD, "PxCMD", PxTFD, "PxTFD", PxSIG, "PxSIG",
            PxSSTS, "PxSSTS", PxSCTL, "PxSCTL", PxSERR, "PxSERR", PxSACT, "PxSACT", PxCI, "PxCI",
            PxSNTF, "PxSNTF", PxFBS, "PxFBS");

    private static Map<Integer, String> names(Object... offsetAndName) {
        Map<Integer, String> map = new TreeMap<>();
        for (int i = 0; i < offsetAndName.length; i += 2) {
            map.put((Integer) offsetAndName[i], (String) offsetAndName[i + 1]);
        }
        return Map.copyOf(map);
    }
}

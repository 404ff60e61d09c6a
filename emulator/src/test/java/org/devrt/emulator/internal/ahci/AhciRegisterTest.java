package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.pci.BarInfo;
import org.devrt.pci.PciFunction;
import org.junit.Test;

/** Register-level conformance of the {@code ahci} model to AHCI 1.3.1 sections 3 and 10, bit by bit. */
public class AhciRegisterTest extends AhciFixture {

    @Test
    public void theConstantsAreTheSpecsOffsets() {
        assertArrayEquals("AHCI 1.3.1 §3.1: CAP GHC IS PI VS CAP2 at 00h 04h 08h 0Ch 10h 24h",
                new int[] {0x00, 0x04, 0x08, 0x0c, 0x10, 0x24}, new int[] {CAP, GHC, IS, PI, VS, CAP2});
        assertEquals("§3.3: port 0 at 100h, port 5 at 380h", 0x380, portBase(5));
        int[] offsets = {PxCLB, PxCLBU, PxFB, PxFBU, PxIS, PxIE, PxCMD, PxTFD, PxSIG, PxSSTS, PxSCTL, PxSERR, PxSACT,
            PxCI};
        int[] spec = {0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x34, 0x38};
        for (int i = 0; i < spec.length; i++) {
            assertEquals("§3.3 port register " + i, spec[i], offsets[i]);
        }
        assertEquals("§4.2.1: D2H Register FIS at 40h, PIO Setup at 20h, SDB at 58h", 0x402058,
                RFIS_RFIS << 16 | RFIS_PSFIS << 8 | RFIS_SDBFIS);
        assertEquals("§4.2.3: PRDT at 80h of the command table", 0x80, CT_PRDT);
    }

    @Test
    public void theFunctionIsAnIch9AhciControllerWithAbarAtBar5() {
        PciFunction f = machine.plug();
        assertEquals("8086:2922", String.format("%04x:%04x", f.vendorId(), f.deviceId()));
        assertEquals("AHCI 1.3.1 §2.1.5: class 01h, subclass 06h, programming interface 01h (AHCI)", 0x010601,
                f.classCode().value());
        assertEquals("1af4:1100", String.format("%04x:%04x", f.subsystemVendorId(), f.subsystemId()));
        BarInfo abar = f.bars().get(0);
        assertEquals("§2.1.11: ABAR is BAR 5", 5, abar.index());
        assertEquals(BarInfo.Kind.MEMORY32, abar.kind());
        assertEquals("ABAR covers 100h + 80h per port", 4096, abar.size());
        assertEquals("INTA#", 1, f.interruptPin());
    }

    @Test
    public void genericHostControlResetValuesBitByBit() throws IOException {
        AhciTestDriver d = new AhciTestDriver(machine.plug());
        int cap = d.read(CAP);
        assertEquals("§3.1.1 CAP.S64A: 64-bit addressing", CAP_S64A, cap & CAP_S64A);
        assertEquals("§3.1.1 CAP.SNCQ: NCQ supported", CAP_SNCQ, cap & CAP_SNCQ);
        assertEquals("§3.1.1 CAP.SSNTF: no SNotification", 0, cap & CAP_SSNTF);
        assertEquals("§3.1.1 CAP.SMPS: no mechanical presence switch", 0, cap & CAP_SMPS);
        assertEquals("§3.1.1 CAP.SSS: staggered spin-up", CAP_SSS, cap & CAP_SSS);
        assertEquals("§3.1.1 CAP.SALP: no aggressive link power management", 0, cap & CAP_SALP);
        assertEquals("§3.1.1 CAP.SAL: no activity LED", 0, cap & CAP_SAL);
        assertEquals("§3.1.1 CAP.SCLO: command list override", CAP_SCLO, cap & CAP_SCLO);
        assertEquals("§3.1.1 CAP.ISS: Gen2", 2, (cap & CAP_ISS_MASK) >>> CAP_ISS_SHIFT);
        assertEquals("§3.1.1 CAP.SAM: AHCI only", CAP_SAM, cap & CAP_SAM);
        assertEquals("§3.1.1 CAP.SPM: no port multiplier", 0, cap & CAP_SPM);
        assertEquals("§3.1.1 CAP.FBSS: no FIS-based switching", 0, cap & CAP_FBSS);
        assertEquals("§3.1.1 CAP.PMD: PIO multiple DRQ block", CAP_PMD, cap & CAP_PMD);
        assertEquals("§3.1.1 CAP.SSC, PSC: no slumber, no partial", 0, cap & (CAP_SSC | CAP_PSC));
        assertEquals("§3.1.1 CAP.NCS: 32 command slots (0-based)", 31, (cap & CAP_NCS_MASK) >>> CAP_NCS_SHIFT);
        assertEquals("§3.1.1 CAP.CCCS, EMS, SXS: none", 0, cap & (CAP_CCCS | CAP_EMS | CAP_SXS));
        assertEquals("§3.1.1 CAP.NP: 6 ports (0-based)", 5, cap & CAP_NP_MASK);
        assertEquals("§3.1.2 GHC: AE reads 1 because CAP.SAM is 1; HR, IE, MRSM 0", GHC_AE, d.read(GHC));
        assertEquals("§3.1.3 IS: 0", 0, d.read(IS));
        assertEquals("§3.1.4 PI: ports 0-5", 0x3f, d.read(PI));
        assertEquals("§3.1.5 VS: 1.3.1", 0x0001_0301, d.read(VS));
        for (int reg : new int[] {CCC_CTL, CCC_PORTS, EM_LOC, EM_CTL, CAP2, BOHC}) { // no bios-owned: no handoff
            assertEquals("§3.1.6-3.1.11 register 0x" + Integer.toHexString(reg) + " of an absent feature", 0,
                    d.read(reg));
        }
    }

    @Test
    public void aBiosOwnedHbaIsHandedOverWhenTheOsAsksAndNotByAnHbaReset() throws IOException {
        AhciTestDriver d = new AhciTestDriver(machine.plug("bios-owned=yes"));
        assertEquals("§3.1.10 CAP2.BOH with bios-owned", CAP2_BOH, d.read(CAP2) & CAP2_BOH);
        assertEquals("§3.1.11: the BIOS owns the HBA at power-on", BOHC_BOS, d.read(BOHC));
        d.write(GHC, GHC_HR);
        assertEquals("§3.1.11: BOS is not affected by an HBA reset", BOHC_BOS, d.read(BOHC));
        d.write(BOHC, BOHC_BB); // the BIOS's bits are not the OS's to write
        assertEquals("an OS write of BB changes nothing", BOHC_BOS, d.read(BOHC));
        d.write(BOHC, BOHC_OOS);
        assertEquals("OOS set, OOC records the change, the BIOS let go at once", BOHC_OOS | BOHC_OOC, d.read(BOHC));
        d.write(BOHC, BOHC_OOS | BOHC_OOC);
        assertEquals("OOC is write-1-to-clear", BOHC_OOS, d.read(BOHC));
        d.write(GHC, GHC_HR);
        assertEquals("§3.1.11: OOS is not affected by an HBA reset", BOHC_OOS, d.read(BOHC));
    }

    @Test
    public void aBusyBiosSetsBiosBusyAndLetsGoOnlyAfterItsTime() throws IOException, InterruptedException {
        AhciTestDriver d = new AhciTestDriver(machine.plug("bios-owned=200"));
        d.write(BOHC, BOHC_OOS);
        assertEquals("the BIOS says it is busy (BB) and still owns the HBA", BOHC_BOS | BOHC_BB,
                d.read(BOHC) & (BOHC_BOS | BOHC_BB));
        Thread.sleep(250);
        assertEquals("200 ms later it has let go", BOHC_OOS | BOHC_OOC, d.read(BOHC));
    }

    @Test
    public void aBrokenBiosLeavesTheRequestUnanswered() throws IOException, InterruptedException {
        AhciTestDriver d = new AhciTestDriver(machine.plug("bios-owned=never"));
        d.write(BOHC, BOHC_OOS);
        Thread.sleep(50);
        assertEquals("BOS stays and BB never comes: only the OS's own bits changed", BOHC_BOS | BOHC_OOS | BOHC_OOC,
                d.read(BOHC));
    }

    @Test
    public void badBiosOwnedValuesAreRefusedNamingTheOption() {
        for (String bad : new String[] {"maybe", "-5", "70000", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> machine.plug("bios-owned=" + bad));
            assertTrue(e.getMessage(), e.getMessage().contains("bios-owned")
                    && e.getMessage().contains("want no, yes, never"));
        }
    }

    @Test
    public void portRegisterResetValuesBitByBit() throws IOException {
        AhciTestDriver d = plugWithDisk();
        for (int p = 0; p < 6; p++) {
            AhciTestDriver.Port port = d.port(p);
            String at = "port " + p + ": ";
            for (int reg : new int[] {PxCLB, PxCLBU, PxFB, PxFBU, PxIS, PxIE, PxSCTL, PxSERR, PxSACT, PxCI, PxSNTF}) {
                assertEquals(at + "§3.3 register 0x" + Integer.toHexString(reg) + " resets to 0", 0, port.reg(reg));
            }
            assertEquals(at + "§3.3.7 PxCMD: POD 1 (no cold presence detect), HPCP 1, SUD 0 (CAP.SSS), rest 0",
                    PxCMD_POD | PxCMD_HPCP, port.reg(PxCMD));
            assertEquals(at + "§3.3.8 PxTFD resets to 7Fh", 0x7f, port.reg(PxTFD));
            assertEquals(at + "§3.3.9 PxSIG resets to FFFFFFFFh", 0xffff_ffff, port.reg(PxSIG));
            assertEquals(at + "§3.3.10 PxSSTS: no device until spun up", 0, port.reg(PxSSTS));
        }
    }

    @Test
    public void spinUpBringsTheLinkUpWithTheSignature() throws IOException {
        AhciTestDriver d = plugWithDisk();
        AhciTestDriver.Port port = d.port(0);
        port.reg(PxCMD, PxCMD_SUD);
        assertEquals("§3.3.10: DET 3, SPD Gen2, IPM active once spun up", 0x123, port.reg(PxSSTS));
        assertEquals("§3.3.9: the signature of an ATA device", SIG_ATA, port.reg(PxSIG));
        assertEquals("§3.3.8: status 50h, error 01h from the signature FIS", 0x150, port.reg(PxTFD));
        assertEquals("§3.3.12: PhyRdy change, COMWAKE, exchanged", SERR_DIAG_N | SERR_DIAG_W | SERR_DIAG_X,
                port.reg(PxSERR));
        assertEquals("§3.3.5: PCS and PRCS reflect DIAG.X and DIAG.N", PxIS_PCS | PxIS_PRCS, port.reg(PxIS));
        AhciTestDriver.Port empty = d.port(1);
        empty.reg(PxCMD, PxCMD_SUD);
        assertEquals("§3.3.10: a port without a disk stays DET 0", 0, empty.reg(PxSSTS));
        assertEquals("§3.3.9: and keeps FFFFFFFFh", 0xffff_ffff, empty.reg(PxSIG));
    }

    @Test
    public void withoutStaggeredSpinUpSudReadsOneAndTheLinkIsUp() throws IOException {
        AhciTestDriver d = plugWithDisk("staggered-spin-up=false", "ncq=false");
        assertEquals("§3.1.1 CAP.SSS 0", 0, d.read(CAP) & CAP_SSS);
        assertEquals("§3.1.1 CAP.SNCQ 0 with ncq=false", 0, d.read(CAP) & CAP_SNCQ);
        AhciTestDriver.Port port = d.port(0);
        assertEquals("§3.3.7: SUD is read-only 1 when CAP.SSS is 0", PxCMD_SUD, port.reg(PxCMD) & PxCMD_SUD);
        port.reg(PxCMD, 0);
        assertEquals("§3.3.7: and cannot be cleared", PxCMD_SUD, port.reg(PxCMD) & PxCMD_SUD);
        assertEquals("§3.3.10: link up from power-on", 0x123, port.reg(PxSSTS));
    }

    @Test
    public void writeOneToClearRegisters() throws IOException {
        AhciTestDriver d = plugWithDisk();
        AhciTestDriver.Port port = d.port(0);
        port.reg(PxCMD, PxCMD_SUD);
        port.reg(PxSERR, 0);
        assertEquals("§3.3.12 PxSERR: writing 0 clears nothing",
                SERR_DIAG_N | SERR_DIAG_W | SERR_DIAG_X, port.reg(PxSERR));
        port.reg(PxSERR, SERR_DIAG_W);
        assertEquals("§3.3.12 PxSERR: writing 1 clears that bit only", SERR_DIAG_N | SERR_DIAG_X, port.reg(PxSERR));
        port.reg(PxIS, PxIS_PCS | PxIS_PRCS);
        assertEquals("§3.3.5 PxIS.PCS/PRCS are not cleared through PxIS", PxIS_PCS | PxIS_PRCS, port.reg(PxIS));
        port.reg(PxSERR, SERR_DIAG_X);
        assertEquals("§3.3.5 PCS clears with PxSERR.DIAG.X", PxIS_PRCS, port.reg(PxIS));
        port.reg(PxIE, PxIS_PRCS);
        assertEquals("§3.1.3 IS.IPS[0] set: port 0 has an enabled cause", 1, d.read(IS));
        d.write(IS, 0);
        assertEquals("§3.1.3 IS: writing 0 clears nothing", 1, d.read(IS));
        port.reg(PxSERR, -1);
        assertEquals("PxIS empty", 0, port.reg(PxIS));
        assertEquals("§3.1.3 IS stays set until software clears it", 1, d.read(IS));
        d.write(IS, 1);
        assertEquals("§3.1.3 IS: writing 1 clears it", 0, d.read(IS));
    }

    @Test
    public void readOnlyRegistersIgnoreWrites() throws IOException {
        AhciTestDriver d = plugWithDisk();
        int cap = d.read(CAP);
        d.write(CAP, 0);
        d.write(PI, 0);
        d.write(VS, 0);
        assertEquals("§3.1.1 CAP is read-only", cap, d.read(CAP));
        assertEquals("§3.1.4 PI is read-only", 0x3f, d.read(PI));
        assertEquals("§3.1.5 VS is read-only", VS_1_3_1, d.read(VS));
        d.write(GHC, 0);
        assertEquals("§3.1.2 GHC.AE cannot be cleared when CAP.SAM is 1", GHC_AE, d.read(GHC));
        AhciTestDriver.Port port = d.port(0);
        port.reg(PxTFD, 0);
        port.reg(PxSIG, 0);
        port.reg(PxSSTS, 0x123);
        assertEquals("§3.3.8 PxTFD is read-only", 0x7f, port.reg(PxTFD));
        assertEquals("§3.3.9 PxSIG is read-only", 0xffff_ffff, port.reg(PxSIG));
        assertEquals("§3.3.10 PxSSTS is read-only", 0, port.reg(PxSSTS));
        port.reg(PxCLB, 0x1234_5fff);
        port.reg(PxFB, 0x1234_56ff);
        assertEquals("§3.3.1 PxCLB bits 9:0 are reserved (1 KiB aligned)", 0x1234_5c00, port.reg(PxCLB));
        assertEquals("§3.3.2 PxFB bits 7:0 are reserved (256-byte aligned)", 0x1234_5600, port.reg(PxFB));
        port.reg(0x1c, -1);
        assertEquals("§3.3: offset 1Ch is reserved and reads 0", 0, port.reg(0x1c));
        d.write(0xa0, -1);
        assertEquals("§3.1: vendor-specific A0h reads 0 here", 0, d.read(0xa0));
        d.write(portBase(6) + PxCMD, -1);
        assertEquals("§3.3: past the last port reads 0", 0, d.read(portBase(6) + PxCMD));
    }

    @Test
    public void crFollowsStAndFrFollowsFre() throws IOException {
        AhciTestDriver d = plugWithDisk();
        AhciTestDriver.Port port = d.port(0);
        port.reg(PxCLB, (int) port.list.physicalAddress());
        port.reg(PxCLBU, (int) (port.list.physicalAddress() >>> 32));
        port.reg(PxFB, (int) port.fis.physicalAddress());
        port.reg(PxFBU, (int) (port.fis.physicalAddress() >>> 32));
        port.reg(PxCMD, PxCMD_SUD | PxCMD_FRE);
        assertEquals("§3.3.7: FR follows FRE", PxCMD_FR, port.reg(PxCMD) & PxCMD_FR);
        port.reg(PxFB, 0);
        assertEquals("§3.3.2: PxFB may not change while FRE is set", (int) port.fis.physicalAddress(),
                port.reg(PxFB));
        port.reg(PxCMD, PxCMD_SUD | PxCMD_FRE | PxCMD_ST);
        assertEquals("§3.3.7: CR follows ST", PxCMD_CR, port.reg(PxCMD) & PxCMD_CR);
        port.reg(PxCLB, 0);
        assertEquals("§3.3.1: PxCLB may not change while ST is set", (int) port.list.physicalAddress(),
                port.reg(PxCLB));
        port.reg(PxCMD, PxCMD_SUD | PxCMD_ST);
        assertEquals("§3.3.7: FRE may not be cleared while ST is set", PxCMD_FRE, port.reg(PxCMD) & PxCMD_FRE);
        port.reg(PxCMD, PxCMD_SUD | PxCMD_FRE);
        assertEquals("§3.3.7: CR clears once idle", 0, port.reg(PxCMD) & PxCMD_CR);
        port.reg(PxCMD, PxCMD_SUD);
        assertEquals("§3.3.7: FR clears with FRE", 0, port.reg(PxCMD) & (PxCMD_FR | PxCMD_FRE));
    }

    @Test
    public void clearingStClearsCiAndSact() throws IOException {
        AhciTestDriver d = plugWithDisk();
        AhciTestDriver.Port port = d.port(0).start();
        machine.model.hangNext(0, 2);
        port.prepare(0, AhciTestDriver.h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false);
        port.prepare(1, AhciTestDriver.h2d(ATA_CMD_FLUSH_CACHE_EXT, 0, 0, 0), false);
        port.reg(PxSACT, 0x4);
        port.reg(PxCI, 0x3);
        assertEquals("§3.3.14: PxCI holds the issued slots", 0x3, port.reg(PxCI));
        port.reg(PxCI, 0);
        assertEquals("§3.3.14: writing 0 clears nothing", 0x3, port.reg(PxCI));
        assertEquals("§3.3.7 CCS, §5.3.2: slot 0 is being processed (hung, BSY set), slot 1 waits behind it", 0,
                (port.reg(PxCMD) & PxCMD_CCS_MASK) >>> PxCMD_CCS_SHIFT);
        port.stop();
        assertEquals("§3.3.14: PxCI clears when ST goes from 1 to 0", 0, port.reg(PxCI));
        assertEquals("§3.3.13: PxSACT clears when ST goes from 1 to 0", 0, port.reg(PxSACT));
        assertEquals("§3.3.7: CCS resets to 0", 0, port.reg(PxCMD) & PxCMD_CCS_MASK);
        port.reg(PxCI, 1);
        assertEquals("§3.3.14: PxCI is not written while ST is 0", 0, port.reg(PxCI));
    }

    /** Port 0 started, stopped, its D2H FIS slot zeroed, and COMRESET asserted (PxSCTL.DET = 1). */
    private AhciTestDriver.Port stoppedInComreset() throws IOException {
        AhciTestDriver.Port port = plugWithDisk().port(0).start();
        port.stop();
        port.receivedFis().put(RFIS_RFIS, (byte) 0);
        port.reg(PxSCTL, SCTL_DET_COMRESET);
        return port;
    }

    @Test
    public void comresetTakesTheLinkDownAndTheSignatureComesBack() throws IOException {
        AhciTestDriver.Port port = stoppedInComreset();
        assertEquals("§3.3.11: SCTL reads back what was written", SCTL_DET_COMRESET, port.reg(PxSCTL));
        assertEquals("§3.3.10: no PHY communication while COMRESET is held", 0, port.reg(PxSSTS) & SSTS_DET_MASK);
        assertEquals("§10.4.2: PxTFD.STS reads 7Fh during COMRESET", 0x7f, port.reg(PxTFD));
        assertEquals("§3.3.9: no signature yet", 0xffff_ffff, port.reg(PxSIG));
        port.reg(PxSCTL, SCTL_DET_NONE);
        assertEquals("§3.3.10: link up again", 0x123, port.reg(PxSSTS));
        assertEquals("§3.3.9: signature", SIG_ATA, port.reg(PxSIG));
        ByteBuffer fis = port.receivedFis();
        assertEquals("§4.2.1: the signature D2H Register FIS is posted at 40h (FRE is set)", FIS_TYPE_REG_D2H,
                fis.get(RFIS_RFIS) & 0xff);
        assertEquals("signature FIS: sector count 1", 1, fis.get(RFIS_RFIS + 12));
        assertEquals("signature FIS: no interrupt, so no DHRS", 0, port.reg(PxIS) & PxIS_DHRS);
        port.reg(PxSCTL, SCTL_DET_OFFLINE);
        assertEquals("§3.3.10: DET 4 puts the PHY offline", SSTS_DET_OFFLINE, port.reg(PxSSTS));
        port.reg(PxSCTL, 0);
        assertEquals("back up", 0x123, port.reg(PxSSTS));
    }

    @Test
    public void commandListOverrideClearsBsyAndDrq() throws IOException {
        AhciTestDriver.Port port = stoppedInComreset();
        assertEquals("§10.4.2: 7Fh while in reset, DRQ set", PxTFD_STS_DRQ, port.reg(PxTFD) & PxTFD_STS_DRQ);
        port.reg(PxCMD, port.reg(PxCMD) | PxCMD_CLO);
        assertEquals("§3.3.7 CLO: BSY and DRQ cleared, the rest kept", 0x77, port.reg(PxTFD));
        assertEquals("§3.3.7 CLO: self-clearing", 0, port.reg(PxCMD) & PxCMD_CLO);
    }

    @Test
    public void hbaResetResetsEverythingButTheBasesAndClearsItself() throws IOException {
        AhciTestDriver d = plugWithDisk();
        AhciTestDriver.Port port = d.port(0).start();
        port.reg(PxIE, -1);
        d.write(GHC, GHC_IE);
        port.reg(PxSCTL, 0x300);
        d.write(GHC, GHC_HR);
        assertEquals("§3.1.2: HR clears itself; IE reset", GHC_AE, d.read(GHC));
        assertEquals("§10.4.3: IS reset", 0, d.read(IS));
        assertEquals("§10.4.3: PxIE reset", 0, port.reg(PxIE));
        assertEquals("§10.4.3: PxCMD reset (ST, FRE, SUD clear)", PxCMD_POD | PxCMD_HPCP, port.reg(PxCMD));
        assertEquals("§10.4.3: PxSCTL reset", 0, port.reg(PxSCTL));
        assertEquals("§10.4.3: PxTFD reset", 0x7f, port.reg(PxTFD));
        assertEquals("§10.4.3: PxCLB kept", (int) port.list.physicalAddress(), port.reg(PxCLB));
        assertEquals("§10.4.3: PxFB kept", (int) port.fis.physicalAddress(), port.reg(PxFB));
        assertEquals("§3.1.1 CAP is HwInit: not reset", CAP_SSS, d.read(CAP) & CAP_SSS);
        assertEquals("§10.1.1: with CAP.SSS the port waits for SUD again", 0, port.reg(PxSSTS));
        assertNotEquals("and comes up when spun up", 0, port.start().reg(PxSSTS));
    }
}

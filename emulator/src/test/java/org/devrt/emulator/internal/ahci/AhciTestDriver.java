package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;

/**
 * A tiny AHCI driver written inside the tests (as QEMU's libqos ahci.c is), straight from AHCI 1.3.1: registers
 * through BAR 5, structures in DMA memory, every wait bounded. It is not the devrt AHCI driver and must not become
 * one: it does only what the conformance tests need, so that a bug in the model and one in the real driver cannot
 * hide each other.
 */
final class AhciTestDriver {
    /** Each slot's command table: 0x80 bytes of header and FIS, then room for 248 PRDs. */
    static final int TABLE_SIZE = 0x1000;
    static final long WAIT_MILLIS = 5_000;

    final PciFunction function;
    final RegisterIo abar;
    final DmaMemory dma;

    AhciTestDriver(PciFunction function) throws IOException {
        this.function = function;
        this.abar = function.bar(AhciModel.ABAR);
        this.dma = function.dmaMemory();
        ConfigSpace config = function.config();
        config.write16(ConfigSpace.COMMAND, config.read16(ConfigSpace.COMMAND) | ConfigSpace.COMMAND_BUS_MASTER);
    }

    int read(int offset) {
        return abar.read32(offset);
    }

    void write(int offset, int value) {
        abar.write32(offset, value);
    }

    Port port(int index) throws IOException {
        return new Port(index);
    }

    /** A H2D Register FIS with C = 1 (SATA 2.6). */
    static byte[] h2d(int command, long lba, int count, int features) {
        byte[] fis = new byte[20];
        fis[0] = (byte) FIS_TYPE_REG_H2D;
        fis[1] = (byte) FIS_H2D_C;
        fis[2] = (byte) command;
        fis[3] = (byte) features;
        for (int i = 0; i < 3; i++) {
            fis[4 + i] = (byte) (lba >>> 8 * i);
            fis[8 + i] = (byte) (lba >>> 8 * (i + 3));
        }
        fis[7] = 0x40;
        fis[11] = (byte) (features >>> 8);
        fis[12] = (byte) count;
        fis[13] = (byte) (count >>> 8);
        return fis;
    }

    /** One port's command list, received-FIS area and 32 command tables. */
    final class Port {
        final int index;
        final DmaRegion list;
        final DmaRegion fis;
        final DmaRegion tables;

        Port(int index) throws IOException {
            this.index = index;
            list = dma.allocate(CMD_LIST_SIZE, 1024);
            fis = dma.allocate(RFIS_SIZE, 256);
            tables = dma.allocate(32 * TABLE_SIZE);
        }

        int reg(int offset) {
            return abar.read32(portBase(index) + offset);
        }

        void reg(int offset, int value) {
            abar.write32(portBase(index) + offset, value);
        }

        /** §10.1.2: bases, FRE, spin-up, link, clear PxSERR and PxIS, then ST. */
        Port start() {
            reg(PxCLB, (int) list.physicalAddress());
            reg(PxCLBU, (int) (list.physicalAddress() >>> 32));
            reg(PxFB, (int) fis.physicalAddress());
            reg(PxFBU, (int) (fis.physicalAddress() >>> 32));
            reg(PxCMD, reg(PxCMD) | PxCMD_FRE | PxCMD_SUD);
            waitFor("PxSSTS.DET = 3", () -> (reg(PxSSTS) & SSTS_DET_MASK) == SSTS_DET_PRESENT_PHY);
            waitFor("PxTFD.STS.BSY and DRQ clear", () -> (reg(PxTFD) & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) == 0);
            reg(PxSERR, -1);
            reg(PxIS, -1);
            reg(PxCMD, reg(PxCMD) | PxCMD_ST);
            return this;
        }

        /** §6.2.2.1 non-queued error recovery: ST off, wait CR, clear SERR and IS, COMRESET if busy, ST on. */
        void recover() {
            stop();
            reg(PxSERR, -1);
            reg(PxIS, -1);
            write(IS, 1 << index);
            if ((reg(PxTFD) & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) != 0) {
                comreset();
            }
            reg(PxCMD, reg(PxCMD) | PxCMD_ST);
        }

        void stop() {
            reg(PxCMD, reg(PxCMD) & ~PxCMD_ST);
            waitFor("PxCMD.CR clear", () -> (reg(PxCMD) & PxCMD_CR) == 0);
        }

        /** §10.4.2: DET = 1, then 0; the link comes back with the signature. */
        void comreset() {
            reg(PxSCTL, reg(PxSCTL) & ~SCTL_DET_MASK | SCTL_DET_COMRESET);
            reg(PxSCTL, reg(PxSCTL) & ~SCTL_DET_MASK);
            waitFor("PxSSTS.DET = 3 after COMRESET",
                    () -> (reg(PxSSTS) & SSTS_DET_MASK) == SSTS_DET_PRESENT_PHY && (reg(PxTFD) & 0x88) == 0);
            reg(PxSERR, -1);
        }

        long tableAddress(int slot) {
            return tables.physicalAddress() + (long) slot * TABLE_SIZE;
        }

        /** Header (CFL 5, W, PRDTL), CFIS and PRDT of {@code slot}; {@code prds} are (address, bytes) pairs. */
        void prepare(int slot, byte[] cfis, boolean write, long... prds) {
            ByteBuffer header = list.buffer();
            int at = slot * CMD_HEADER_SIZE;
            int entries = prds.length / 2;
            header.putInt(at, entries << CMDH_PRDTL_SHIFT | (write ? CMDH_W : 0) | cfis.length / 4);
            header.putInt(at + CMDH_PRDBC, 0);
            header.putLong(at + CMDH_CTBA, tableAddress(slot));
            ByteBuffer table = tables.buffer();
            int base = slot * TABLE_SIZE;
            table.put(base, cfis);
            for (int i = 0; i < entries; i++) {
                int prd = base + CT_PRDT + i * PRD_SIZE;
                table.putLong(prd + PRD_DBA, prds[2 * i]);
                table.putInt(prd + 8, 0);
                table.putInt(prd + PRD_DW3, (int) prds[2 * i + 1] - 1);
            }
        }

        /** Rings the doorbell for {@code slots} and waits until they are done or the port reports an error. */
        int issueAndWait(int slots) {
            reg(PxCI, slots);
            return waitDone(slots);
        }

        int waitDone(int slots) {
            int errors = PxIS_TFES | PxIS_HBFS | PxIS_IFS | PxIS_OFS;
            waitFor("PxCI bits 0x" + Integer.toHexString(slots) + " clear or an error",
                    () -> (reg(PxCI) & slots) == 0 && (reg(PxSACT) & slots) == 0 || (reg(PxIS) & errors) != 0);
            return reg(PxIS);
        }

        /** Runs one command in slot 0 through one region; returns PxIS, acknowledged. */
        int run(byte[] cfis, boolean write, DmaRegion buffer, int bytes) {
            prepare(0, cfis, write, buffer.physicalAddress(), bytes);
            int status = issueAndWait(1);
            reg(PxIS, status);
            return status;
        }

        int prdbc(int slot) {
            return list.buffer().getInt(slot * CMD_HEADER_SIZE + CMDH_PRDBC);
        }

        ByteBuffer receivedFis() {
            return fis.buffer();
        }

        @Override
        public String toString() {
            return String.format(
                    "port %d: IS 0x%08x CMD 0x%08x TFD 0x%04x SSTS 0x%03x SERR 0x%08x SACT 0x%08x CI 0x%08x",
                    index, reg(PxIS), reg(PxCMD), reg(PxTFD), reg(PxSSTS), reg(PxSERR), reg(PxSACT), reg(PxCI));
        }

        private void waitFor(String what, java.util.function.BooleanSupplier condition) {
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            while (!condition.getAsBoolean()) {
                assertTrue("timed out waiting for " + what + ": " + this, System.currentTimeMillis() < deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Fills a region with a pattern that differs per byte and per {@code seed}. */
    static void fill(DmaRegion region, int bytes, int seed) {
        ByteBuffer b = region.buffer();
        for (int i = 0; i < bytes; i++) {
            b.put(i, (byte) (i * 31 + seed * 7 + (i >>> 9)));
        }
    }

    static void assertPattern(String what, DmaRegion region, int offset, int bytes, int seed, int patternOffset) {
        ByteBuffer b = region.buffer();
        for (int i = 0; i < bytes; i++) {
            int p = i + patternOffset;
            byte expected = (byte) (p * 31 + seed * 7 + (p >>> 9));
            if (b.get(offset + i) != expected) {
                assertEquals(what + ": byte " + i, expected, b.get(offset + i));
            }
        }
    }
}

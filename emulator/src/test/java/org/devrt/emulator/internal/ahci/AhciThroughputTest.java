package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;
import static org.devrt.emulator.internal.ahci.AhciTestDriver.h2d;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;

import org.devrt.hw.DmaRegion;
import org.junit.Test;

/**
 * A quick measure of the data path (image file, page-aligned buffer, PRD scatter/gather), printed for people: 1 MiB
 * READ DMA EXT commands one at a time (non-queued commands run one at a time anyway, AHCI 1.3.1 §5.3.2) and 1 MiB
 * READ FPDMA QUEUED commands eight at a time. It asserts only a floor far below what the path does,
 * so that a loaded build machine does not fail it; the numbers are in the test output.
 */
public class AhciThroughputTest {
    private static final int MIB = 1 << 20;
    private static final int COMMANDS = 16;

    @Test
    public void oneMebibyteReads() throws IOException {
        try (AhciMachine machine = new AhciMachine(20 << 20)) {
            AhciTestDriver d = new AhciTestDriver(machine.plug("disk0=@d0", "size0=32M", "workers=4"));
            AhciTestDriver.Port port = d.port(0).start();
            DmaRegion buffer = d.dma.allocate(8 * MIB);
            AhciTestDriver.fill(buffer, 8 * MIB, 2);
            for (int i = 0; i < 2; i++) {
                port.prepare(0, h2d(ATA_CMD_WRITE_DMA_EXT, i * 16384L, 16384, 0), true, prds(buffer, 0, 8));
                assertEquals(PxIS_DHRS, port.issueAndWait(1));
                port.reg(PxIS, -1);
            }
            measure(port, buffer, 1, 4, false);
            double serial = measure(port, buffer, 1, COMMANDS, false);
            double queued = measure(port, buffer, 8, COMMANDS, true);
            System.out.printf("ahci: 1 MiB reads: %.0f MB/s READ DMA EXT one at a time, %.0f MB/s READ FPDMA QUEUED"
                    + " eight in flight%n", serial, queued);
            assertTrue("far below what the path does: " + serial + " MB/s", serial > 20);
        }
    }

    /** Reads {@code total} MiB, {@code depth} commands in flight at a time, NCQ if {@code queued}; returns MB/s. */
    private static double measure(AhciTestDriver.Port port, DmaRegion buffer, int depth, int total,
            boolean queued) {
        long start = System.nanoTime();
        for (int done = 0; done < total; done += depth) {
            int slots = 0;
            for (int s = 0; s < depth; s++) {
                long lba = (done + s) % 16 * 2048L;
                byte[] fis = queued ? h2d(ATA_CMD_READ_FPDMA_QUEUED, lba, s << 3, 2048)
                        : h2d(ATA_CMD_READ_DMA_EXT, lba, 2048, 0);
                port.prepare(s, fis, false, prds(buffer, s, 1));
                slots |= 1 << s;
            }
            if (queued) {
                port.reg(PxSACT, slots);
            }
            assertEquals(queued ? PxIS_SDBS : PxIS_DHRS, port.issueAndWait(slots));
            port.reg(PxIS, -1);
        }
        return (double) total * MIB / ((System.nanoTime() - start) / 1000.0);
    }

    /** {@code mib} MiB from MiB {@code first} of the buffer, as 256 KiB entries. */
    private static long[] prds(DmaRegion buffer, int first, int mib) {
        long[] prds = new long[mib * 8];
        for (int i = 0; i < mib * 4; i++) {
            prds[2 * i] = buffer.physicalAddress() + (long) first * MIB + i * (MIB / 4L);
            prds[2 * i + 1] = MIB / 4;
        }
        return prds;
    }
}

package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.BPRC;
import static org.devrt.emulator.internal.e1000.E1000Registers.CRCERRS;
import static org.devrt.emulator.internal.e1000.E1000Registers.GORCL;
import static org.devrt.emulator.internal.e1000.E1000Registers.GPRC;
import static org.devrt.emulator.internal.e1000.E1000Registers.ICR_RXDMT0;
import static org.devrt.emulator.internal.e1000.E1000Registers.ICR_RXO;
import static org.devrt.emulator.internal.e1000.E1000Registers.ICR_RXT0;
import static org.devrt.emulator.internal.e1000.E1000Registers.MPC;
import static org.devrt.emulator.internal.e1000.E1000Registers.MPRC;
import static org.devrt.emulator.internal.e1000.E1000Registers.PRC64;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_BSEX;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_BSIZE_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_EN;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_LPE;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_RDMTS_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_SBP;
import static org.devrt.emulator.internal.e1000.E1000Registers.RCTL_SECRC;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_BUFFER_ADDRESS;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_ERRORS;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_ERRORS_CE;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_ERRORS_RXE;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_LENGTH;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_STATUS;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_STATUS_DD;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_STATUS_EOP;
import static org.devrt.emulator.internal.e1000.E1000Registers.RDESC_STATUS_IXSM;
import static org.devrt.emulator.internal.e1000.E1000Registers.RNBC;
import static org.devrt.emulator.internal.e1000.E1000Registers.ROC;
import static org.devrt.emulator.internal.e1000.E1000Registers.RUC;
import static org.devrt.emulator.internal.e1000.E1000Registers.TORL;
import static org.devrt.emulator.internal.e1000.E1000Registers.TPR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;

/**
 * The receive path (8254x SDM 3.2): filter, then store the frame into the buffers of the descriptors the device owns
 * (RDH to RDT - 1), legacy format, and write each descriptor back (length, STATUS.DD, STATUS.EOP on the last,
 * STATUS.IXSM as no checksum offload is done). Frames from a backend carry no FCS: one shorter than 60 bytes is
 * padded with zeros to 60 as the wire would have it, and unless RCTL.SECRC strips it, a correct FCS is appended, so
 * the driver sees what the hardware would store. Not enough descriptors for the whole frame: it is dropped, MPC and
 * RNBC count it, ICR.RXO is set. A descriptor whose buffer address is 0 is written back with DD and no data, and
 * skipped; a buffer the device cannot reach gets ERRORS.RXE; both count as bad descriptors. A frame that arrives
 * with a bad FCS (the fault {@link #badFcsEvery}: a damaged cable) is counted in CRCERRS once it passes the address
 * filter (13.7.1) and dropped, or, with RCTL.SBP, stored with ERRORS.CE in its last descriptor and its bad FCS
 * (unless RCTL.SECRC strips it). Reuses its buffers: no allocation per frame. Not thread-safe: called under the
 * model's lock.
 */
final class Receiver {
    static final int MIN_FRAME = 60;
    static final int MAX_STANDARD_FRAME = 1518;
    static final int MAX_LONG_FRAME = 16384;
    private static final int HEADER = 14;
    private static final int FCS = 4;
    private static final int[] BUFFER_SIZES = {2048, 1024, 512, 256};
    private static final int[] EXTENDED_BUFFER_SIZES = {2048, 16384, 8192, 4096};

    private final ModelHost host;
    private final Statistics stats;
    private final DescriptorRing ring;
    private final AddressFilter filter;
    private final Complaints complaints;
    private final IntConsumer raise;
    private final ByteBuffer staging = ByteBuffer.allocate(MAX_LONG_FRAME + FCS).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32 crc = new CRC32();
    private int rctl;
    /** Fault: every this many frames that pass the filter, one arrives with a bad FCS; 0 for none. */
    private int badFcsEvery;
    private int untilBadFcs;

    Receiver(NicContext context, DescriptorRing ring, AddressFilter filter) {
        this.host = context.host();
        this.stats = context.stats();
        this.ring = ring;
        this.filter = filter;
        this.complaints = context.complaints();
        this.raise = context.raise();
    }

    int rctl() {
        return rctl;
    }

    /** RCTL, R/W: EN starts and stops reception; the other fields apply to the next frame. */
    void writeRctl(int value) {
        rctl = value;
    }

    /** Leaves the fault {@link #badFcsEvery}: the cable stays damaged across a reset. */
    void reset() {
        rctl = 0;
    }

    /**
     * Fault: from now on, every {@code frames}th frame that passes the address filter arrives with a bad FCS, as over
     * a damaged cable or a noisy PHY; 0 stops it.
     */
    void badFcsEvery(int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("frames between bad FCSs must not be negative: " + frames);
        }
        badFcsEvery = frames;
        untilBadFcs = frames;
    }


    /** RCTL.BSIZE with RCTL.BSEX: 2048, 1024, 512, 256, or 16384, 8192, 4096 bytes. */
    static int bufferSize(int rctl) {
        int bsize = (rctl >>> RCTL_BSIZE_SHIFT) & 3;
        return (rctl & RCTL_BSEX) != 0 ? EXTENDED_BUFFER_SIZES[bsize] : BUFFER_SIZES[bsize];
    }

    /** One frame from the backend, between position and limit (left as they were). */
    void receive(ByteBuffer frame, boolean linkUp) {
        if ((rctl & RCTL_EN) == 0 || !linkUp) {
            return;
        }
        int at = frame.position();
        int length = frame.remaining();
        stats.increment(TPR);
        stats.add64(TORL, Math.max(length, MIN_FRAME) + FCS);
        if (length < HEADER) {
            stats.increment(RUC);
            return;
        }
        if (length > ((rctl & RCTL_LPE) != 0 ? MAX_LONG_FRAME : MAX_STANDARD_FRAME)) {
            stats.increment(ROC);
            return;
        }
        if (!filter.accepts(frame, at, rctl)) {
            return;
        }
        boolean badFcs = badFcsEvery > 0 && --untilBadFcs == 0;
        if (badFcs) {
            untilBadFcs = badFcsEvery;
            stats.increment(CRCERRS);
            if ((rctl & RCTL_SBP) == 0) {
                return; // a bad packet is not stored (13.4.22)
            }
        }
        int padded = Math.max(length, MIN_FRAME);
        int total = padded + ((rctl & RCTL_SECRC) != 0 ? 0 : FCS);
        int bufferSize = bufferSize(rctl);
        if (!ring.usable() || (long) ring.owned() * bufferSize < total) {
            if (ring.count() > 0 && !ring.usable()) {
                complaints.complain("receive ring unusable (" + ring + "); frame dropped");
            }
            stats.increment(MPC);
            stats.increment(RNBC);
            raise.accept(ICR_RXO);
            return;
        }
        boolean intact;
        int errors = badFcs ? RDESC_ERRORS_CE : 0;
        if (total == length) { // long enough and the FCS stripped: stored straight from the frame
            int limit = frame.limit();
            intact = store(frame, at, total, bufferSize, errors);
            frame.limit(limit).position(at);
        } else {
            stage(frame, at, length, padded, total, badFcs);
            intact = store(staging, 0, total, bufferSize, errors);
        }
        if (intact && !badFcs) {
            stats.increment(GPRC);
            stats.add64(GORCL, padded + FCS);
            stats.countSize(PRC64, padded + FCS);
            if ((frame.get(at) & 1) != 0) {
                stats.increment(AddressFilter.isBroadcast(frame, at) ? BPRC : MPRC);
            }
        }
        int threshold = ring.count() >>> Math.min(((rctl >>> RCTL_RDMTS_SHIFT) & 3) + 1, 3);
        raise.accept(ring.owned() <= threshold ? ICR_RXT0 | ICR_RXDMT0 : ICR_RXT0);
    }

    /** Copies the frame to the staging buffer, pads it, and appends the FCS (wrong if {@code bad}) unless stripped. */
    private void stage(ByteBuffer frame, int at, int length, int padded, int total, boolean bad) {
        staging.clear();
        staging.put(0, frame, at, length);
        for (int i = length; i < padded; i++) {
            staging.put(i, (byte) 0);
        }
        if (total > padded) {
            crc.reset();
            staging.limit(padded).position(0);
            crc.update(staging);
            staging.clear();
            staging.putInt(padded, (int) crc.getValue() ^ (bad ? 0x8000_0001 : 0));
        }
    }

    /**
     * Writes {@code total} bytes of {@code source} from {@code base} into descriptors from RDH on, the last with
     * {@code frameErrors} in ERRORS; returns whether it all went in undamaged. Moves the source's position and limit.
     */
    private boolean store(ByteBuffer source, int base, int total, int bufferSize, int frameErrors) {
        boolean intact = true;
        int offset = 0;
        while (offset < total) {
            if (ring.owned() == 0) {
                complaints.complain("frame of " + total + " bytes ran out of receive descriptors; the rest is lost");
                stats.increment(MPC);
                return false;
            }
            int index = ring.head();
            long address = ring.address(index);
            long buffer;
            try {
                buffer = host.dmaRead64(address + RDESC_BUFFER_ADDRESS);
            } catch (DmaFault e) {
                complaints.dmaRefused("receive descriptor " + index + " cannot be read (" + e.getMessage()
                        + "); frame dropped", e);
                stats.increment(MPC);
                return false;
            }
            int chunk = 0;
            int errors = 0;
            if (buffer == 0) {
                complaints.badDescriptor("receive descriptor " + index + " has buffer address 0; skipped");
            } else {
                chunk = Math.min(bufferSize, total - offset);
                source.limit(base + offset + chunk).position(base + offset);
                try {
                    host.dmaWrite(buffer, source);
                } catch (DmaFault e) {
                    complaints.dmaRefused("receive descriptor " + index + ": buffer not writable ("
                            + e.getMessage() + "); RXE set", e);
                    errors = RDESC_ERRORS_RXE;
                    intact = false;
                }
                offset += chunk;
            }
            boolean last = offset >= total;
            errors |= last ? frameErrors : 0; // errors other than RXE are valid in the last descriptor (3.2.3.2)
            int status = RDESC_STATUS_DD | RDESC_STATUS_IXSM | (last ? RDESC_STATUS_EOP : 0);
            writeBack(index, address, chunk, status, errors);
            ring.advanceHead();
        }
        return intact;
    }

    private void writeBack(int index, long address, int length, int status, int errors) {
        // the descriptor's upper half in one 64-bit write: length, checksum 0, status, errors, special 0
        long upper = (length & 0xFFFFL) | (long) (status & 0xFF) << (RDESC_STATUS - RDESC_LENGTH) * 8
                | (long) (errors & 0xFF) << (RDESC_ERRORS - RDESC_LENGTH) * 8;
        try {
            host.dmaWrite64(address + RDESC_LENGTH, upper);
        } catch (DmaFault e) {
            complaints.dmaRefused("receive descriptor " + index + " cannot be written back ("
                    + e.getMessage() + ")", e);
        }
    }
}

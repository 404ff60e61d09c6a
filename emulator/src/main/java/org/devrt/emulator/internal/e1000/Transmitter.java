package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.BPTC;
import static org.devrt.emulator.internal.e1000.E1000Registers.GOTCL;
import static org.devrt.emulator.internal.e1000.E1000Registers.GPTC;
import static org.devrt.emulator.internal.e1000.E1000Registers.ICR_TXDW;
import static org.devrt.emulator.internal.e1000.E1000Registers.ICR_TXQE;
import static org.devrt.emulator.internal.e1000.E1000Registers.MPTC;
import static org.devrt.emulator.internal.e1000.E1000Registers.PTC64;
import static org.devrt.emulator.internal.e1000.E1000Registers.TCTL_EN;
import static org.devrt.emulator.internal.e1000.E1000Registers.TCTL_PSP;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_BUFFER_ADDRESS;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CMD;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CMD_DEXT;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CMD_EOP;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CMD_IC;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CMD_RS;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CSO;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_CSS;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_DTYP_DATA;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_DTYP_SHIFT;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_LENGTH;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_STATUS;
import static org.devrt.emulator.internal.e1000.E1000Registers.TDESC_STATUS_DD;
import static org.devrt.emulator.internal.e1000.E1000Registers.TOTL;
import static org.devrt.emulator.internal.e1000.E1000Registers.TPT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.emulator.internal.model.ModelHost;

/**
 * The transmit path (8254x SDM 3.3): walks the descriptors the device owns (TDH to TDT - 1) one at a time, gathers
 * their buffers into one frame until CMD.EOP, writes STATUS.DD back when CMD.RS asks (ICR.TXDW), and sets ICR.TXQE
 * when TDH reaches TDT. Legacy descriptors with the legacy checksum insertion (CMD.IC, CSS, CSO) are modelled;
 * extended data descriptors (CMD.DEXT, DTYP 1) are sent without their offloads, context descriptors (DTYP 0) are
 * only written back. TCTL.PSP pads a short frame to 60 bytes (64 with the FCS the backend does not carry). A
 * descriptor it cannot use (buffer address 0, a buffer it cannot read, an unknown DTYP) drops its frame and counts
 * as bad; a descriptor it cannot read gives every owned descriptor back (TDH = TDT). Reuses its buffers: no
 * allocation per frame. Not thread-safe: {@link #step()} runs under the model's lock, on the transmitting thread.
 */
final class Transmitter {
    static final int MAX_FRAME = 16384;
    private static final int MIN_FRAME = 60;
    private static final int FCS = 4;

    private final ModelHost host;
    private final Statistics stats;
    private final DescriptorRing ring;
    private final Complaints complaints;
    private final IntConsumer raise;
    private final ByteBuffer assembly = ByteBuffer.allocate(MAX_FRAME).order(ByteOrder.LITTLE_ENDIAN);
    /** The view the backend gets; only the transmitting thread touches it. */
    private final ByteBuffer outgoing = assembly.duplicate();
    private final ByteBuffer descriptor = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private int tctl;
    private int assembled;
    private boolean damaged;
    /** Fault: frames still to send before the unit hangs; 0 when no hang is armed. */
    private int framesBeforeHang;
    /** Fault: the unit has hung; it takes no descriptor until the next reset. */
    private boolean hung;

    Transmitter(NicContext context, DescriptorRing ring) {
        this.host = context.host();
        this.stats = context.stats();
        this.ring = ring;
        this.complaints = context.complaints();
        this.raise = context.raise();
    }

    int tctl() {
        return tctl;
    }

    /** TCTL, R/W: EN starts and stops transmission (a partly gathered frame is kept). */
    void writeTctl(int value) {
        tctl = value;
    }

    void reset() {
        tctl = 0;
        assembled = 0;
        damaged = false;
        hung = false;
    }

    /**
     * Fault: after {@code frames} more frames the unit hangs, as the 8254x transmit hangs the errata and Linux's
     * "Detected Tx Unit Hang" describe: TDH stops, the descriptors it owns stay unprocessed and no DD is written,
     * until a reset (CTRL.RST) starts it again. Once: the unit after that reset does not hang.
     */
    void hangAfter(int frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("frames before the hang must be positive: " + frames);
        }
        framesBeforeHang = frames;
    }

    boolean hung() {
        return hung;
    }

    /** Whether there is a descriptor to process: TCTL.EN, a usable ring, TDH != TDT, and the unit has not hung. */
    boolean hasWork() {
        return (tctl & TCTL_EN) != 0 && !hung && ring.usable() && ring.head() != ring.tail();
    }

    /** Processes the descriptor at TDH; returns the length of the frame it completed, or 0. */
    int step() {
        int index = ring.head();
        long address = ring.address(index);
        try { // two 64-bit reads: cheaper than a 16-byte copy into the heap buffer, at a frame a microsecond
            descriptor.putLong(0, host.dmaRead64(address)).putLong(8, host.dmaRead64(address + 8));
        } catch (DmaFault e) {
            complaints.dmaRefused("transmit descriptor " + index + " cannot be read (" + e.getMessage()
                    + "); TDH set to TDT", e);
            ring.abandon();
            assembled = 0;
            damaged = false;
            return 0;
        }
        int command = descriptor.get(TDESC_CMD) & 0xFF;
        boolean legacy = (command & TDESC_CMD_DEXT) == 0;
        int dtyp = (descriptor.getInt(TDESC_LENGTH) >>> TDESC_DTYP_SHIFT) & 0xF;
        boolean data = legacy || dtyp == TDESC_DTYP_DATA;
        if (data) {
            int length = legacy ? descriptor.getShort(TDESC_LENGTH) & 0xFFFF
                    : descriptor.getInt(TDESC_LENGTH) & 0xF_FFFF;
            gather(index, descriptor.getLong(TDESC_BUFFER_ADDRESS), length);
        } else if (dtyp != 0) {
            complaints.badDescriptor("transmit descriptor " + index + " has DTYP " + dtyp
                    + " (neither context 0 nor data 1); skipped");
        }
        if ((command & TDESC_CMD_RS) != 0) {
            writeBack(index, address);
        }
        ring.advanceHead();
        int complete = data && (command & TDESC_CMD_EOP) != 0 ? finish(legacy ? command : 0) : 0;
        if (ring.head() == ring.tail()) {
            raise.accept(ICR_TXQE);
        }
        return complete;
    }

    /** The completed frame for the backend, valid until the next {@link #step()}. */
    ByteBuffer outgoing(int length) {
        outgoing.limit(length).position(0);
        return outgoing;
    }

    private void gather(int index, long buffer, int length) {
        if (damaged || length == 0) {
            return;
        }
        if (buffer == 0) {
            complaints.badDescriptor("transmit descriptor " + index + " has buffer address 0; its frame is dropped");
            damaged = true;
        } else if (assembled + length > MAX_FRAME) {
            complaints.complain("transmit frame longer than " + MAX_FRAME + " bytes at descriptor " + index
                    + "; dropped");
            damaged = true;
        } else {
            assembly.limit(assembled + length).position(assembled);
            try {
                host.dmaRead(buffer, assembly);
                assembled += length;
            } catch (DmaFault e) {
                complaints.dmaRefused("transmit descriptor " + index + ": buffer cannot be read ("
                        + e.getMessage() + "); frame dropped", e);
                damaged = true;
            }
        }
    }

    private void writeBack(int index, long address) {
        try {
            host.dmaWrite32(address + TDESC_STATUS, descriptor.getInt(TDESC_STATUS) | TDESC_STATUS_DD);
            raise.accept(ICR_TXDW);
        } catch (DmaFault e) {
            complaints.dmaRefused("transmit descriptor " + index + " cannot be written back (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Ends the gathered frame (EOP): checksum insertion, padding, counting. Returns its length, 0 if dropped. */
    private int finish(int legacyCommand) {
        int length = assembled;
        boolean intact = !damaged && length > 0;
        assembled = 0;
        damaged = false;
        if (!intact) {
            return 0;
        }
        if (framesBeforeHang > 0 && --framesBeforeHang == 0) {
            hung = true; // this frame goes out; the descriptors after it stay the device's
        }
        assembly.clear();
        if ((legacyCommand & TDESC_CMD_IC) != 0) {
            insertChecksum(descriptor.get(TDESC_CSO) & 0xFF, descriptor.get(TDESC_CSS) & 0xFF, length);
        }
        if ((tctl & TCTL_PSP) != 0 && length < MIN_FRAME) {
            for (int i = length; i < MIN_FRAME; i++) {
                assembly.put(i, (byte) 0);
            }
            length = MIN_FRAME;
        }
        stats.increment(GPTC);
        stats.increment(TPT);
        stats.add64(GOTCL, length + FCS);
        stats.add64(TOTL, length + FCS);
        stats.countSize(PTC64, length + FCS);
        if ((assembly.get(0) & 1) != 0) {
            stats.increment(AddressFilter.isBroadcast(assembly, 0) ? BPTC : MPTC);
        }
        return length;
    }

    /** Legacy checksum (3.3.3.1): the 16-bit one's complement sum from CSS to the end, inserted at CSO. */
    private void insertChecksum(int cso, int css, int length) {
        if (css >= length || cso + 2 > length) {
            complaints.complain("checksum start " + css + " or offset " + cso + " outside the " + length
                    + "-byte frame; not inserted");
            return;
        }
        long sum = 0;
        for (int i = css; i < length; i += 2) {
            int high = assembly.get(i) & 0xFF;
            int low = i + 1 < length ? assembly.get(i + 1) & 0xFF : 0;
            sum += high << 8 | low;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int checksum = (int) ~sum & 0xFFFF;
        assembly.put(cso, (byte) (checksum >>> 8)).put(cso + 1, (byte) checksum);
    }
}

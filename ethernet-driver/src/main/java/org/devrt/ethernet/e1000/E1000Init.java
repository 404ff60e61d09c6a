package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.*;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.devrt.device.MacAddress;
import org.devrt.hw.RegisterIo;
import org.devrt.hw.Registers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bring-up of an 8254x, as chapter 14 of the manual orders it ("General Initialization and Reset Operation"),
 * in one flat function like ixy's {@code reset_and_init}. Every wait is bounded.
 */
final class E1000Init {
    private static final Logger LOG = LoggerFactory.getLogger(E1000Init.class);

    /** CTRL.RST clears itself within microseconds on silicon (Linux allows 5 ms); this is the give-up bound. */
    static final Duration RESET_TIMEOUT = Duration.ofMillis(100);
    /** Time given to the reset before CTRL is read again: the 82540 must not be accessed for 1 us after RST. */
    static final long RESET_SETTLE_NANOS = 1_000_000;
    /**
     * The causes the driver enables (§13.4.20): frame received, receiver overrun, ring half empty, link. Not TXDW:
     * sent descriptors are reclaimed by the transmitter when it runs short, after each pass of the worker, and when
     * the counters are read, so a completion interrupt would only wake the interrupt thread, once every few frames
     * at 64-byte frames, for nothing.
     */
    static final int INTERRUPTS = INT_RXT0 | INT_RXO | INT_RXDMT0 | INT_LSC;

    private E1000Init() {
    }

    /**
     * Resets the controller and brings it up: link, MAC from the EEPROM, receive ring with every descriptor
     * given to the device, transmit ring empty, interrupts enabled. The interrupt handler must already be
     * attached: the last step unmasks interrupts.
     *
     * @param io BAR 1's I/O window, through which the reset is written; null without one (through BAR 0 then)
     * @param who the device, for log messages
     * @return the Ethernet address read from the EEPROM
     * @throws IOException naming the step that failed ({@link org.devrt.hw.DeviceTimeoutException} for a wait)
     */
    /** How long DMA under way is given to end once the units are off, as Linux's e1000_reset_hw and e1000_down wait. */
    static final long QUIESCE_NANOS = 10_000_000;

    /**
     * Receiver and transmitter off and, if either was on, a pause for the PCI transactions under way to end; then the
     * global reset (CTRL.RST: every register but PCI config space to its power-on value, all DMA stopped;
     * self-clearing), waited for. As Linux's e1000_reset_hw, which hits the MAC only once the units are quiet. At a
     * first bring-up both are off already, and nothing is waited for.
     *
     * @throws IOException if the reset does not clear in time ({@link org.devrt.hw.DeviceTimeoutException})
     */
    static void quiesceAndReset(Registers regs, RegisterIo io) throws IOException {
        boolean on = (regs.get(RCTL) & RCTL_EN) != 0 || (regs.get(TCTL) & TCTL_EN) != 0;
        if (on) {
            regs.clearFlags(RCTL, RCTL_EN);
            regs.clearFlags(TCTL, TCTL_EN);
            regs.get(STATUS); // the writes above are posted: a read makes them reach the device
            LockSupport.parkNanos(QUIESCE_NANOS);
        }
        int ctrl = regs.get(CTRL) | CTRL_RST;
        if (io != null) {
            // through the I/O window, as Linux's e1000_reset_hw resets the 82540/82544/82545/82546/82541: "these
            // controllers can't ack the 64-bit write when issuing the reset"
            io.write32(IOADDR, CTRL);
            io.write32(IODATA, ctrl);
        } else {
            regs.set(CTRL, ctrl);
        }
        LockSupport.parkNanos(RESET_SETTLE_NANOS);
        regs.waitClear(CTRL, CTRL_RST, RESET_TIMEOUT);
        // then, as Linux for these controllers, the EEPROM's settings reloaded and 2 ms for it before anything reads
        // the EEPROM or writes what it sets (the model's reload is instant)
        regs.setFlags(CTRL_EXT, CTRL_EXT_EE_RST);
        regs.get(STATUS);
        LockSupport.parkNanos(EEPROM_RELOAD_NANOS);
    }

    /** How long the EEPROM's reload after a reset is given (Linux's e1000_reset_hw: msleep(2)). */
    static final long EEPROM_RELOAD_NANOS = 2_000_000;

    static MacAddress resetAndInit(Registers regs, RegisterIo io, Ring rx, Ring tx, String who) throws IOException {
        // §14.3 / §13.4.1 Reset: mask every interrupt first, so the reset does not leave a cause asserted.
        regs.set(IMC, INT_ALL);
        quiesceAndReset(regs, io);
        // Mask again after the reset and read ICR (clear-on-read) to drop causes latched before it.
        regs.set(IMC, INT_ALL);
        regs.get(ICR);

        // §14.3 General configuration: set link up and let the MAC take speed and duplex from the PHY
        // (CTRL.ASDE, §14.6.2); no forced speed/duplex, no inverted loss-of-signal, no PHY or link reset, no VLANs.
        int ctrl = regs.get(CTRL);
        ctrl |= CTRL_SLU | CTRL_ASDE;
        ctrl &= ~(CTRL_LRST | CTRL_PHY_RST | CTRL_ILOS | CTRL_FRCSPD | CTRL_FRCDPLX | CTRL_VME);
        regs.set(CTRL, ctrl);
        // §14.3: flow control is not used, so its address, type and timer registers are zero.
        regs.set(FCAL, 0);
        regs.set(FCAH, 0);
        regs.set(FCT, 0);
        regs.set(FCTTV, 0);

        // §5.6 EEPROM: words 00h-02h are the Ethernet address; words 00h-3Fh sum to BABAh.
        int[] words = Eeprom.readWords(regs);
        if (!Eeprom.checksumValid(words)) {
            LOG.warn("{}: EEPROM checksum is 0x{} instead of 0x{}; using its contents anyway", who,
                    Integer.toHexString(Eeprom.checksum(words)), Integer.toHexString(EEPROM_CHECKSUM));
        }
        MacAddress mac = Eeprom.ethernetAddress(words);
        if (mac.isMulticast() || mac.equals(MacAddress.of(new byte[6]))) {
            throw new IOException("EEPROM holds no valid Ethernet address (" + mac + ")");
        }

        // §14.4 Receive initialization.
        // Receive Address 0 is the port's own address, marked valid (RAH.AV).
        regs.set(RAL0, mac.get(0) | mac.get(1) << 8 | mac.get(2) << 16 | mac.get(3) << 24);
        regs.set(RAH0, mac.get(4) | mac.get(5) << 8 | RAH_AV);
        // The Multicast Table Array starts empty: only our address and broadcast are accepted.
        for (int i = 0; i < MTA_COUNT; i++) {
            regs.set(MTA + 4 * i, 0);
        }
        // Interrupt as soon as a frame is stored (no receive delay timer).
        regs.set(RDTR, 0);
        // Every descriptor points at its own pre-allocated 2048-byte buffer, status zero.
        for (int i = 0; i < rx.size; i++) {
            Descriptors.resetRx(rx.desc, i, rx.bufferAddress(i));
        }
        regs.set(RDBAL, (int) rx.descriptors.physicalAddress());
        regs.set(RDBAH, (int) (rx.descriptors.physicalAddress() >>> 32));
        regs.set(RDLEN, rx.lengthInBytes());
        // Head at 0, tail one before it: the device owns all descriptors but one (head == tail means none).
        regs.set(RDH, 0);
        regs.set(RDT, rx.size - 1);
        // Receiver on: broadcast accepted, 2048-byte buffers (BSIZE 00, BSEX 0), CRC stripped, no loopback,
        // no long packets, not promiscuous, RXDMT0 when half the ring is free.
        regs.set(RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC | RCTL_RDMTS_HALF);

        // §14.5 Transmit initialization: an empty ring (head == tail == 0).
        regs.set(TDBAL, (int) tx.descriptors.physicalAddress());
        regs.set(TDBAH, (int) (tx.descriptors.physicalAddress() >>> 32));
        regs.set(TDLEN, tx.lengthInBytes());
        regs.set(TDH, 0);
        regs.set(TDT, 0);
        // Transmitter on: pad short frames, IEEE collision threshold, full-duplex collision distance (the worker
        // switches it to half duplex if the link comes up so), and the IEEE inter-packet gap.
        regs.set(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT_IEEE << TCTL_CT_SHIFT
                | TCTL_COLD_FULL_DUPLEX << TCTL_COLD_SHIFT);
        regs.set(TIPG, TIPG_IEEE_COPPER);

        // §13.4.20 Interrupts: unmask the causes the driver handles. A cause latched meanwhile (LSC) fires now.
        regs.set(IMS, INTERRUPTS);
        return mac;
    }
}

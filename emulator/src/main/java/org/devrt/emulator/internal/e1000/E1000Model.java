package org.devrt.emulator.internal.e1000;

import static org.devrt.emulator.internal.e1000.E1000Registers.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.devrt.device.MacAddress;
import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.emulator.internal.net.Backend;
import org.devrt.emulator.internal.net.Switches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Intel 82540EM Gigabit Ethernet controller (8086:100E), after the PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual (8254x SDM): BAR 0, 128 KiB of registers; BAR 1, the 8-byte I/O window
 * (IOADDR/IODATA) onto them; INTA#. Register semantics are stated where each is dispatched below; a register it
 * does not know reads 0 and ignores writes (logged at DEBUG).
 *
 * <p>Link: STATUS.LU is up while CTRL.SLU is set and the backend's link is up; every change sets ICR.LSC. While the
 * link is down the transmit unit takes no descriptor (TDH stays; Linux's e1000: "we've lost link, so the controller
 * stops DMA") and goes on from TDH once the link is back.
 * Interrupts: INTA# is asserted while ICR & IMS is not 0 (level). Interrupt delays and throttling (RDTR, RADV, TIDV,
 * TADV, ITR) are stored, not applied: causes are signalled at once.
 *
 * <p>Threads and locks: every register access, {@link #reset()}, {@link #close()}, every frame from the backend
 * and every transmit step hold this model's lock, so they see one another whole, and once reset returns no DMA
 * follows until the driver enables a ring again. The transmit unit has no thread of its own: the thread whose TDT
 * (or TCTL, or CTRL.SLU) write gave it work, or whose cable brought the link back, runs it right after the write has left the bus ({@link #afterWrite}), as a vCPU
 * thread runs an emulated device's work after the MMIO exit, so a frame costs no thread hand-off. One thread
 * transmits at a time ({@link #transmitting}); a doorbell rung meanwhile, from another thread or from further down
 * the same thread's call chain (a switch that delivers an answer at once), is picked up by that thread before it
 * stops. Each step gathers a frame under the lock; the frame goes to the backend with the lock released, so a
 * switch may deliver it to another NIC (which takes that NIC's lock) without any lock order between two NICs.
 * Frames from the backend arrive on the backend's thread (a sending NIC's transmitting thread, a UDP reader).
 */
public final class E1000Model implements DeviceModel {
    private static final Logger LOG = LoggerFactory.getLogger(E1000Model.class);
    public static final int BAR0_SIZE = 128 << 10;
    public static final int IO_BAR = 1;
    public static final int IO_SIZE = 8;
    /** PBA power-on value: 48 KB of packet buffer for receive, 16 KB for transmit (13.4.16). */
    static final int PBA_POWER_ON = 0x30;
    /** Registers that only keep what is written (R/W, no side effect in this model). */
    private static final boolean[] STORED = new boolean[BAR0_SIZE / 4];

    static {
        for (int offset : new int[] {CTRL_EXT, FLA, FCAL, FCAH, FCT, VET, FCTTV, TXCW, LEDCTL, PBA, ITR, FCRTL, FCRTH,
            RDTR, RXDCTL, RADV, RSRPD, TIPG, AIFS, TIDV, TXDMAC, TXDCTL, TADV, TSPMT, RXCSUM, WUC, WUFC, WUS, MANC,
            IPAV}) {
            STORED[offset / 4] = true;
        }
    }

    private final ModelHost host;
    private final ModelIdentity identity;
    private final List<BarSpec> bars;
    private final MacAddress mac;
    private final Backend backend;
    private final Complaints complaints;
    /** A monitor rather than a ReentrantLock: contention on it allocates nothing on the heap. */
    private final Object lock = new Object();
    private final Eeprom eeprom;
    private final Phy phy = new Phy();
    private final Statistics stats = new Statistics();
    private final AddressFilter filter = new AddressFilter();
    private final DescriptorRing rxRing;
    private final DescriptorRing txRing;
    private final Receiver receiver;
    private final Transmitter transmitter;
    private final int[] stored = new int[BAR0_SIZE / 4];
    /** A thread is running the transmit unit ({@link #afterWrite}); under the lock. */
    private boolean transmitting;
    private int ctrl;
    private int icr;
    private int ims;
    private int eerd;
    private int mdic;
    private int ioaddr;
    private boolean linkUp;
    /** CTRL.RST writes that came through the I/O window (IODATA), as Linux resets the 82540; under the lock. */
    private int resetsThroughIo;
    private boolean asserted;
    private boolean closed;

    /** Takes ownership of {@code backend} (unstarted): starts it, and closes it when the model closes. */
    E1000Model(ModelHost host, ModelIdentity identity, List<BarSpec> bars, MacAddress mac, Backend backend) {
        this.host = host;
        this.identity = identity;
        this.bars = List.copyOf(bars);
        this.mac = mac;
        this.backend = backend;
        this.complaints = new Complaints(host.address().toString());
        this.eeprom = new Eeprom(mac, identity);
        this.rxRing = new DescriptorRing("RD", complaints);
        this.txRing = new DescriptorRing("TD", complaints);
        NicContext context = new NicContext(host, stats, complaints, this::raise);
        this.receiver = new Receiver(context, rxRing, filter);
        this.transmitter = new Transmitter(context, txRing);
        resetRegisters();
        backend.start(new Backend.Listener() {
            @Override
            public void receive(ByteBuffer frame) {
                frameArrived(frame);
            }

            @Override
            public void linkChanged(boolean up) {
                backendLinkChanged();
            }
        });
        LOG.debug("{}: e1000 {} on {}", host.address(), mac, backend.description());
    }

    /** The factory, whose NICs join the emulator's shared switches. */
    public static ModelFactory factory() {
        return new E1000Factory(Switches.shared());
    }

    /** A factory whose NICs join the switches of {@code switches} (tests keep theirs apart). */
    public static ModelFactory factory(Switches switches) {
        return new E1000Factory(switches);
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    @Override
    public List<BarSpec> bars() {
        return bars;
    }

    @Override
    public int read32(int bar, int offset) {
        synchronized (lock) {
            if (bar == IO_BAR) {
                return offset == IOADDR ? ioaddr : offset == IODATA ? indirect(true, 0) : 0;
            }
            return read(offset);
        }
    }

    @Override
    public void write32(int bar, int offset, int value) {
        synchronized (lock) {
            if (bar != IO_BAR) {
                write(offset, value);
            } else if (offset == IOADDR) {
                ioaddr = value & (BAR0_SIZE - 1);
            } else if (offset == IODATA) {
                indirect(false, value);
            }
        }
    }

    /** IODATA (13.1.1): the register IOADDR names, if it is 4-aligned. */
    private int indirect(boolean isRead, int value) {
        if ((ioaddr & 3) != 0) {
            LOG.debug("{}: IODATA with unaligned IOADDR 0x{} ignored", host.address(), Integer.toHexString(ioaddr));
            return 0;
        }
        if (isRead) {
            return read(ioaddr);
        }
        if (ioaddr == CTRL && (value & CTRL_RST) != 0) {
            resetsThroughIo++;
        }
        write(ioaddr, value);
        return 0;
    }

    private int read(int offset) {
        if (Statistics.covers(offset)) {
            return stats.read(offset); // clear on read
        }
        if (AddressFilter.covers(offset)) {
            return filter.read(offset); // R/W
        }
        if (DescriptorRing.covers(offset - RDBAL)) {
            return rxRing.read(offset - RDBAL);
        }
        if (DescriptorRing.covers(offset - TDBAL)) {
            return txRing.read(offset - TDBAL);
        }
        return switch (offset) {
            case CTRL -> ctrl;
            case STATUS -> status();
            case EECD -> eeprom.readEecd();
            case EERD -> eerd;
            case MDIC -> mdic;
            case ICR -> {
                int causes = icr; // clear on read: reading acknowledges every cause (13.4.17)
                icr = 0;
                updateInterrupt();
                yield causes;
            }
            case IMS -> ims;
            case RCTL -> receiver.rctl();
            case TCTL -> transmitter.tctl();
            default -> {
                if (STORED[offset / 4]) {
                    yield stored[offset / 4];
                }
                LOG.debug("{}: read of {} register 0x{} reads 0", host.address(),
                        offset == ICS || offset == IMC ? "write-only" : "unknown", Integer.toHexString(offset));
                yield 0;
            }
        };
    }

    private void write(int offset, int value) {
        if (AddressFilter.covers(offset)) {
            filter.write(offset, value);
        } else if (DescriptorRing.covers(offset - RDBAL)) {
            if (offset == RDH && (receiver.rctl() & RCTL_EN) != 0) { // done anyway, as the 82540 would
                complaints.complain("RDH written while RCTL.EN is set (the 8254x manual: software writes the head only"
                        + " at initialization, with the receiver off)");
            }
            rxRing.write(offset - RDBAL, value); // RDT: the driver gives buffers; frames are not queued for them
        } else if (DescriptorRing.covers(offset - TDBAL)) {
            if (offset == TDH && (transmitter.tctl() & TCTL_EN) != 0) {
                complaints.complain("TDH written while TCTL.EN is set (the 8254x manual: software writes the head only"
                        + " at initialization, with the transmitter off)");
            }
            txRing.write(offset - TDBAL, value); // TDT is the doorbell: afterWrite transmits
        } else {
            switch (offset) {
                case CTRL -> writeCtrl(value);
                case EECD -> eeprom.writeEecd(value);
                case EERD -> eerd = eeprom.eerd(value); // START completes at once
                case MDIC -> writeMdic(value);
                case ICR -> { // write 1b to clear
                    icr &= ~value;
                    updateInterrupt();
                }
                case ICS -> raise(value & ICR_VALID); // WO: sets causes
                case IMS -> { // 1b enables, 0b has no effect
                    ims |= value & ICR_VALID;
                    updateInterrupt();
                }
                case IMC -> { // WO: 1b disables
                    ims &= ~value;
                    updateInterrupt();
                }
                case RCTL -> receiver.writeRctl(value);
                case TCTL -> transmitter.writeTctl(value); // EN with work queued: afterWrite transmits
                default -> writeOther(offset, value);
            }
        }
    }

    private void writeOther(int offset, int value) {
        if (STORED[offset / 4]) {
            stored[offset / 4] = value;
        } else {
            LOG.debug("{}: write of 0x{} to {} register 0x{} ignored", host.address(), Integer.toHexString(value),
                    offset == STATUS || Statistics.covers(offset) ? "read-only" : "unknown",
                    Integer.toHexString(offset));
        }
    }

    /** CTRL (13.4.1): RST resets the device and self-clears; PHY_RST resets the PHY; SLU lets the link up. */
    private void writeCtrl(int value) {
        if ((value & CTRL_RST) != 0) {
            LOG.debug("{}: CTRL.RST: device reset", host.address());
            resetRegisters();
            return;
        }
        if ((value & CTRL_PHY_RST) != 0 && (ctrl & CTRL_PHY_RST) == 0) {
            phy.reset();
        }
        ctrl = value;
        updateLink();
    }

    /** MDIC (13.4.7): the PHY access completes at once; MDIC.I asks for ICR.MDAC. */
    private void writeMdic(int value) {
        mdic = phy.access(value);
        if ((value & MDIC_I) != 0) {
            raise(ICR_MDAC);
        }
    }

    /** STATUS (13.4.2), RO: FD and 1000 Mb/s while the PHY has link, LU per {@link #updateLink()}. */
    private int status() {
        int value = backend.isLinkUp() ? STATUS_FD | STATUS_SPEED_1000 : 0;
        return linkUp ? value | STATUS_LU : value;
    }

    private void updateLink() {
        boolean carrier = backend.isLinkUp();
        phy.setLink(carrier);
        boolean up = carrier && (ctrl & CTRL_SLU) != 0;
        if (up != linkUp) {
            linkUp = up;
            LOG.debug("{}: link {}", host.address(), up ? "up" : "down");
            raise(ICR_LSC);
        }
    }

    private void raise(int causes) {
        icr |= causes;
        updateInterrupt();
    }

    private void updateInterrupt() {
        boolean level = (icr & ims) != 0 && !closed;
        if (level != asserted) {
            asserted = level;
            host.setInterrupt(level);
        }
    }

    /** Power-on values (also CTRL.RST): rings and both units off, tables cleared, RAL0/RAH0 from the EEPROM. */
    private void resetRegisters() {
        ctrl = 0;
        icr = 0;
        ims = 0;
        eerd = 0;
        mdic = 0;
        ioaddr = 0;
        Arrays.fill(stored, 0);
        stored[PBA / 4] = PBA_POWER_ON;
        stats.reset();
        filter.reset(mac);
        rxRing.reset();
        txRing.reset();
        receiver.reset();
        transmitter.reset();
        eeprom.reset();
        phy.reset();
        phy.setLink(backend.isLinkUp());
        linkUp = false;
        updateInterrupt();
    }

    private void frameArrived(ByteBuffer frame) {
        synchronized (lock) {
            if (!closed) {
                receiver.receive(frame, linkUp);
            }
        }
    }

    private void backendLinkChanged() {
        synchronized (lock) {
            if (!closed) {
                updateLink();
            }
        }
        afterWrite(); // the link is back: descriptors given while it was down go now, on this thread
    }

    /**
     * The transmit unit, on the thread whose write gave it work: one descriptor per step under the lock, each
     * completed frame sent without it, until TDH reaches TDT. If another thread is transmitting already, that one
     * takes this write's descriptors too: it checks for work under the same lock acquisition in which it stops.
     */
    @Override
    public void afterWrite() {
        synchronized (lock) {
            if (transmitting || closed || !linkUp || !transmitter.hasWork()) {
                return;
            }
            transmitting = true;
        }
        while (true) {
            int length;
            synchronized (lock) {
                try {
                    if (closed || !linkUp || !transmitter.hasWork()) {
                        transmitting = false;
                        return;
                    }
                    length = transmitter.step();
                    if (transmitter.hung()) {
                        LOG.info("{}: transmit unit hung (fault injected) at TDH {}, TDT {}; a CTRL.RST restarts it",
                                host.address(), txRing.head(), txRing.tail());
                    }
                } catch (RuntimeException e) {
                    LOG.error("{}: transmit failed; the ring is given back to the driver", host.address(), e);
                    txRing.abandon();
                    continue;
                }
            }
            if (length > 0) {
                try {
                    backend.send(transmitter.outgoing(length));
                } catch (RuntimeException e) {
                    LOG.error("{}: the backend failed to send a frame; it is dropped", host.address(), e);
                }
            }
        }
    }

    @Override
    public void reset() {
        synchronized (lock) {
            if (!closed) {
                resetRegisters();
            }
        }
    }

    /** Unplugged: stops both units, lowers INTA#, leaves the backend (switch port, socket, capture file). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            receiver.reset();
            transmitter.reset();
            updateInterrupt();
        }
        backend.close();
        LOG.debug("{}: e1000 closed", host.address());
    }

    /** Fault: the transmit unit hangs after {@code frames} more frames, until a CTRL.RST (see Transmitter). */
    void hangTransmitAfter(int frames) {
        synchronized (lock) {
            transmitter.hangAfter(frames);
        }
    }

    /** Fault: every {@code frames}th frame received arrives with a bad FCS (see Receiver); 0 stops it. */
    void badFcsEvery(int frames) {
        synchronized (lock) {
            receiver.badFcsEvery(frames);
        }
    }

    @Override
    public String state() {
        return backend.isLinkUp() ? "" : "no link (cable out?)";
    }

    @Override
    public Map<String, String> actions() {
        return Map.of("cable <on|off>", "plugs the network cable in or pulls it out: the link goes up or down"
                + " (STATUS.LU, ICR.LSC)");
    }

    @Override
    public String act(String action, List<String> args) {
        if (!action.equals("cable")) {
            throw new IllegalArgumentException("the e1000 model has no action '" + action + "' (cable)");
        }
        if (args.size() != 1 || !(args.get(0).equals("on") || args.get(0).equals("off"))) {
            throw new IllegalArgumentException("cable takes on or off");
        }
        boolean on = args.get(0).equals("on");
        backend.setCableConnected(on);
        return on ? "plugged the cable in" : "pulled the cable out";
    }

    MacAddress mac() {
        return mac;
    }

    Backend backend() {
        return backend;
    }

    /** CTRL.RST writes that came through the I/O window. */
    int resetsThroughIo() {
        synchronized (lock) {
            return resetsThroughIo;
        }
    }

    /** Driver mistakes seen so far (bad ring values, unusable descriptors). */
    long complaints() {
        return complaints.count();
    }

    String lastComplaint() {
        return complaints.last();
    }

    /** Descriptors skipped or failed, both rings. */
    long badDescriptors() {
        return complaints.badDescriptors();
    }

    int eepromWord(int index) {
        return eeprom.word(index);
    }

    @Override
    public String toString() {
        return "e1000 " + mac + " on " + backend.description();
    }
}

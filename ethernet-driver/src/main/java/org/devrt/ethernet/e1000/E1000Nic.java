package org.devrt.ethernet.e1000;

import static org.devrt.ethernet.e1000.E1000Regs.*;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntBinaryOperator;

import org.devrt.device.FrameReceiver;
import org.devrt.device.MacAddress;
import org.devrt.device.NetworkCounters;
import org.devrt.device.NetworkDevice;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.hw.Registers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One 8254x port brought up and running: the {@link NetworkDevice} the driver registers.
 *
 * <p><b>Threads.</b> The interrupt handler reads ICR, which acknowledges the causes, masks the interrupts (IMC) and
 * ORs the causes into {@link #causes}. Then a <em>pass</em> handles them: link changes, the receive ring (calling
 * the {@link FrameReceiver}) and reclaiming sent transmit descriptors, and unmasks (IMS), so a busy port interrupts
 * once per pass, not once per frame (as Linux's NAPI). One pass runs at a time, by whoever claims {@link #polling}:
 * the handler itself when the causes are only about received frames and nobody is polling, else the port's worker
 * thread, which the handler unparks. The handler is attached with {@link InterruptLine#attachInline}: on the
 * emulator it may run on the thread whose register write made the device interrupt (the sending NIC's driver
 * thread, on a virtual switch), so a received frame reaches the receiver with no thread hand-off. It qualifies:
 * it waits for no lock (the pass is claimed with a compare-and-set, the TX lock is held by nobody across a register
 * write), and a receiver it calls that transmits in turn only queues behind another such write.
 * {@link #transmit} runs on the caller's thread under {@link #txLock}. Transmit completions do not interrupt (TXDW is
 * not enabled): sent descriptors are reclaimed by {@link #transmit} when it runs short, after each pass, and by
 * {@link #counters}. The worker also watches the transmit unit: if it holds descriptors and writes none of
 * them back for {@link #TX_HANG_NANOS} with the link up, it has hung, and the controller is reset and set up again on
 * the same rings, as Linux's e1000 does after "Detected Tx Unit Hang"; so is one holding frames while the link is
 * down (the 8254x stops its transmit DMA without link), which drops them.
 *
 * <p><b>Receive.</b> A pass walks the descriptors the device marked done (DD), lends each frame to the
 * receiver as a read-only big-endian view of its DMA buffer made once at start (no copy, no allocation), and
 * gives up to {@link #RX_BUDGET} descriptors back with one RDT write.
 *
 * <p><b>Transmit batching.</b> A frame is copied into its slot's pre-allocated buffer and its descriptor written
 * at once; the tail that hands it to the device is published when the TX lock is released and written to TDT just
 * after, by whoever holds the doorbell ({@link #ringDoorbell}: TDT is written without the lock, since on the emulator
 * the write runs the device's transmit and may deliver to a receiver at once), unless someone will do it shortly
 * for a whole batch: (1) another transmitter is already queued on the lock: the last of a burst of
 * concurrent senders writes TDT once for all; (2) the caller is running this port's pass, inside the receiver (a stack
 * answering what it receives): the pass writes TDT once at the end of the receive batch. Neither may delay a
 * frame past {@link #TX_BATCH} queued descriptors or a full ring: then TDT is written at once. So a frame waits
 * at most for the frames queued or received with it (at most {@code TX_BATCH} copies or {@code RX_BUDGET}
 * receiver calls); a lone sender gets one TDT write per frame and no added latency.
 */
final class E1000Nic implements NetworkDevice {
    private static final Logger LOG = LoggerFactory.getLogger(E1000Nic.class);
    private static final IntBinaryOperator OR = (a, b) -> a | b;

    static final int MTU = 1500;
    static final int HEADER = 14;
    static final int MAX_FRAME = HEADER + MTU;
    /** Receive descriptors handled, and given back with one RDT write, per batch. */
    static final int RX_BUDGET = 64;
    /** How long removing the receiver waits for a receive pass under way. */
    static final long RECEIVER_QUIESCE_MILLIS = 1000;
    /** The most transmit descriptors queued before TDT is written regardless; also the reclaim threshold. */
    static final int TX_BATCH = 32;
    /** Causes the interrupt handler handles itself when it can: frames received. Link changes go to the worker. */
    private static final int INLINE_CAUSES = INT_RXT0 | INT_RXDMT0;
    /**
     * How often an idle worker looks at the receive ring: a frame the device completed that no pass has taken
     * since the last look gets a pass without an interrupt (Linux's e1000 watchdog forces a receive interrupt every
     * 2 s for the same reason). Counted in {@link #watchdogPasses} and logged once: it should not happen.
     */
    static final long WATCHDOG_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * How long descriptors given to the transmit unit may wait with none of them written back, the link up and
     * transmission not paused, before the unit counts as hung and the controller is reset: Linux's e1000 reports
     * "Detected Tx Unit Hang" after about a second of this and its netdev watchdog resets after five; a frame takes
     * microseconds.
     */
    static final long TX_HANG_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long the transmit watchdog waits for the TX lock at a look. */
    static final long WATCHDOG_LOCK_MILLIS = 10;
    /** How long {@link #close} waits for the worker and for a transmitter holding the lock. */
    static final long STOP_TIMEOUT_MILLIS = 2_000;

    /** Told when the link goes up or down, on the worker thread. */
    @FunctionalInterface
    interface LinkListener {
        void linkChanged(boolean up);
    }

    final String name;
    final Registers regs;
    /** BAR 1's I/O window, through which the controller is reset (E1000Init); null without one. */
    private final RegisterIo io;
    private final InterruptLine irq;
    private final LinkListener linkListener;
    final Ring rx;
    final Ring tx;
    /** Receive slot {@code i} as lent to the receiver: read-only views of the DMA buffers, made once. */
    private final ByteBuffer[] rxFrames;
    private final Thread worker;
    private final AtomicInteger causes = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The transmit ring's lock; package-private for tests that hold it as another thread would. */
    final ReentrantLock txLock = new ReentrantLock();
    /**
     * Transmitters waiting for {@link #txLock}: one of them writes TDT when it lets go, so a transmitter releasing the
     * lock may leave the write to it. The worker's watchdog and a reset also wait for the lock and write no TDT.
     */
    private final AtomicInteger sendersWaiting = new AtomicInteger();
    /** Claimed by whoever runs a pass (the worker or the interrupt handler): one pass at a time. */
    private final AtomicBoolean polling = new AtomicBoolean();
    /** Held by the thread writing TDT. */
    private final AtomicBoolean doorbell = new AtomicBoolean();
    private volatile boolean running = true;
    /** Set when an access found the handles revoked (surprise removal): nothing reaches the device any more. */
    private volatile boolean gone;
    private volatile MacAddress mac;
    private volatile boolean linkUp;
    private volatile FrameReceiver receiver;

    // Receive state: the pass's (under polling). rxNext is the next descriptor the device will complete.
    private int rxNext;
    private boolean rxDiscarding;
    /** The thread running the pass, while it does. */
    private volatile Thread passThread;
    private boolean deferTxFlush;
    private boolean txDeferred;
    private long receiverFailures;
    private volatile long rxPackets, rxBytes, rxDropped, rxErrors;

    /** The worker or a counters reader asks for sent descriptors to be reclaimed ({@link #reclaimIfWanted}). */
    private volatile boolean reclaimWanted;
    // Transmit state, under txLock: descriptors [txClean, txTail) are the device's or wait for DD to be reclaimed.
    private int txTail;
    private int txClean;
    private int txUnflushed;
    /** The tail last published for the device, under txLock; {@link #tdtWritten} is the doorbell holder's. */
    private volatile int txPublished;
    private int tdtWritten;
    private volatile long txPackets, txBytes, txDropped, txErrors;
    /** Passes the watchdog started for frames no interrupt announced; the worker's. */
    private volatile long watchdogPasses;
    private int watchdogSeen = -1;
    /** The transmit watchdog's: the oldest unsent descriptor at its last look, and since when it has waited. */
    private int hangClean = -1;
    private long hangSince;
    /** Guards the MAC's error counts, which {@link #readStatistics} adds to. */
    private final Object statsLock = new Object();
    private long macRxErrors, macRxMissed, macTxErrors;
    /** Controller resets after a transmit hang. */
    private volatile long txHangResets;
    /** Controller resets that dropped the frames it held while its link was down. */
    private volatile long linkDownResets;

    private E1000Nic(Registers regs, RegisterIo io, InterruptLine irq, String name, Ring rx, Ring tx,
            LinkListener linkListener) {
        this.io = io;
        this.regs = regs;
        this.irq = irq;
        this.name = name;
        this.rx = rx;
        this.tx = tx;
        this.linkListener = linkListener;
        this.rxFrames = new ByteBuffer[rx.size];
        for (int i = 0; i < rx.size; i++) {
            rxFrames[i] = rx.buf.slice(Ring.bufferOffset(i), Ring.BUFFER_SIZE).asReadOnlyBuffer();
        }
        this.worker = new Thread(this::work, "e1000 " + name);
        worker.setDaemon(true);
    }

    /**
     * Allocates the rings, attaches the interrupt handler, brings the controller up ({@link E1000Init}) and starts
     * the worker. On failure everything taken is given back.
     */
    static E1000Nic open(Registers regs, DmaMemory dma, InterruptLine irq, String name, int rxSize, int txSize,
            LinkListener linkListener) throws IOException {
        return open(regs, null, dma, irq, name, rxSize, txSize, linkListener);
    }

    /** {@link #open} with BAR 1's I/O window, through which the controller is reset; null without one. */
    static E1000Nic open(Registers regs, RegisterIo io, DmaMemory dma, InterruptLine irq, String name, int rxSize,
            int txSize, LinkListener linkListener) throws IOException {
        Ring rx = Ring.allocate(dma, rxSize);
        Ring tx;
        try {
            tx = Ring.allocate(dma, txSize);
        } catch (IOException | RuntimeException e) {
            rx.close();
            throw e;
        }
        E1000Nic nic = new E1000Nic(regs, io, irq, name, rx, tx, linkListener);
        try {
            nic.start();
        } catch (IOException | RuntimeException e) {
            nic.close();
            throw e;
        }
        return nic;
    }

    private void start() throws IOException {
        irq.attachInline(this::interrupt);
        mac = E1000Init.resetAndInit(regs, io, rx, tx, name);
        updateLink(false);
        worker.start(); // picks up any cause that arrived since the handler was attached
    }

    // ---- NetworkDevice -------------------------------------------------------------------------------------

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public boolean isLinkUp() {
        return linkUp;
    }

    /**
     * Installs the receiver; {@code null} returns only once no receive pass that read the old one is under way (up
     * to {@link #RECEIVER_QUIESCE_MILLIS}), as Linux's synchronize_net after netdev_rx_handler_unregister: a batch
     * reads the receiver once, and went on delivering up to 64 frames to a stack that had removed the interface.
     * From within the receiver itself it returns at once (the pass is its caller).
     */
    @Override
    public void setReceiver(FrameReceiver receiver) {
        this.receiver = receiver;
        if (receiver != null || passThread == Thread.currentThread()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECEIVER_QUIESCE_MILLIS);
        while (polling.get()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("{}: a receive pass still runs {} ms after its receiver was removed; not waited for", name,
                        RECEIVER_QUIESCE_MILLIS);
                return;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    @Override
    public NetworkCounters counters() {
        if (running && !gone) { // sent frames are counted as they are reclaimed, and no interrupt says when
            reclaimWanted = true;
            reclaimIfWanted();
        }
        if (running && !gone) {
            try {
                readStatistics();
            } catch (HandleRevokedException e) {
                gone = true; // detach follows
            }
        }
        synchronized (statsLock) {
            return new NetworkCounters(rxPackets, rxBytes, rxDropped + macRxMissed, rxErrors + macRxErrors,
                    txPackets, txBytes, txDropped, txErrors + macTxErrors);
        }
    }

    @Override
    public boolean transmit(ByteBuffer frame) {
        int length = frame.remaining();
        if (length < HEADER || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame of " + length + " bytes; a frame has " + HEADER + " to "
                    + MAX_FRAME + " bytes (header and payload, no FCS)");
        }
        sendersWaiting.incrementAndGet();
        txLock.lock();
        sendersWaiting.decrementAndGet();
        try {
            if (!running || gone || !linkUp) {
                txDropped++;
                return false;
            }
            if (txFree() < TX_BATCH) {
                reclaim();
            }
            if (txFree() == 0) {
                txDropped++;
                return false;
            }
            int i = txTail;
            tx.buf.put(Ring.bufferOffset(i), frame, frame.position(), length);
            Descriptors.writeTx(tx.desc, i, tx.bufferAddress(i), length, TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS);
            txTail = tx.next(i);
            txUnflushed++;
            return true;
        } catch (HandleRevokedException e) {
            gone = true; // detach follows
            txDropped++;
            return false;
        } finally {
            releaseTx();
        }
    }

    @Override
    public String toString() {
        return "e1000 " + name;
    }

    // ---- transmit ----------------------------------------------------------------------------------------

    /** Descriptors the driver may fill: all but those in flight and the one that keeps head != tail. */
    private int txFree() {
        return tx.size - 1 - tx.distance(txClean, txTail);
    }

    /** Unlocks the TX lock, publishing the tail unless the batching policy (class comment) leaves it to another. */
    private void releaseTx() {
        boolean ring = false;
        try {
            if (txUnflushed > 0 && mustFlush()) {
                txPublished = txTail;
                txUnflushed = 0;
                ring = true;
            }
        } finally {
            txLock.unlock();
        }
        if (ring) {
            ringDoorbell();
        }
        reclaimIfWanted();
    }

    /**
     * Writes the last published tail to TDT, unless another thread holds the doorbell: that one writes whatever was
     * published before it lets go, so TDT only moves forward and no tail is left unwritten. Never waits.
     */
    private void ringDoorbell() {
        while (doorbell.compareAndSet(false, true)) {
            int tail = txPublished;
            try {
                if (tail != tdtWritten) {
                    VarHandle.releaseFence(); // descriptors and buffers reach memory before the device reads them
                    regs.set(TDT, tail);
                    tdtWritten = tail;
                }
            } catch (HandleRevokedException e) {
                gone = true; // the frames published since the last TDT write never reach the device
                txLock.lock();
                try {
                    txDropped += tx.distance(tdtWritten, tail);
                } finally {
                    txLock.unlock();
                }
                tdtWritten = tail;
            } finally {
                doorbell.set(false);
            }
            if (txPublished == tail) {
                return;
            }
        }
    }

    /**
     * Reclaims sent descriptors for the worker if the TX lock is free; if a transmitter holds it, that
     * transmitter does it right after it lets go (every unlock ends here), so the worker never queues on the lock
     * behind a sender, and no reclaim is lost.
     */
    private void reclaimIfWanted() {
        while (reclaimWanted && txLock.tryLock()) {
            try {
                reclaimWanted = false;
                if (running) { // looked at again under the lock: a close frees the rings under it once running is off
                    reclaim();
                }
            } finally {
                txLock.unlock();
            }
        }
    }

    private boolean mustFlush() {
        if (txUnflushed >= TX_BATCH || txFree() == 0) {
            return true;
        }
        if (deferTxFlush && Thread.currentThread() == passThread) {
            txDeferred = true; // written once at the end of the receive batch
            return false;
        }
        // a transmitter waiting for the lock flushes when it releases it; any thread waiting did not: the worker's
        // watchdog, which also waits for the lock, writes no TDT, and the frame stayed in the ring until the next send
        return sendersWaiting.get() == 0;
    }

    /** Counts and frees the descriptors the device has written back (DD), oldest first. Under txLock. */
    private void reclaim() {
        ByteBuffer ring = tx.desc;
        int i = txClean;
        while (i != txTail) {
            int status = Descriptors.txStatus(ring, i);
            if ((status & TXD_STAT_DD) == 0) {
                break;
            }
            if ((status & (TXD_STAT_EC | TXD_STAT_LC)) != 0) {
                txErrors++;
            } else {
                txPackets++;
                txBytes += Descriptors.txLength(ring, i);
            }
            i = tx.next(i);
        }
        txClean = i;
    }

    // ---- interrupt and worker ----------------------------------------------------------------------------

    /**
     * The interrupt handler: reads (and so acknowledges) the causes and masks the device's interrupts (IMC); then
     * runs the pass itself if the causes are only about received frames and no pass is running, else leaves it to
     * the worker, which unmasks them when it has caught up (as Linux's NAPI does).
     */
    private void interrupt() {
        int icr;
        try {
            icr = regs.get(ICR);
            // Not ours (shared line), a master abort (the device is gone), or only causes that are not enabled (ICR
            // reports TXDW and TXQE as frames go out): nothing to do.
            if (icr == -1 || (icr & E1000Init.INTERRUPTS) == 0) {
                return;
            }
            regs.set(IMC, E1000Init.INTERRUPTS);
        } catch (HandleRevokedException e) {
            gone = true; // unplugged; the device manager detaches us
            return;
        }
        int c = causes.accumulateAndGet(icr & E1000Init.INTERRUPTS, OR);
        if ((c & ~INLINE_CAUSES) == 0 && running && polling.compareAndSet(false, true)) {
            try {
                pass();
            } catch (HandleRevokedException e) {
                gone = true;
            } catch (RuntimeException | Error e) {
                LOG.error("{}: receive pass failed in the interrupt handler", name, e);
            } finally {
                polling.set(false);
            }
            if (causes.get() == 0) {
                return;
            }
        }
        LockSupport.unpark(worker);
    }

    /**
     * The worker: after an interrupt it leaves to it (or one that came while another pass was running), it runs a
     * pass; with nothing to do it parks.
     */
    private void work() {
        try {
            while (running) {
                if (causes.get() == 0 || !polling.compareAndSet(false, true)) {
                    LockSupport.parkNanos(this, WATCHDOG_NANOS); // a pass elsewhere unparks it if causes are left
                    watchdog();
                    transmitWatchdog();
                    readStatistics();
                    continue;
                }
                try {
                    pass();
                } finally {
                    polling.set(false);
                }
            }
        } catch (HandleRevokedException e) {
            gone = true;
            if (running) {
                LOG.info("{}: device gone ({}); worker stops", name, e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: worker failed; the port no longer receives", name, e);
        }
    }

    /**
     * On the worker, after a park: if the descriptor the next pass would take was done already at the previous look,
     * with no cause pending and no pass running since, a frame is waiting that no interrupt announced: pass anyway.
     */
    private void watchdog() {
        int next = rxNext; // the pass's; a stale read only delays the decision by one look
        boolean waiting = causes.get() == 0 && !polling.get()
                && (Descriptors.rxStatus(rx.desc, next) & RXD_STAT_DD) != 0;
        if (!waiting) {
            watchdogSeen = -1;
        } else if (watchdogSeen != next) {
            watchdogSeen = next; // look again next time: an interrupt may be on its way
        } else {
            watchdogSeen = -1;
            if (watchdogPasses++ == 0) {
                LOG.warn("{}: received frames waited {} ms without an interrupt; the watchdog takes them", name,
                        TimeUnit.NANOSECONDS.toMillis(WATCHDOG_NANOS));
            }
            causes.accumulateAndGet(INT_RXT0, OR);
        }
    }

    /**
     * On the worker, after a park: if descriptors were given to the device and the oldest of them has not been
     * written back (DD) for {@link #TX_HANG_NANOS} while the link is up, the transmit unit has hung, and the
     * controller is reset ({@link #resetController}). A link down starts that wait again; but descriptors the device
     * holds while the link is down are dropped by a reset at once, as Linux's e1000 watchdog does ("we've lost link,
     * so the controller stops DMA, but we've got queued Tx work that's never going to get done"): frames a stack
     * queued before the cable was pulled do not leave minutes later when it is plugged in. It waits up to
     * {@link #WATCHDOG_LOCK_MILLIS} for the TX lock (a sender retrying a full ring takes it again and again, and a try
     * without waiting rarely finds it free), else looks at the next park.
     */
    private void transmitWatchdog() {
        boolean up = linkUp;
        if (!up) {
            hangClean = -1;
        }
        try {
            if (!txLock.tryLock(WATCHDOG_LOCK_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        int waiting;
        try {
            if (!running || gone) {
                return;
            }
            reclaim();
            waiting = tx.distance(txClean, txPublished);
            if (!up) {
                if (waiting == 0) {
                    return;
                }
            } else {
                long now = System.nanoTime();
                if (waiting == 0 || txClean != hangClean) {
                    hangClean = waiting == 0 ? -1 : txClean;
                    hangSince = now;
                    return;
                }
                if (now - hangSince < TX_HANG_NANOS) {
                    return;
                }
            }
        } finally {
            txLock.unlock();
        }
        hangClean = -1;
        resetController(waiting, !up);
    }

    /**
     * Resets a controller whose transmit unit hung, or that holds frames while its link is down, and brings it up
     * again, as Linux's e1000_reset_task: with the pass, the transmitters and the doorbell held off, the units are
     * stopped and the controller reset and set up on the same rings ({@link E1000Init#resetAndInit}). The frames the
     * device had not sent are dropped and counted, and so are frames received but not yet taken. Gives up this look,
     * to try at the next, if the doorbell stays held (its holder may be waiting for the TX lock, after a surprise
     * removal).
     *
     * @param linkDown the link was down at the look (else the unit hung)
     */
    private void resetController(int waiting, boolean linkDown) {
        int status = regs.get(STATUS);
        if (linkDown ? (status & STATUS_LU) != 0 : (status & STATUS_TXOFF) != 0) {
            return; // the link came back (the frames go now), or paused by the link partner's flow control
        }
        String registers = String.format("TDH %d, TDT %d, STATUS 0x%x", regs.get(TDH), regs.get(TDT), status);
        while (!polling.compareAndSet(false, true)) { // a pass in the interrupt handler ends soon
            if (!running) {
                return;
            }
            LockSupport.parkNanos(100_000);
        }
        boolean reset = false;
        try {
            txLock.lock();
            try {
                if (running && !gone && claimDoorbell()) {
                    try {
                        reset = resetLocked(waiting, linkDown, registers);
                    } finally {
                        doorbell.set(false);
                    }
                }
            } finally {
                txLock.unlock();
            }
        } finally {
            polling.set(false);
        }
        if (reset) {
            LOG.info("{}: controller reset after {}; {}", name, linkDown ? "the link went down with frames queued"
                    : "the transmit hang", linkDown ? "sending once the link is back" : "sending again");
            LockSupport.unpark(worker);
        }
    }

    /** The reset itself, with the pass, the TX lock and the doorbell held; true if the port runs again. */
    private boolean resetLocked(int waiting, boolean linkDown, String registers) {
        reclaim(); // what the device did send before it hung counts as sent
        int lost = tx.distance(txClean, txTail);
        int unread = 0; // received, not taken by a pass yet: the new ring starts empty
        for (int i = rxNext; unread < rx.size && (Descriptors.rxStatus(rx.desc, i) & RXD_STAT_DD) != 0;
                i = rx.next(i)) {
            unread++;
        }
        if (linkDown) {
            LOG.info("{}: link down with {} frames queued, which the controller would hold until it is back ({});"
                    + " resetting it to drop them", name, lost, registers);
        } else {
            LOG.warn("{}: transmit unit hung: {} descriptors waited {} ms and none was sent ({}); resetting the"
                    + " controller, the {} frames queued are dropped", name, waiting,
                    TimeUnit.NANOSECONDS.toMillis(TX_HANG_NANOS), registers, lost);
        }
        try {
            readStatistics(); // the reset clears them
            E1000Init.resetAndInit(regs, io, rx, tx, name);
            if (!running) { // close() began meanwhile and may have stopped the units before they restarted
                E1000Init.quiesceAndReset(regs, io);
                return false;
            }
        } catch (IOException e) {
            running = false; // the worker ends: nothing more is sent or received
            LOG.error("{}: the reset after a transmit hang failed ({}); the port no longer sends or receives:"
                    + " unbind and bind the device to try again", name, e.getMessage());
            return false;
        }
        txDropped += lost;
        rxDropped += unread;
        txClean = 0;
        txTail = 0;
        txUnflushed = 0;
        txPublished = 0;
        tdtWritten = 0;
        rxNext = 0;
        rxDiscarding = false;
        watchdogSeen = -1;
        if (linkDown) {
            linkDownResets++;
        } else {
            txHangResets++;
        }
        return true;
    }

    /** Claims the doorbell for a reset, waiting up to 100 ms for its holder, who only writes TDT. */
    private boolean claimDoorbell() {
        return claimDoorbell(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
    }

    /** Claims the doorbell, spinning until {@code deadline} (System.nanoTime) for its holder. */
    private boolean claimDoorbell(long deadline) {
        while (!doorbell.compareAndSet(false, true)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * Adds the MAC's error statistics (§13.7, 32-bit, clear on read; read at least every {@link #WATCHDOG_NANOS}, so
     * they cannot wrap) to the port's counters, as Linux's e1000_update_stats sums them: receive errors are the
     * frames the MAC dropped without a descriptor for a bad CRC, an alignment, PHY or carrier extension error, or a
     * length under 64 or over 1518 bytes (stored with ERRORS set only with RCTL.SBP, which this driver leaves clear);
     * missed frames (MPC, no free descriptor) are drops; excessive and late collisions are transmit errors.
     */
    private void readStatistics() {
        synchronized (statsLock) {
            macRxErrors += statistic(CRCERRS) + statistic(ALGNERRC) + statistic(RXERRC) + statistic(CEXTERR)
                    + statistic(RUC) + statistic(ROC);
            macRxMissed += statistic(MPC);
            macTxErrors += statistic(ECOL) + statistic(LATECOL);
        }
    }

    private long statistic(int offset) {
        return regs.get(offset) & 0xffffffffL;
    }

    /** Controller resets after a transmit hang. */
    long txHangResets() {
        return txHangResets;
    }

    /** Controller resets that dropped the frames it held while its link was down. */
    long linkDownResets() {
        return linkDownResets;
    }

    /** Passes the watchdog had to start (frames no interrupt announced). */
    long watchdogPasses() {
        return watchdogPasses;
    }

    /**
     * One pass, with the device's interrupts masked and {@link #polling} held: handles the causes, receives until the
     * ring is empty and reclaims sent descriptors, then unmasks them (IMS). Whatever the device did meanwhile is
     * latched in ICR and interrupts at once, so nothing is missed.
     */
    private void pass() {
        int c = causes.getAndSet(0);
        if (c == 0) {
            return;
        }
        passThread = Thread.currentThread();
        try {
            handle(c);
        } finally {
            passThread = null;
        }
    }

    private void handle(int c) {
        if ((c & INT_LSC) != 0) {
            updateLink(true);
        }
        if ((c & INT_RXO) != 0) {
            readStatistics(); // MPC: frames missed for want of a free descriptor
        }
        while (running && receiveBatch() == RX_BUDGET) {
            // a full batch: there may be more
        }
        reclaimWanted = true;
        reclaimIfWanted();
        if (running) {
            regs.set(IMS, E1000Init.INTERRUPTS);
        }
    }

    /** Handles up to {@link #RX_BUDGET} received descriptors and gives them back with one RDT write. */
    private int receiveBatch() {
        FrameReceiver r = receiver;
        ByteBuffer ring = rx.desc;
        int i = rxNext;
        int n = 0;
        deferTxFlush = true;
        try {
            for (; n < RX_BUDGET; n++) {
                int status = Descriptors.rxStatus(ring, i);
                if ((status & RXD_STAT_DD) == 0) {
                    break;
                }
                VarHandle.acquireFence(); // length, errors and the frame are read only after DD
                deliver(r, i, status, Descriptors.rxErrors(ring, i), Descriptors.rxLength(ring, i));
                Descriptors.resetRx(ring, i, rx.bufferAddress(i));
                i = rx.next(i);
            }
        } finally {
            // whatever the receiver threw, the descriptors reset so far are given back and the ring stays in step:
            // published only after the loop, an Error left rxNext on a reset descriptor and the port deaf for good
            deferTxFlush = false;
            if (n > 0) {
                rxNext = i;
                VarHandle.releaseFence(); // the reset descriptors reach memory before the device may reuse them
                regs.set(RDT, rx.previous(i)); // the device owns everything up to the one before rxNext
            }
        }
        if (txDeferred) {
            txDeferred = false;
            txLock.lock();
            releaseTx();
        }
        return n;
    }

    private void deliver(FrameReceiver r, int i, int status, int errors, int length) {
        boolean eop = (status & RXD_STAT_EOP) != 0;
        if (rxDiscarding) { // the rest of a frame already counted as an error
            rxDiscarding = !eop;
            return;
        }
        if (!eop || (errors & RXD_ERR_FRAME) != 0 || length < HEADER || length > Ring.BUFFER_SIZE) {
            // Marked bad by the device, longer than one buffer (not expected with RCTL.LPE off), or a length
            // no frame can have: not trusted, counted.
            rxErrors++;
            rxDiscarding = !eop;
            return;
        }
        if (r == null) {
            rxDropped++;
            return;
        }
        ByteBuffer frame = rxFrames[i];
        frame.clear().limit(length);
        frame.order(ByteOrder.BIG_ENDIAN);
        rxPackets++;
        rxBytes += length;
        try {
            r.receive(frame);
        } catch (RuntimeException | LinkageError | AssertionError e) { // a receiver's bug, or its bundle refreshed
            if (receiverFailures++ == 0) {
                LOG.warn("{}: the frame receiver threw; further failures are logged at debug", name, e);
            } else {
                LOG.debug("{}: the frame receiver threw", name, e);
            }
        }
    }

    /** Reads STATUS.LU; on a change records it, logs it and, if {@code notify}, tells the listener. */
    private void updateLink(boolean notify) {
        int status = regs.get(STATUS);
        boolean up = (status & STATUS_LU) != 0;
        if (up) {
            setCollisionDistance((status & STATUS_FD) != 0);
        }
        if (up == linkUp) {
            return;
        }
        linkUp = up;
        LOG.info("{}: link {}", name, up ? "up, " + speed(status) + " Mb/s, " + ((status & STATUS_FD) != 0
                ? "full" : "half") + " duplex" : "down");
        if (notify) {
            try {
                linkListener.linkChanged(up);
            } catch (RuntimeException e) {
                LOG.warn("{}: link listener failed", name, e);
            }
        }
    }

    /** TCTL.COLD as §14.5 asks for the duplex the link came up with. */
    private void setCollisionDistance(boolean fullDuplex) {
        int cold = (fullDuplex ? TCTL_COLD_FULL_DUPLEX : TCTL_COLD_HALF_DUPLEX) << TCTL_COLD_SHIFT;
        int tctl = regs.get(TCTL);
        if ((tctl & TCTL_COLD_MASK) != cold) {
            regs.set(TCTL, (tctl & ~TCTL_COLD_MASK) | cold);
        }
    }

    private static int speed(int status) {
        int code = (status & STATUS_SPEED_MASK) >>> STATUS_SPEED_SHIFT;
        return code == 0 ? 10 : code == 1 ? 100 : 1000;
    }

    // ---- stop --------------------------------------------------------------------------------------------

    /**
     * Stops the port: interrupts masked, receiver and transmitter off, a pause for DMA under way, the controller
     * reset (as Linux's e1000_down), handler detached, worker stopped, DMA memory freed. Never throws, and returns
     * within about {@code 2 * STOP_TIMEOUT_MILLIS} even if the device is gone or a receiver hangs. Idempotent. The
     * rings were freed right after the enable bits were cleared: a descriptor write-back or a frame under way could
     * land in freed memory.
     */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        // A receive pass under way and a thread writing TDT end before the reset, and none starts after: their RDT or
        // TDT write landed after CTRL.RST (the manual's 1 us of no access after it; the rings gone) and the model
        // counted it as a driver mistake. Bounded: a pass stuck in a receiver that never returns is given up on.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
        if (passThread != Thread.currentThread()) {
            while (!polling.compareAndSet(false, true) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(100_000);
            }
        }
        claimDoorbell(deadline);
        try {
            regs.set(IMC, INT_ALL);
            E1000Init.quiesceAndReset(regs, io);
        } catch (HandleRevokedException e) {
            LOG.debug("{}: device already gone while stopping", name);
        } catch (IOException e) {
            LOG.warn("{}: the controller did not reset while stopping ({}); its DMA memory is freed anyway, and"
                    + " the driver clears bus mastering after", name, e.getMessage());
        }
        try {
            irq.detach();
        } catch (RuntimeException e) {
            LOG.debug("{}: detaching the interrupt handler: {}", name, e.toString());
        }
        stopWorker();
        boolean locked = false;
        try {
            locked = txLock.tryLock(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS); // no transmit mid-copy
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            rx.close();
            tx.close();
        } finally {
            if (locked) {
                txLock.unlock();
            }
        }
    }

    private void stopWorker() {
        if (Thread.currentThread() == worker || !worker.isAlive()) {
            return;
        }
        LockSupport.unpark(worker);
        try {
            worker.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("{}: worker still busy after {} ms (a frame receiver that does not return?); freeing the "
                    + "port anyway", name, STOP_TIMEOUT_MILLIS);
        }
    }
}

package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.*;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.DriverComplaints;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.pci.ClassCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ahci} device: an Intel ICH9 AHCI HBA (8086:2922, class 01.06.01) following Serial ATA AHCI 1.3.1,
 * with a SATA disk on each port that has an image. ABAR is BAR 5 (4 KiB, memory): the generic host control
 * registers (§3.1) at 0, the ports' registers (§3.3) from 0x100, 0x80 bytes each; the names are in
 * {@link AhciRegs}.
 *
 * <p>Each port's {@link CommandEngine} sends one command FIS at a time, as AHCI 1.3.1 §5.3.2 does: non-queued
 * commands run one after another, while queued (NCQ) commands of all 32 slots may be in flight at once and complete
 * in any order. A command runs on the thread whose PxCI write transmitted it, once that write has left the bus
 * ({@link #afterWrite}), so a request costs no thread hand-off; commands whose completion a test delayed run on a
 * small pool of workers. The bus calls {@link #read32}, {@link #write32} and {@link #reset} one at a time; they
 * and the threads running commands meet under {@link #lock}. Commands move data without the lock and take it to
 * report.
 *
 * <p>INTx# is level-triggered (§3.1.2 GHC.IE, §3.1.3 IS): IS.IPS[x] is set while port x has a PxIS bit whose PxIE
 * bit is set, stays set until software writes 1 to it (and comes back at once if the port still has a cause), and
 * the pin is asserted while GHC.IE is set and IS is not zero.
 *
 * <p>Fault injection for tests: {@link #failNext}, {@link #hangNext}, {@link #delayCompletions},
 * {@link #surpriseRemove}, {@link #insert} and {@link #dropLink}.
 */
public final class AhciModel implements DeviceModel {
    private static final Logger LOG = LoggerFactory.getLogger(AhciModel.class);
    static final ModelIdentity IDENTITY = new ModelIdentity(0x8086, 0x2922, ClassCode.of(0x010601), 2, 0x1af4, 0x1100,
            1);
    static final int ABAR = 5;
    static final int ABAR_SIZE = 4096;
    static final int MAX_PORTS = 6;
    /** How long a reset waits for the workers to leave before it goes on regardless. */
    private static final long DRAIN_MILLIS = 10_000;

    /** Guards every register and the ports' state; workers wait on it and notify it when they leave. */
    final Object lock = new Object();
    private final DriverComplaints violations;
    private final ModelHost host;
    private final AhciPort[] ports;
    private final int cap;
    private final boolean ncq;
    private final boolean staggeredSpinUp;
    /** Commands transmitted and not yet run (guarded by lock): see {@link #submit}. */
    private final ArrayDeque<SlotCommand> ready = new ArrayDeque<>();
    /** Runs commands whose completion a test delayed. */
    private final ScheduledThreadPoolExecutor workers;
    /** Bugs of the model caught on workers (a RuntimeException): tests assert there are none. */
    final AtomicInteger modelFailures = new AtomicInteger();
    private int ghc;
    private int is;
    private boolean level;
    private boolean closed;

    /** {@code disks[i]} is port i's disk, or null; the model owns them from now on. */
    AhciModel(ModelHost host, AtaDisk[] disks, int workerThreads, boolean ncq, boolean staggeredSpinUp) {
        this.host = host;
        this.violations = new DriverComplaints(LOG, host.address() + " ahci");
        this.ncq = ncq;
        this.staggeredSpinUp = staggeredSpinUp;
        this.cap = CAP_S64A | (ncq ? CAP_SNCQ : 0) | (staggeredSpinUp ? CAP_SSS : 0) | CAP_SCLO
                | AhciPort.SPEED << CAP_ISS_SHIFT | CAP_SAM | CAP_PMD | 31 << CAP_NCS_SHIFT | (disks.length - 1);
        AtomicInteger count = new AtomicInteger();
        String name = "devrt-ahci-" + host.address() + "-";
        this.workers = new ScheduledThreadPoolExecutor(workerThreads, task -> {
            Thread t = new Thread(task, name + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        workers.setRemoveOnCancelPolicy(true);
        workers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.ports = new AhciPort[disks.length];
        synchronized (lock) {
            for (int i = 0; i < disks.length; i++) {
                ports[i] = new AhciPort(this, i, disks[i]);
            }
            ghc = GHC_AE;
        }
    }

    /** The factory, with the options. */
    public static ModelFactory factory() {
        return factory(model -> {
        });
    }

    /** The factory, for tests: {@code created} sees every model it makes, to inject faults into it. */
    public static ModelFactory factory(Consumer<AhciModel> created) {
        return new AhciFactory(created);
    }

    @Override
    public ModelIdentity identity() {
        return IDENTITY;
    }

    @Override
    public List<BarSpec> bars() {
        return List.of(BarSpec.memory32(ABAR, ABAR_SIZE));
    }

    @Override
    public int read32(int bar, int offset) {
        synchronized (lock) {
            if (offset >= PORT_BASE) {
                AhciPort port = port(offset);
                return port == null ? 0 : port.read(offset & (PORT_SIZE - 1));
            }
            return switch (offset) {
                case CAP -> cap;
                case GHC -> ghc;
                case IS -> is;
                case PI -> (1 << ports.length) - 1;
                case VS -> VS_1_3_1;
                case CAP2 -> biosBusyMillis == BIOS_ABSENT ? 0 : CAP2_BOH;
                case BOHC -> bohc();
                case CCC_CTL, CCC_PORTS, EM_LOC, EM_CTL -> 0;
                default -> {
                    LOG.debug("{}: read of reserved ABAR offset 0x{} reads 0", host.address(),
                            Integer.toHexString(offset));
                    yield 0;
                }
            };
        }
    }

    @Override
    public void write32(int bar, int offset, int value) {
        synchronized (lock) {
            if (offset >= PORT_BASE) {
                AhciPort port = port(offset);
                if (port != null) {
                    port.write(offset & (PORT_SIZE - 1), value);
                }
            } else if (offset == GHC) {
                writeGhc(value);
            } else if (offset == IS) {
                is &= ~value; // §3.1.3: RWC
            } else if (offset == BOHC && biosBusyMillis != BIOS_ABSENT) {
                writeBohc(value);
            } else {
                LOG.debug("{}: write of 0x{} to read-only or reserved ABAR offset 0x{} ignored", host.address(),
                        Integer.toHexString(value), Integer.toHexString(offset));
            }
            updateInterrupt();
        }
    }

    /** The port whose registers hold {@code offset}, or null above the implemented ports (reserved, logged). */
    private AhciPort port(int offset) {
        int index = (offset - PORT_BASE) / PORT_SIZE;
        if (index < ports.length) {
            return ports[index];
        }
        LOG.debug("{}: access to ABAR offset 0x{}, past the last port, ignored", host.address(),
                Integer.toHexString(offset));
        return null;
    }

    /** §3.1.2: HR resets the HBA and clears itself; IE is RW; AE reads 1 (CAP.SAM); MRSM reads 0. */
    private void writeGhc(int value) {
        if ((value & GHC_HR) != 0) {
            LOG.debug("{}: HBA reset (GHC.HR)", host.address());
            resetAll(true);
            return;
        }
        ghc = GHC_AE | (value & GHC_IE);
    }

    /** Called with the lock: sets IS for ports with a pending cause and drives INTx# from GHC.IE and IS. */
    void updateInterrupt() {
        for (AhciPort port : ports) {
            if (port.interruptPending()) {
                is |= 1 << port.index;
            }
        }
        boolean asserted = (ghc & GHC_IE) != 0 && is != 0;
        if (asserted != level) {
            level = asserted;
            host.setInterrupt(asserted);
        }
    }

    /**
     * Stops every port, waits for the workers to leave, and returns to power-on values; {@code hbaReset} keeps
     * PxCLB and PxFB (AHCI 1.3.1 §10.4.3: GHC.HR resets GHC, IS and the port registers but those).
     */
    private void resetAll(boolean hbaReset) {
        for (AhciPort port : ports) {
            port.quiesce();
        }
        ready.clear(); // all cut off
        drain();
        ghc = GHC_AE;
        is = 0;
        for (AhciPort port : ports) {
            port.powerOn(hbaReset);
        }
        level = false;
        host.setInterrupt(false);
    }

    /** Waits (releasing the lock) until no worker holds a slot; bounded, for a worker stuck in file I/O. */
    private void drain() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (anyBusy()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                LOG.error("{}: workers still busy after {} ms; resetting regardless", host.address(), DRAIN_MILLIS);
                return;
            }
            try {
                lock.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("{}: interrupted while waiting for the workers", host.address());
                return;
            }
        }
    }

    private boolean anyBusy() {
        for (AhciPort port : ports) {
            if (port.busy()) {
                return true;
            }
        }
        return false;
    }

    /** Power-on values everywhere, no worker left, INTx# low: the driver's handles were revoked. */
    @Override
    public void reset() {
        synchronized (lock) {
            resetAll(false);
        }
    }

    /** Unplugged: stops all work, then closes the images. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (AhciPort port : ports) {
                port.quiesce();
            }
            ready.clear();
            drain();
            level = false;
            host.setInterrupt(false);
        }
        workers.shutdown();
        for (AhciPort port : ports) {
            if (port.disk() != null) {
                port.disk().close();
            }
        }
    }

    /**
     * Called with the lock: runs {@code command} on the thread whose register write transmitted it, right after
     * that write ({@link #afterWrite}), or, when a test delays completions, on a worker after {@code delayMillis}.
     *
     * @return false once the model is closed: the command will never run
     */
    boolean submit(SlotCommand command, long delayMillis) {
        if (closed) {
            return false;
        }
        if (delayMillis == 0) {
            ready.add(command);
            return true;
        }
        try {
            workers.schedule(() -> {
                command.run();
                afterWrite(); // what its completion let the engine transmit
            }, delayMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Runs the commands the engines transmitted, one after another, on this thread and outside the lock, until none
     * is left; each one's completion may transmit the next. Commands a stop or reset cut off meanwhile are skipped.
     */
    @Override
    public void afterWrite() {
        while (true) {
            SlotCommand next;
            synchronized (lock) {
                next = ready.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    ModelHost host() {
        return host;
    }

    boolean ncq() {
        return ncq;
    }

    boolean staggeredSpinUp() {
        return staggeredSpinUp;
    }

    /** {@link #biosOwned}'s argument when the HBA has no BIOS/OS handoff (CAP2.BOH = 0): the default. */
    public static final long BIOS_ABSENT = Long.MIN_VALUE;
    /** {@link #biosOwned}'s argument for a broken BIOS that never answers the OS's request (no BB, BOS stays). */
    public static final long BIOS_NEVER_LETS_GO = -1;
    /** The emulated BIOS: {@link #BIOS_ABSENT}, or how long it stays busy when asked to let go; under the lock. */
    private long biosBusyMillis = BIOS_ABSENT;
    /** BOHC as the BIOS and the OS left it; under the lock. */
    private int bohc;
    /** When the busy BIOS lets go (System.nanoTime), once the OS has asked; under the lock. */
    private long biosLetsGoAt;
    private boolean biosLettingGo;

    /**
     * §10.6: the HBA offers BIOS/OS handoff (CAP2.BOH) and a BIOS owns it (BOHC.BOS) until the OS asks for it
     * (BOHC.OOS); the BIOS then lets go at once ({@code busyMillis} 0), or stays busy finishing its commands
     * (BOHC.BB) for {@code busyMillis} first, or never answers ({@link #BIOS_NEVER_LETS_GO}). BOS and BB are the
     * BIOS's alone: the OS's writes of them are ignored. Neither semaphore is touched by GHC.HR.
     */
    public void biosOwned(long busyMillis) {
        synchronized (lock) {
            biosBusyMillis = busyMillis;
            bohc = busyMillis == BIOS_ABSENT ? 0 : BOHC_BOS;
            biosLettingGo = false;
        }
    }

    /** BOHC, after whatever the busy BIOS has finished by now. */
    private int bohc() {
        if (biosLettingGo && System.nanoTime() - biosLetsGoAt >= 0) {
            biosLettingGo = false;
            bohc &= ~(BOHC_BOS | BOHC_BB);
        }
        return bohc;
    }

    /** §3.1.11: OOS and SOOE are RW, OOC is RWC; OOS going from 0 to 1 sets OOC and asks the BIOS to let go. */
    private void writeBohc(int value) {
        int old = bohc();
        int next = old & (BOHC_BOS | BOHC_BB) | value & (BOHC_OOS | BOHC_SOOE) | old & BOHC_OOC & ~value;
        if ((old & BOHC_OOS) == 0 && (value & BOHC_OOS) != 0) {
            next |= BOHC_OOC;
            if ((next & BOHC_BOS) != 0 && biosBusyMillis == 0) {
                next &= ~BOHC_BOS;
            } else if ((next & BOHC_BOS) != 0 && biosBusyMillis > 0) {
                next |= BOHC_BB;
                biosLettingGo = true;
                biosLetsGoAt = System.nanoTime() + biosBusyMillis * 1_000_000;
            } // BIOS_NEVER_LETS_GO: the request goes unanswered
        }
        bohc = next;
    }

    /** Milliseconds a disk stays busy after its link comes up; guarded by the lock. */
    private long spinUpMillis;

    /**
     * Every disk stays busy (PxTFD.STS.BSY) for {@code millis} after its link comes up (power-on, COMRESET, a disk
     * connected) before it sends its signature, as a spinning disk does while its platters spin up; 0: at once.
     */
    public void spinUp(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("spin-up of " + millis + " ms");
        }
        synchronized (lock) {
            spinUpMillis = millis;
        }
    }

    long spinUpMillis() {
        return spinUpMillis;
    }

    /** Whether the HBA writes PRDBC back for non-queued commands; some do not (FreeBSD's AHCI_Q_NOCOUNT). */
    private volatile boolean writesPrdbc = true;

    /**
     * From now on PRDBC is left as the driver wrote it, for every command, as on HBAs whose byte count is unreliable
     * (Marvell 88SE6121/6141/6145: FreeBSD's AHCI_Q_NOCOUNT quirk).
     */
    public void leavePrdbc() {
        writesPrdbc = false;
    }

    boolean writesPrdbc() {
        return writesPrdbc;
    }

    /** Runs {@code task} under the lock after {@code millis}, then updates INTx#; nothing once the model is closed. */
    void later(Runnable task, long millis) {
        try {
            workers.schedule(() -> {
                synchronized (lock) {
                    if (!closed) {
                        task.run();
                        updateInterrupt();
                    }
                }
                afterWrite(); // what the task let the engines transmit
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    // Fault injection, for tests: each takes effect for commands issued from now on.

    /**
     * The next {@code commands} commands issued on {@code port} fail with ATA ABRT (PxIS.TFES): a non-queued one in
     * its D2H Register FIS, a queued one, after it was queued, in a Set Device Bits FIS that aborts the queue.
     */
    public void failNext(int port, int commands) {
        synchronized (lock) {
            checked(port).faults.failNext(commands);
        }
    }

    /**
     * The next {@code commands} commands issued on {@code port} never complete: the driver must time out. A
     * non-queued one keeps PxTFD.STS.BSY set; a queued one is accepted and its PxSACT bit stays set.
     */
    public void hangNext(int port, int commands) {
        synchronized (lock) {
            checked(port).faults.hangNext(commands);
        }
    }

    /**
     * The next {@code commands} commands issued on {@code port} end in an interface error before they reach the
     * disk (PxIS.IFS, PxSERR.E.P), as a CRC error on a marginal cable: the port stops, and a retry succeeds.
     */
    public void linkErrorNext(int port, int commands) {
        synchronized (lock) {
            checked(port).faults.linkErrorNext(commands);
        }
    }

    /**
     * The next {@code commands} commands issued on {@code port} meet an interface error the HBA recovers from
     * (PxIS.INFS, PxSERR.E.M, §3.3.5: it "was able to continue operation"): each completes as usual.
     */
    public void recoveredErrorNext(int port, int commands) {
        synchronized (lock) {
            checked(port).faults.recoveredErrorNext(commands);
        }
    }

    /**
     * Every command issued on {@code port} runs {@code millis} late (0: no delay): a non-queued one keeps the port
     * busy that long, a queued (NCQ) one is accepted at once and completes that late.
     */
    public void delayCompletions(int port, long millis) {
        synchronized (lock) {
            checked(port).faults.delay(millis);
        }
    }

    /**
     * Something the driver did that the specification forbids (a register written in a state that does not allow
     * it, ST before FRE, an NCQ command without its PxSACT bit): counted, so that the driver's tests fail on it,
     * and logged ({@link DriverComplaints}, the first few at WARN); the model goes on as silicon would (ignoring the
     * write, or running the command).
     */
    void violation(String what) {
        violations.complain(what);
    }

    /** How many times a driver broke the rules of AHCI on this HBA ({@link #violation}). */
    public long violations() {
        return violations.count();
    }

    /** The last of {@link #violations()}, or "". */
    public String lastViolation() {
        return violations.last();
    }

    /** Takes every injected fault of {@code port} away. */
    public void clearFaults(int port) {
        synchronized (lock) {
            checked(port).faults.clear();
        }
    }

    /** Surprise removal of the disk: the link drops (PxSERR.DIAG.N and X, so PxIS.PRCS and PCS). */
    public void surpriseRemove(int port) {
        synchronized (lock) {
            checked(port).surpriseRemove();
            updateInterrupt();
        }
    }

    /** The disk is plugged back in: the link comes up again (if the port is spun up and not in reset). */
    public void insert(int port) {
        synchronized (lock) {
            checked(port).insert();
            updateInterrupt();
        }
        afterWrite(); // the link came up: what PxCI holds is transmitted
    }

    /** The link drops with the disk still there (PxSSTS.DET 1, PxSERR.DIAG.N); a COMRESET brings it back. */
    public void dropLink(int port) {
        synchronized (lock) {
            checked(port).dropLink();
            updateInterrupt();
        }
    }

    private static final Map<String, String> ACTIONS = Map.of(
            "pull <port>", "pulls the disk out of the port: its link drops (PxSERR.DIAG.N and X), nothing it held"
                    + " completes",
            "connect <port>", "connects the port's disk again: the link comes up and the disk sends its signature");

    @Override
    public Map<String, String> actions() {
        return ACTIONS;
    }

    @Override
    public String state() {
        synchronized (lock) {
            List<String> pulled = new java.util.ArrayList<>();
            for (AhciPort p : ports) {
                if (p.disk() != null && !p.present()) {
                    pulled.add("port " + p.index + ": disk pulled out");
                }
            }
            return String.join(", ", pulled);
        }
    }

    @Override
    public String act(String action, List<String> args) {
        if (!action.equals("pull") && !action.equals("connect")) {
            throw new IllegalArgumentException("the ahci model has no action '" + action + "' (pull, connect)");
        }
        if (args.size() != 1) {
            throw new IllegalArgumentException(action + " takes one argument, the port (0.." + (ports.length - 1)
                    + ")");
        }
        int port;
        try {
            port = Integer.parseInt(args.get(0));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + args.get(0) + "' is not a number (0.." + (ports.length - 1)
                    + ")");
        }
        synchronized (lock) {
            AhciPort p = checked(port);
            if (p.disk() == null) {
                throw new IllegalArgumentException("port " + port + " has no disk (option disk" + port + ")");
            }
            if (p.present() == action.equals("connect")) {
                throw new IllegalArgumentException("the disk of port " + port + " is "
                        + (p.present() ? "connected" : "pulled out") + " already");
            }
        }
        if (action.equals("pull")) {
            surpriseRemove(port);
            return "pulled the disk out of port " + port;
        }
        insert(port);
        return "connected the disk of port " + port;
    }

    /** Sectors of the disk on {@code port}, 0 when none. */
    public long sectors(int port) {
        AtaDisk disk = checked(port).disk();
        return disk == null ? 0 : disk.sectors();
    }

    private AhciPort checked(int port) {
        if (port < 0 || port >= ports.length) {
            throw new IllegalArgumentException("port " + port + " is outside 0.." + (ports.length - 1));
        }
        return ports[port];
    }

    @Override
    public String toString() {
        synchronized (lock) {
            StringBuilder out = new StringBuilder(String.format("ahci %s: CAP 0x%08x GHC 0x%08x IS 0x%08x",
                    host.address(), cap, ghc, is));
            for (AhciPort port : ports) {
                out.append("\n  ").append(port);
            }
            return out.toString();
        }
    }
}

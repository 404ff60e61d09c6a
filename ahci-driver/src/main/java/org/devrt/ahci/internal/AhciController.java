package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.BOHC;
import static org.devrt.ahci.internal.Ahci.BOHC_BB;
import static org.devrt.ahci.internal.Ahci.BOHC_BOS;
import static org.devrt.ahci.internal.Ahci.BOHC_OOS;
import static org.devrt.ahci.internal.Ahci.BOHC_SOOE;
import static org.devrt.ahci.internal.Ahci.CAP;
import static org.devrt.ahci.internal.Ahci.CAP2;
import static org.devrt.ahci.internal.Ahci.CAP2_BOH;
import static org.devrt.ahci.internal.Ahci.CAP_NCS_MASK;
import static org.devrt.ahci.internal.Ahci.CAP_NCS_SHIFT;
import static org.devrt.ahci.internal.Ahci.CAP_S64A;
import static org.devrt.ahci.internal.Ahci.CAP_SNCQ;
import static org.devrt.ahci.internal.Ahci.CAP_SSS;
import static org.devrt.ahci.internal.Ahci.GHC;
import static org.devrt.ahci.internal.Ahci.GHC_AE;
import static org.devrt.ahci.internal.Ahci.GHC_HR;
import static org.devrt.ahci.internal.Ahci.GHC_IE;
import static org.devrt.ahci.internal.Ahci.IS;
import static org.devrt.ahci.internal.Ahci.PI;
import static org.devrt.ahci.internal.Ahci.PxCLB;
import static org.devrt.ahci.internal.Ahci.PxCLBU;
import static org.devrt.ahci.internal.Ahci.PxCMD;
import static org.devrt.ahci.internal.Ahci.PxCMD_CR;
import static org.devrt.ahci.internal.Ahci.PxCMD_FR;
import static org.devrt.ahci.internal.Ahci.PxCMD_FRE;
import static org.devrt.ahci.internal.Ahci.PxCMD_ST;
import static org.devrt.ahci.internal.Ahci.PxCMD_SUD;
import static org.devrt.ahci.internal.Ahci.PxFB;
import static org.devrt.ahci.internal.Ahci.PxFBU;
import static org.devrt.ahci.internal.Ahci.PxIE;
import static org.devrt.ahci.internal.Ahci.PxIE_ENABLED;
import static org.devrt.ahci.internal.Ahci.PxIS;
import static org.devrt.ahci.internal.Ahci.PxIS_PCS;
import static org.devrt.ahci.internal.Ahci.PxIS_PRCS;
import static org.devrt.ahci.internal.Ahci.PxSERR;
import static org.devrt.ahci.internal.Ahci.PxSIG;
import static org.devrt.ahci.internal.Ahci.PxSSTS;
import static org.devrt.ahci.internal.Ahci.PxSSTS_DET_ESTABLISHED;
import static org.devrt.ahci.internal.Ahci.PxSSTS_DET_MASK;
import static org.devrt.ahci.internal.Ahci.PxSSTS_DET_PRESENT;
import static org.devrt.ahci.internal.Ahci.PxTFD;
import static org.devrt.ahci.internal.Ahci.PxTFD_STS_BSY;
import static org.devrt.ahci.internal.Ahci.PxTFD_STS_DRQ;
import static org.devrt.ahci.internal.Ahci.SIG_ATA;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.devrt.hw.DeviceTimeoutException;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.hw.Registers;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AHCI HBA: its resources (ABAR, DMA memory, interrupt line), the bring-up of §10.1.2 as one flat sequence,
 * the interrupt handler that dispatches to the ports, hot plug of disks on its ports, and the release of everything
 * on detach.
 *
 * <p><b>Hot plug.</b> Every implemented port interrupts on PhyRdy and connect changes (PxIS.PRCS, PCS, which
 * follow PxSERR.DIAG.N and X: the handler clears those). A port-check thread then looks at PxSSTS.DET, giving the
 * link {@link #LINK_TIMEOUT} to come back (a recovery's own COMRESET drops it for a moment): a driven port whose link
 * stays down lost its disk, whose requests fail (DeviceGoneException) before its block device is withdrawn
 * ({@link DiskListener#removed}); a port without a disk whose link came up is started as at bring-up, IDENTIFY
 * asked, and its disk published ({@link DiskListener#added}). A port keeps its command slots (DMA memory) for the
 * next disk. As Linux's ahci, which takes PhyRdy changes to its error handler for a hot plug probe.
 */
final class AhciController {
    private static final Logger LOG = LoggerFactory.getLogger(AhciController.class);
    static final int ABAR = 5;
    /** §10.4.3: the HBA clears GHC.HR within 1 second. */
    static final Duration HBA_RESET_TIMEOUT = Duration.ofSeconds(1);
    /** §10.6.3: a BIOS that has not said it is busy (BOHC.BB) within 25 ms of the request can be taken over. */
    static final Duration BIOS_HANDOFF_TIMEOUT = Duration.ofMillis(25);
    /** §10.6.3: a busy BIOS gets at least 2 s to finish its outstanding commands. */
    static final Duration BIOS_BUSY_TIMEOUT = Duration.ofSeconds(2);
    /** A port whose device is present but whose link is not up yet (PxSSTS.DET = 1) gets this long. */
    static final Duration LINK_TIMEOUT = PortRecovery.LINK_TIMEOUT;
    /**
     * How long a disk whose link is up may stay busy (PxTFD.STS.BSY) before it is given up: a spinning disk spins up
     * first, and its first D2H Register FIS comes seconds after the link (Linux waits as long at boot).
     */
    static final Duration SPIN_UP_TIMEOUT = Duration.ofSeconds(30);
    /** Detach: how long request threads get to let go of their slots before the DMA memory is freed. */
    static final Duration SLOT_RELEASE_TIMEOUT = Duration.ofSeconds(1);
    /** Command list at offset 0 (1 KiB-aligned, §4.2.2) and received FIS at 1 KiB (256-aligned, §4.2.1) of a page. */
    static final int FIS_OFFSET = Ahci.COMMAND_LIST_SIZE;
    /** A slot's data buffer: four separately allocated 32 KiB segments, so one command moves up to 128 KiB. */
    static final int SEGMENT_SIZE = 32 << 10;
    static final int SEGMENTS = 4;
    /** Command tables: CFIS/ACMD (0x80 bytes), then one PRD per segment; rounded up to 128 bytes (§4.2.2 CTBA). */
    static final int TABLE_STRIDE = (Ahci.CT_PRDT + SEGMENTS * Ahci.PRD_SIZE + Ahci.CT_ALIGNMENT - 1)
            & -Ahci.CT_ALIGNMENT;

    final String name;
    private final Registers hba;
    private final RegisterIo abar;
    private final DmaMemory dma;
    private final InterruptLine irq;
    private volatile Duration timeout;
    private final List<DmaRegion> regions = new ArrayList<>();
    private final Registers[] portRegs = new Registers[Ahci.MAX_PORTS];
    /** Ports with a started ATA disk: set at bring-up and by the port-check thread, read by the interrupt handler. */
    private final AtomicReferenceArray<AhciPort> ports = new AtomicReferenceArray<>(Ahci.MAX_PORTS);
    /** Per port, made when a disk first starts on it and kept for the next: its lock, command list and slots. */
    private final ReentrantLock[] portLocks = new ReentrantLock[Ahci.MAX_PORTS];
    private final DmaRegion[] portLists = new DmaRegion[Ahci.MAX_PORTS];
    private final CommandSlot[][] portSlots = new CommandSlot[Ahci.MAX_PORTS][];
    /** Hot plug causes of PxIS: PhyRdy changed (PRCS, PxSERR.DIAG.N), device connect changed (PCS, DIAG.X). */
    static final int HOTPLUG = PxIS_PRCS | PxIS_PCS;
    /** PxSERR.DIAG.N (bit 16) and DIAG.X (bit 26): written 1 to clear, they clear PxIS.PRCS and PCS (§3.3.5). */
    static final int SERR_DIAG_N_X = 1 << 16 | 1 << 26;

    /** Told of disks that come and go on the ports after bring-up, on the port-check thread. */
    interface DiskListener {
        /** A disk connected to a port was started and identified. */
        void added(SataDisk disk);

        /** The disk on {@code port} was removed: its requests fail; its service should go. */
        void removed(int port);

        /** What could not be brought up after bring-up (a disk that never became ready), one line. */
        void problem(String problem);
    }

    private volatile DiskListener listener = new DiskListener() {
        @Override
        public void added(SataDisk disk) {
            LOG.info("{}: disk connected, but nobody publishes it", disk.port().name);
        }

        @Override
        public void removed(int port) {
        }

        @Override
        public void problem(String problem) {
            LOG.warn("{}: {}", name, problem);
        }
    };
    /** The port-check thread; null until bring-up attached the interrupt handler. */
    private volatile ExecutorService portChecks;
    /** Ports with a check queued and not begun: one check covers every change before it begins. */
    private final AtomicInteger checksQueued = new AtomicInteger();
    private volatile boolean hotPlugStopped;
    private int cap;
    /** Ports whose disk was still busy at bring-up, until the port-check thread has waited for them. */
    private volatile int spinningUp;
    /** {@link #SPIN_UP_TIMEOUT}, shorter in tests. */
    private Duration spinUpTimeout = SPIN_UP_TIMEOUT;
    /** What initialisation and IDENTIFY could not bring up, a line per port ("port 1: ..."), for the device manager. */
    private final List<String> problems = new ArrayList<>();
    private int implemented;
    private int slots;
    private boolean s64a;
    private boolean irqAttached;

    private AhciController(String name, RegisterIo abar, DmaMemory dma, InterruptLine irq, Duration timeout) {
        this.name = name;
        this.abar = abar;
        this.hba = new Registers(abar, Ahci.HBA_REGISTER_NAMES);
        this.dma = dma;
        this.irq = irq;
        this.timeout = timeout;
    }

    /**
     * Acquires the resources: ABAR (BAR 5) as registers, DMA memory, the interrupt line; turns on memory space,
     * bus mastering and INTx in the COMMAND register.
     */
    static AhciController acquire(PciFunction function, String name, Duration timeout) throws IOException {
        RegisterIo abar = function.bar(ABAR);
        DmaMemory dma = function.dmaMemory();
        InterruptLine irq = function.interruptLine();
        ConfigSpace config = function.config();
        int command = config.read16(ConfigSpace.COMMAND);
        config.write16(ConfigSpace.COMMAND, (command | ConfigSpace.COMMAND_MEMORY_SPACE
                | ConfigSpace.COMMAND_BUS_MASTER) & ~ConfigSpace.COMMAND_INTX_DISABLE);
        return new AhciController(name, abar, dma, irq, timeout);
    }

    /** The command time-out of every port from now on: what a changed configuration of the driver sets. */
    void commandTimeout(Duration timeout) {
        this.timeout = timeout;
        for (AhciPort port : started()) {
            port.commandTimeout(timeout);
        }
    }

    /** The ports with a started disk, now. */
    private List<AhciPort> started() {
        List<AhciPort> started = new ArrayList<>();
        for (int p = 0; p < Ahci.MAX_PORTS; p++) {
            AhciPort port = ports.get(p);
            if (port != null) {
                started.add(port);
            }
        }
        return started;
    }

    /** For tests: how long a busy disk is waited for (before {@link #initialise}). */
    void spinUpTimeout(Duration timeout) {
        spinUpTimeout = timeout;
    }

    /** Who hears of disks connected and removed after bring-up. */
    void listener(DiskListener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** AHCI 1.3.1 §10.1.2 (system software specific initialization), with the HBA reset of §10.4.3 first. */
    void initialise() throws IOException {
        takeFromBios();
        // §10.4.3 / §3.1.2: tell the HBA software is AHCI aware (GHC.AE) before resetting it.
        hba.setFlags(GHC, GHC_AE);
        resetHba();
        // §10.1.2 step 1: the reset cleared GHC.AE; set it again.
        hba.setFlags(GHC, GHC_AE);
        // §10.1.2 step 4 / §3.1.1: command slots per port (CAP.NCS, zero-based) and 64-bit addressing (CAP.S64A).
        cap = hba.get(CAP);
        slots = ((cap >>> CAP_NCS_SHIFT) & CAP_NCS_MASK) + 1;
        s64a = (cap & CAP_S64A) != 0;
        // §10.1.2 step 2: which ports are implemented (PI).
        implemented = hba.get(PI);
        LOG.debug("{}: CAP 0x{} PI 0x{}: {} slots, 64-bit {}", name, Integer.toHexString(cap),
                Integer.toHexString(implemented), slots, s64a);
        for (int bits = implemented; bits != 0; bits &= bits - 1) {
            initialisePort(Integer.numberOfTrailingZeros(bits));
        }
        // §10.1.2 step 7: IS is cleared after every PxIS, then GHC.IE turns interrupts on.
        hba.set(IS, implemented);
        portChecks = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, name + " port checks");
            t.setDaemon(true);
            return t;
        });
        irq.attach(this::interrupt);
        irqAttached = true;
        hba.setFlags(GHC, GHC_IE);
        for (int bits = spinningUp; bits != 0; bits &= bits - 1) {
            queueCheck(Integer.numberOfTrailingZeros(bits)); // started as if connected, once ready
        }
    }

    /** §10.1.2 steps 3, 5, 6 and 7 for one port, and §10.3.1 to start it when an ATA disk is attached. */
    private void initialisePort(int p) throws IOException {
        Registers port = new Registers(new PortWindow(abar, p), Ahci.PORT_REGISTER_NAMES);
        portRegs[p] = port;
        // Step 3: the port must be idle: PxCMD.ST, CR, FRE and FR clear (500 ms each).
        stopEngines(port);
        // Step 5: command list (PxCLB, 1 KiB-aligned) and received FIS area (PxFB, 256-byte aligned).
        DmaRegion lists = allocate(DmaMemory.PAGE_SIZE);
        portLists[p] = lists;
        long clb = lists.physicalAddress();
        port.set(PxCLB, (int) clb);
        port.set(PxFB, (int) (clb + FIS_OFFSET));
        if (s64a) {
            port.set(PxCLBU, (int) (clb >>> 32));
            port.set(PxFBU, (int) ((clb + FIS_OFFSET) >>> 32));
        }
        // Step 6: clear PxSERR (write ones to every bit), then PxIS.
        port.set(PxSERR, -1);
        port.set(PxIS, -1);
        // §10.1.1: with staggered spin-up (CAP.SSS) the port waits for PxCMD.SUD before it talks to the device.
        if ((cap & CAP_SSS) != 0) {
            port.setFlags(PxCMD, PxCMD_SUD);
        }
        // Step 5 (end): FIS receive on (PxCMD.FRE).
        port.setFlags(PxCMD, PxCMD_FRE);
        // §10.3.1: a device is there when PxSSTS.DET = 3 (present, Phy communication established).
        int det = port.get(PxSSTS) & PxSSTS_DET_MASK;
        if (det == PxSSTS_DET_PRESENT) {
            det = waitQuietly(port, PxSSTS, PxSSTS_DET_MASK, PxSSTS_DET_ESTABLISHED, LINK_TIMEOUT) & PxSSTS_DET_MASK;
        }
        if (det != PxSSTS_DET_ESTABLISHED) {
            LOG.debug("{} port {}: no device (PxSSTS.DET {})", name, p, det);
        } else if (waitQuietly(port, PxTFD, PxTFD_STS_BSY | PxTFD_STS_DRQ, 0, PortRecovery.READY_TIMEOUT) == -1) {
            // §10.3.1: not ready until its first D2H Register FIS clears BSY; a spinning disk takes seconds
            LOG.info("{} port {}: the device is still busy after {} ms (a disk spinning up?); it is started once ready,"
                    + " within {} s", name, p, PortRecovery.READY_TIMEOUT.toMillis(), spinUpTimeout.toSeconds());
            spinningUp |= 1 << p;
        } else {
            startPort(p);
        }
        // Step 7: interrupt causes of the port: hot plug always, command completion and errors with a disk.
        port.set(PxIE, ports.get(p) != null ? PxIE_ENABLED | HOTPLUG : HOTPLUG);
    }

    /**
     * §10.3.1 for a port whose link is up and whose device is ready (its first D2H Register FIS cleared PxTFD.STS.BSY
     * and DRQ): drives it only if it is an ATA disk (PxSIG), and starts the command engine (PxCMD.ST).
     *
     * @return the started port, or null
     */
    private AhciPort startPort(int p) throws IOException {
        Registers port = portRegs[p];
        // The link coming up set PxSERR.DIAG.X/N (and so PxIS.PCS/PRCS): clear them as in step 6.
        port.set(PxSERR, -1);
        port.set(PxIS, -1);
        // §3.3.9 PxSIG: only ATA disks (signature 0x00000101) are driven.
        int sig = port.get(PxSIG);
        if (sig != SIG_ATA) {
            LOG.info("{} port {}: {} (PxSIG 0x{}) is not driven", name, p, signature(sig), Integer.toHexString(sig));
            return null;
        }
        if (portSlots[p] == null) {
            portLocks[p] = new ReentrantLock();
            portSlots[p] = commandSlots(portLists[p], portLocks[p]);
        }
        AhciPort started = new AhciPort(p, name + " port " + p, port, hba, (cap & CAP_SNCQ) != 0, timeout,
                portLocks[p], portSlots[p]);
        ports.set(p, started);
        // §10.3.1: start the command engine (PxCMD.ST).
        port.setFlags(PxCMD, PxCMD_ST);
        return started;
    }

    /**
     * The slots of a port, over its command list: command tables in one region (128-byte aligned each), and the data
     * buffers in {@link #SEGMENTS} regions: segment s of every slot lies in region s, so the segments of one slot
     * are a region apart and a command's PRDT really scatters.
     */
    private CommandSlot[] commandSlots(DmaRegion lists, ReentrantLock lock) throws IOException {
        DmaRegion tables = allocate(slots * TABLE_STRIDE);
        DmaRegion[] data = new DmaRegion[SEGMENTS];
        for (int s = 0; s < SEGMENTS; s++) {
            data[s] = allocate(slots * SEGMENT_SIZE);
        }
        ByteBuffer list = lists.buffer();
        ByteBuffer table = tables.buffer();
        CommandSlot[] result = new CommandSlot[slots];
        for (int i = 0; i < slots; i++) {
            long[] address = new long[SEGMENTS];
            ByteBuffer[] view = new ByteBuffer[SEGMENTS];
            for (int s = 0; s < SEGMENTS; s++) {
                address[s] = data[s].physicalAddress() + (long) i * SEGMENT_SIZE;
                view[s] = data[s].buffer().slice(i * SEGMENT_SIZE, SEGMENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            }
            result[i] = new CommandSlot(i, list, table, i * TABLE_STRIDE,
                    tables.physicalAddress() + (long) i * TABLE_STRIDE, address, view, SEGMENT_SIZE,
                    lock.newCondition());
        }
        return result;
    }

    /**
     * The most one IDENTIFY DEVICE may take at attach, unless the command time-out is shorter. A device answers it
     * in milliseconds once ready (initialisation waited for PxTFD.BSY to clear): two attempts, a port recovery
     * between them and every port at once fit in the device manager's attach time-out (10 s by default). With the
     * command time-out (10 s) a disk that never answered cost more than that, and its whole controller was
     * quarantined instead of left without that disk.
     */
    static final long IDENTIFY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A port's IDENTIFY: the disk, or why there is none. */
    private record Probe(SataDisk disk, String problem) {
    }

    /**
     * IDENTIFY DEVICE on every started port, the ports side by side. A failure is retried once (the port was
     * recovered in between); a disk that still does not answer is left out with a warning, and is one of the
     * {@link #problems}.
     */
    List<SataDisk> identifyDisks() {
        List<AhciPort> started = started();
        Probe[] probes = new Probe[started.size()];
        List<Thread> others = new ArrayList<>();
        for (int i = 1; i < started.size(); i++) {
            int at = i;
            Thread t = new Thread(() -> probes[at] = probe(started.get(at)), started.get(at).name + " IDENTIFY");
            t.setDaemon(true);
            t.start();
            others.add(t);
        }
        if (!started.isEmpty()) {
            probes[0] = probe(started.get(0));
        }
        boolean interrupted = false;
        for (Thread t : others) {
            while (true) {
                try {
                    t.join(); // each probe ends within its time-outs
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<SataDisk> disks = new ArrayList<>();
        for (Probe probe : probes) {
            if (probe.disk() != null) {
                disks.add(probe.disk());
            } else {
                problems.add(probe.problem());
            }
        }
        return disks;
    }

    private Probe probe(AhciPort port) {
        IdentifyData id = null;
        String failure = "";
        for (int attempt = 1; id == null && attempt <= 2; attempt++) {
            try {
                id = identify(port, Math.min(port.timeoutNanos, IDENTIFY_TIMEOUT_NANOS));
            } catch (IOException e) {
                failure = String.valueOf(e.getMessage());
                LOG.warn("{}: IDENTIFY DEVICE failed (attempt {} of 2): {}", port.name, attempt, failure);
            }
        }
        if (id == null) {
            return new Probe(null, "port " + port.number + ": disk left out: " + summary(port, failure)
                    + " (twice; the log has the port's registers)");
        }
        LOG.info("{}: disk '{}' serial '{}' firmware '{}', {} sectors of {} bytes ({} MiB)", port.name, id.model(),
                id.serial(), id.firmware(), id.sectors(), id.sectorSize(), id.bytes() >> 20);
        port.readyTimeoutNanos = PortRecovery.RESET_READY_TIMEOUT.toNanos(); // in use: a recovery may wait longer
        return new Probe(new SataDisk(port, dma, id, port.slot(0).capacity(), s64a), null);
    }

    /** What initialisation and {@link #identifyDisks} could not bring up: one line per port, empty if nothing. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** A command's failure in one line, without the port's name and the register dump the log has. */
    private static String summary(AhciPort port, String failure) {
        int end = failure.indexOf('\n');
        String line = end < 0 ? failure : failure.substring(0, end).stripTrailing();
        line = line.startsWith(port.name + ": ") ? line.substring(port.name.length() + 2) : line;
        String dumpFollows = "; port registers:";
        return line.endsWith(dumpFollows) ? line.substring(0, line.length() - dumpFollows.length()) : line;
    }

    /** IDENTIFY DEVICE (ACS-3 §7.12): 512 bytes of PIO data-in, through one PRD. */
    static IdentifyData identify(AhciPort port) throws IOException {
        return identify(port, port.timeoutNanos);
    }

    private static IdentifyData identify(AhciPort port, long timeoutNanos) throws IOException {
        CommandSlot slot = port.acquire(true);
        try {
            slot.build(Ahci.ATA_CMD_IDENTIFY_DEVICE, 0, 0, 0, Ahci.ATA_IDENTIFY_BYTES, false);
            port.issue(slot, timeoutNanos);
            port.await(slot);
            ByteBuffer data = ByteBuffer.allocate(Ahci.ATA_IDENTIFY_BYTES);
            slot.copyOut(data, 0, Ahci.ATA_IDENTIFY_BYTES);
            return IdentifyData.parse(data);
        } finally {
            port.release(slot);
        }
    }

    /** The port with a started disk at {@code number}, or null. */
    AhciPort port(int number) {
        return ports.get(number);
    }

    /**
     * The interrupt handler (interrupt thread). Two tiers (§3.1.3 IS, §3.3.5 PxIS): each port with its bit set in
     * IS handles and clears its PxIS first, then the IS bits are cleared (write 1 to clear).
     */
    private void interrupt() {
        try {
            int is = hba.get(IS);
            if (is == 0 || is == -1) {
                return; // not ours (a shared line), or the device is gone
            }
            for (int bits = is & implemented; bits != 0; bits &= bits - 1) {
                int p = Integer.numberOfTrailingZeros(bits);
                Registers regs = portRegs[p];
                AhciPort port = ports.get(p);
                int status;
                if (port != null) {
                    status = port.interrupt();
                } else {
                    status = regs.get(PxIS);
                    regs.set(PxIS, status); // no disk driven: acknowledge
                }
                if ((status & HOTPLUG) != 0) {
                    regs.set(PxSERR, SERR_DIAG_N_X); // PRCS and PCS follow these bits: cleared, INTx# can drop
                    queueCheck(p);
                }
            }
            hba.set(IS, is);
        } catch (HandleRevokedException e) {
            LOG.debug("{}: interrupt after the device went away: {}", name, e.getMessage());
        }
    }

    /** Queues a look at port {@code p} on the port-check thread, unless one is queued already. */
    private void queueCheck(int p) {
        ExecutorService checks = portChecks;
        if (checks == null || hotPlugStopped || (checksQueued.getAndUpdate(q -> q | 1 << p) & 1 << p) != 0) {
            return;
        }
        try {
            checks.execute(() -> check(p));
        } catch (RejectedExecutionException e) {
            // stopping: the detach takes care of the port
        }
    }

    /**
     * The port-check thread, after a PhyRdy or connect change on port {@code p}: with the link down for
     * {@link #LINK_TIMEOUT} a driven port lost its disk; with the link up a port without one has a new one.
     */
    private void check(int p) {
        checksQueued.getAndUpdate(q -> q & ~(1 << p));
        Registers regs = portRegs[p];
        try {
            boolean linked = waitQuietly(regs, PxSSTS, PxSSTS_DET_MASK, PxSSTS_DET_ESTABLISHED, LINK_TIMEOUT) != -1;
            AhciPort port = ports.get(p);
            if (hotPlugStopped) {
                return;
            }
            if (port != null && !linked) {
                removed(port);
            } else if (port == null && linked) {
                connected(p);
            }
        } catch (HandleRevokedException e) {
            LOG.debug("{} port {}: the HBA went away during a port check: {}", name, p, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} port {}: port check after a PhyRdy change failed", name, p, e);
        }
    }

    /**
     * The disk on {@code port} went away (the link stayed down): the port is closed and its engine stopped, its
     * requests fail (DeviceGoneException), then its block device is withdrawn, and its slots are kept for the next
     * disk once every request thread let go of them (else they are dropped: a thread still holds one).
     */
    private void removed(AhciPort port) {
        int p = port.number;
        String why = "the disk was removed from port " + p;
        port.closing(why);
        boolean stopped = stoppedQuietly(port.regs);
        port.gone(why);
        listener.removed(p);
        port.stop();
        if (!port.awaitSlotsReleased(SLOT_RELEASE_TIMEOUT) || !stopped) {
            portSlots[p] = null; // not reused: a thread (or an engine that did not stop) may still touch them
        }
        ports.set(p, null);
        // PxSERR.DIAG is left as it is: a disk connected meanwhile interrupts as soon as hot plug is enabled again
        port.regs.set(PxIS, -1);
        port.regs.set(PxIE, HOTPLUG);
    }

    /**
     * A device's link came up on port {@code p}, which has no disk (connected, or spinning up since bring-up): once
     * it is ready (up to {@link #SPIN_UP_TIMEOUT}), started, identified and published.
     */
    private void connected(int p) throws IOException {
        Registers regs = portRegs[p];
        if ((spinningUp & 1 << p) == 0) {
            LOG.info("{} port {}: a device was connected", name, p);
        }
        regs.setFlags(PxCMD, PxCMD_FRE); // the device's signature arrives in a D2H Register FIS
        boolean ready = awaitReady(p);
        spinningUp &= ~(1 << p);
        if (!ready) {
            return;
        }
        AhciPort port = startPort(p);
        if (port == null) {
            return;
        }
        regs.set(PxIE, PxIE_ENABLED | HOTPLUG);
        Probe probe = probe(port);
        if (probe.disk() == null) {
            LOG.warn("{}: {}", name, probe.problem());
            removed(port);
            return;
        }
        listener.added(probe.disk());
    }

    /**
     * Waits (on the port-check thread) until the device on port {@code p} has cleared PxTFD.STS.BSY and DRQ, giving
     * up if its link goes down, hot plug stops, or {@link #SPIN_UP_TIMEOUT} passes (then it is a problem).
     */
    private boolean awaitReady(int p) {
        Registers regs = portRegs[p];
        long deadline = System.nanoTime() + spinUpTimeout.toNanos();
        while ((regs.get(PxTFD) & (PxTFD_STS_BSY | PxTFD_STS_DRQ)) != 0) {
            if (hotPlugStopped || (regs.get(PxSSTS) & PxSSTS_DET_MASK) != PxSSTS_DET_ESTABLISHED) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("{} port {}: device present but not ready (BSY or DRQ set); left alone:\n{}", name, p,
                        regs.dump());
                listener.problem("port " + p + ": a device is present but never became ready (PxTFD.STS BSY or DRQ"
                        + " stayed set for " + spinUpTimeout.toMillis() + " ms); left alone");
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    /** Stops the port checks (waiting for one under way): no port starts or goes from now on. Idempotent. */
    void stopHotPlug() {
        hotPlugStopped = true;
        ExecutorService checks = portChecks;
        if (checks == null) {
            return;
        }
        checks.shutdown();
        try {
            if (!checks.awaitTermination(LINK_TIMEOUT.toMillis() + PortRecovery.LONGEST.toMillis(),
                    TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: a port check still runs; detaching anyway", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * §10.6.3 BIOS/OS handoff, before the HBA reset, which would cut off commands a BIOS still has in flight: on an
     * HBA that offers it (CAP2.BOH), asks for ownership (BOHC.OOS) and waits for the BIOS to let go (BOS clear):
     * 25 ms, or, once the BIOS says it is busy finishing commands (BB), at least 2 s. A BIOS still holding on then
     * is overridden, as FreeBSD's ahci does: the reset follows, and the attach's problems say so.
     */
    private void takeFromBios() throws IOException {
        if ((hba.get(CAP2) & CAP2_BOH) == 0) {
            return;
        }
        int bohc = hba.get(BOHC);
        if ((bohc & BOHC_BOS) == 0) {
            hba.set(BOHC, bohc & BOHC_SOOE | BOHC_OOS); // claims the semaphore; nobody to wait for
            return;
        }
        hba.set(BOHC, bohc & BOHC_SOOE | BOHC_OOS);
        long start = System.nanoTime();
        boolean busySeen = false;
        while (true) {
            bohc = hba.get(BOHC);
            busySeen |= (bohc & BOHC_BB) != 0;
            long waited = System.nanoTime() - start;
            if ((bohc & (BOHC_BOS | BOHC_BB)) == 0) {
                LOG.info("{}: the BIOS handed the HBA over after {} ms{}", name, TimeUnit.NANOSECONDS.toMillis(waited),
                        busySeen ? " (it was busy finishing commands)" : "");
                return;
            }
            if (waited >= (busySeen ? BIOS_BUSY_TIMEOUT : BIOS_HANDOFF_TIMEOUT).toNanos()) {
                String problem = String.format("the BIOS did not hand the HBA over within %d ms (BOHC 0x%x: %s); the"
                        + " HBA was taken anyway", TimeUnit.NANOSECONDS.toMillis(waited), bohc,
                        (bohc & BOHC_BB) != 0 ? "still busy" : "still owned");
                LOG.warn("{}: {}", name, problem);
                problems.add(problem);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** §10.4.3 HBA reset: set GHC.HR; the HBA clears it when the reset is done, within 1 s. */
    private void resetHba() throws IOException {
        hba.setFlags(GHC, GHC_HR);
        hba.waitClear(GHC, GHC_HR, HBA_RESET_TIMEOUT);
    }

    /**
     * Detach after the services are gone: closes every port to new commands and rings, stops its DMA (PxCMD.ST
     * cleared and CR waited for, §10.1.2; the HBA reset if a port does not stop), then fails what is in flight
     * (DeviceGoneException), waits for recoveries (which stop their port again), masks interrupts, detaches the
     * handler, frees DMA memory. Never throws. The requests are failed only once DMA has stopped: failed first, a
     * request let go of its mapped buffer while the HBA could still write it.
     */
    void detach(String why) {
        stopHotPlug();
        List<AhciPort> started = started();
        for (AhciPort port : started) {
            port.closing(why);
        }
        boolean stopped = true;
        for (Registers port : portRegs) {
            if (port != null) {
                stopped &= stoppedQuietly(port);
            }
        }
        if (!stopped) { // a port whose engine would not stop: the HBA reset stops all of them (§10.4.3)
            quietly(this::resetHba);
        }
        for (AhciPort port : started) {
            port.gone(why);
        }
        for (AhciPort port : started) {
            port.stop();
        }
        quietly(() -> hba.clearFlags(GHC, GHC_IE));
        if (irqAttached) {
            irq.detach();
        }
        for (AhciPort port : started) {
            port.awaitSlotsReleased(SLOT_RELEASE_TIMEOUT);
        }
        regions.forEach(DmaRegion::close);
        regions.clear();
    }

    /**
     * §10.1.2 step 3, a port to idle: clear PxCMD.ST and wait for PxCMD.CR to clear, then clear PxCMD.FRE and wait
     * for PxCMD.FR to clear, each within 500 ms.
     */
    static void stopEngines(Registers port) throws DeviceTimeoutException {
        if ((port.get(PxCMD) & (PxCMD_ST | PxCMD_CR)) != 0) {
            port.clearFlags(PxCMD, PxCMD_ST);
            port.waitClear(PxCMD, PxCMD_CR, AhciPort.STOP_TIMEOUT);
        }
        if ((port.get(PxCMD) & (PxCMD_FRE | PxCMD_FR)) != 0) {
            port.clearFlags(PxCMD, PxCMD_FRE);
            port.waitClear(PxCMD, PxCMD_FR, AhciPort.STOP_TIMEOUT);
        }
    }

    /** Stops the port's engines; false if one did not stop in time (a device gone counts as stopped). */
    private boolean stoppedQuietly(Registers port) {
        try {
            port.set(PxIE, 0);
            stopEngines(port);
            return true;
        } catch (DeviceTimeoutException e) {
            LOG.warn("{}: a port did not stop while detaching: {}", name, e.getMessage());
            return false;
        } catch (IOException | HandleRevokedException e) {
            LOG.debug("{}: while detaching: {}", name, e.getMessage());
            return true;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void quietly(Step step) {
        try {
            step.run();
        } catch (IOException | HandleRevokedException e) {
            LOG.debug("{}: while detaching: {}", name, e.getMessage());
        }
    }

    private DmaRegion allocate(int size) throws IOException {
        DmaRegion region = dma.allocate(size);
        regions.add(region);
        long end = region.physicalAddress() + size - 1;
        if (!s64a && (end >>> 32) != 0) {
            throw new IOException(String.format("%s cannot address DMA memory above 4 GiB (CAP.S64A is 0) but the "
                    + "DMA memory lies at 0x%x", name, region.physicalAddress()));
        }
        return region;
    }

    private static int waitQuietly(Registers regs, int offset, int mask, int expected, Duration timeout) {
        try {
            return regs.waitMasked(offset, mask, expected, timeout);
        } catch (DeviceTimeoutException e) {
            return -1;
        }
    }

    private static String signature(int sig) {
        return switch (sig) {
            case Ahci.SIG_ATAPI -> "an ATAPI device";
            case Ahci.SIG_SEMB -> "an enclosure management bridge";
            case Ahci.SIG_PM -> "a port multiplier";
            default -> "an unknown device";
        };
    }
}

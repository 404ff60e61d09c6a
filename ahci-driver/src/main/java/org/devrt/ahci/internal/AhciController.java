package org.devrt.ahci.internal;

import static org.devrt.ahci.internal.Ahci.CAP;
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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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
 * the interrupt handler that dispatches to the ports, and the release of everything on detach.
 */
final class AhciController {
    private static final Logger LOG = LoggerFactory.getLogger(AhciController.class);
    static final int ABAR = 5;
    /** §10.4.3: the HBA clears GHC.HR within 1 second. */
    static final Duration HBA_RESET_TIMEOUT = Duration.ofSeconds(1);
    /** A port whose device is present but whose link is not up yet (PxSSTS.DET = 1) gets this long. */
    static final Duration LINK_TIMEOUT = PortRecovery.LINK_TIMEOUT;
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
    /** Ports with a started ATA disk; written before the interrupt handler is attached, read-only afterwards. */
    private final AhciPort[] ports = new AhciPort[Ahci.MAX_PORTS];
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
        for (AhciPort port : ports) {
            if (port != null) {
                port.commandTimeout(timeout);
            }
        }
    }

    /** AHCI 1.3.1 §10.1.2 (system software specific initialization), with the HBA reset of §10.4.3 first. */
    void initialise() throws IOException {
        // §10.4.3 / §3.1.2: tell the HBA software is AHCI aware (GHC.AE) before resetting it.
        hba.setFlags(GHC, GHC_AE);
        resetHba();
        // §10.1.2 step 1: the reset cleared GHC.AE; set it again.
        hba.setFlags(GHC, GHC_AE);
        // §10.1.2 step 4 / §3.1.1: command slots per port (CAP.NCS, zero-based) and 64-bit addressing (CAP.S64A).
        int cap = hba.get(CAP);
        slots = ((cap >>> CAP_NCS_SHIFT) & CAP_NCS_MASK) + 1;
        s64a = (cap & CAP_S64A) != 0;
        // §10.1.2 step 2: which ports are implemented (PI).
        implemented = hba.get(PI);
        LOG.debug("{}: CAP 0x{} PI 0x{}: {} slots, 64-bit {}", name, Integer.toHexString(cap),
                Integer.toHexString(implemented), slots, s64a);
        for (int bits = implemented; bits != 0; bits &= bits - 1) {
            initialisePort(Integer.numberOfTrailingZeros(bits), cap);
        }
        // §10.1.2 step 7: IS is cleared after every PxIS, then GHC.IE turns interrupts on.
        hba.set(IS, implemented);
        irq.attach(this::interrupt);
        irqAttached = true;
        hba.setFlags(GHC, GHC_IE);
    }

    /** §10.1.2 steps 3, 5, 6 and 7 for one port, and §10.3.1 to start it when an ATA disk is attached. */
    private void initialisePort(int p, int cap) throws IOException {
        Registers port = new Registers(new PortWindow(abar, p), Ahci.PORT_REGISTER_NAMES);
        portRegs[p] = port;
        // Step 3: the port must be idle: PxCMD.ST, CR, FRE and FR clear (500 ms each).
        stopEngines(port);
        // Step 5: command list (PxCLB, 1 KiB-aligned) and received FIS area (PxFB, 256-byte aligned).
        DmaRegion lists = allocate(DmaMemory.PAGE_SIZE);
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
            return;
        }
        // §10.3.1: the device is ready once its first D2H Register FIS has cleared PxTFD.STS.BSY and DRQ.
        if (waitQuietly(port, PxTFD, PxTFD_STS_BSY | PxTFD_STS_DRQ, 0, PortRecovery.READY_TIMEOUT) == -1) {
            LOG.warn("{} port {}: device present but not ready (BSY or DRQ set); left alone:\n{}", name, p,
                    port.dump());
            problems.add("port " + p + ": a device is present but never became ready (PxTFD.STS BSY or DRQ stayed"
                    + " set for " + PortRecovery.READY_TIMEOUT.toMillis() + " ms); left alone");
            return;
        }
        // The link coming up set PxSERR.DIAG.X/N (and so PxIS.PCS/PRCS): clear them as in step 6.
        port.set(PxSERR, -1);
        port.set(PxIS, -1);
        // §3.3.9 PxSIG: only ATA disks (signature 0x00000101) are driven.
        int sig = port.get(PxSIG);
        if (sig != SIG_ATA) {
            LOG.info("{} port {}: {} (PxSIG 0x{}) is not driven", name, p, signature(sig), Integer.toHexString(sig));
            return;
        }
        ReentrantLock lock = new ReentrantLock();
        ports[p] = new AhciPort(p, name + " port " + p, port, hba, (cap & CAP_SNCQ) != 0, timeout, lock,
                commandSlots(lists, lock));
        // §10.3.1: start the command engine (PxCMD.ST).
        port.setFlags(PxCMD, PxCMD_ST);
        // Step 7: interrupt causes of the port: command completion and errors.
        port.set(PxIE, PxIE_ENABLED);
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
        List<AhciPort> started = Arrays.stream(ports).filter(Objects::nonNull).toList();
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
        return ports[number];
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
                if (ports[p] != null) {
                    ports[p].interrupt();
                } else {
                    portRegs[p].set(PxIS, portRegs[p].get(PxIS)); // a port we do not drive: acknowledge only
                }
            }
            hba.set(IS, is);
        } catch (HandleRevokedException e) {
            LOG.debug("{}: interrupt after the device went away: {}", name, e.getMessage());
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
        for (AhciPort port : ports) {
            if (port != null) {
                port.closing(why);
            }
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
        for (AhciPort port : ports) {
            if (port != null) {
                port.gone(why);
            }
        }
        for (AhciPort port : ports) {
            if (port != null) {
                port.stop();
            }
        }
        quietly(() -> hba.clearFlags(GHC, GHC_IE));
        if (irqAttached) {
            irq.detach();
        }
        for (AhciPort port : ports) {
            if (port != null) {
                port.awaitSlotsReleased(SLOT_RELEASE_TIMEOUT);
            }
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

package org.devrt.emulator.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.pci.BarInfo;
import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciAddress;

/**
 * A type-0 configuration header (PCI Local Bus 3.0, section 6.1) with a Power Management capability (PCI Bus
 * Power Management 1.2, section 3.2).
 *
 * <p>Each byte has a value, a mask of the bits software may write and a mask of the bits a 1 clears (RW1C), as in
 * QEMU's {@code wmask}/{@code w1cmask}; everything not implemented reads 0 and ignores writes. A BAR's writable
 * mask is its address bits above the size, so size probing (write all ones, read back) falls out of the masks.
 * After an unplug every read returns all ones, as from an empty slot. Thread-safe.
 */
final class Type0Config implements ConfigSpace {
    static final int SIZE = 256;
    static final int CACHE_LINE_SIZE = 0x0c;
    static final int COMMAND_IO_SPACE = 1;
    static final int COMMAND_PARITY_ERROR_RESPONSE = 1 << 6;
    static final int COMMAND_SERR_ENABLE = 1 << 8;
    /** Status bit 3, Interrupt Status: the function's INTx# is asserted, whatever Interrupt Disable says. */
    static final int STATUS_INTERRUPT = 1 << 3;
    /** Status bit 13, Received Master Abort: a DMA of this function went to an address nobody claims. */
    static final int STATUS_RECEIVED_MASTER_ABORT = 1 << 13;
    /** Status bits 8, 11-15: error bits, write 1 to clear (section 6.2.3). */
    static final int STATUS_ERRORS = 0xf900;
    static final int PM_CAPABILITY = 0x40;
    static final int CAPABILITY_PM = 0x01;
    /** PMC: version 011b (PM 1.2), no D1/D2, no PME#. */
    static final int PM_PMC = 0x0003;
    /** PMCSR bit 3, No_Soft_Reset: D3hot to D0 keeps the function's state. */
    static final int PMCSR_NO_SOFT_RESET = 1 << 3;
    static final int PMCSR_POWER_STATE = 0x3;

    private final PciAddress address;
    private final List<BarSpec> bars;
    private final IntConsumer commandListener;
    private final byte[] bytes = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] clearable = new byte[SIZE];
    private boolean removed;
    /**
     * The Command register as {@link #command()} returns it, kept apart from {@link #bytes} because every register
     * access and every DMA access of the function reads it: a volatile read instead of this object's monitor, which
     * was a sixth of the e1000 frame path. Written under the monitor, whenever the Command bytes or the slot change.
     */
    private volatile int command;
    /** Status bit 3, Interrupt Status, folded into reads of Status: it follows INTx# at every change, lock-free. */
    private volatile boolean interruptStatus;

    /**
     * @param commandListener told the new Command value after each write that touches it
     */
    Type0Config(PciAddress address, ModelIdentity id, List<BarSpec> bars, IntConsumer commandListener) {
        this.address = address;
        this.bars = checked(address, bars);
        this.commandListener = commandListener;
        set(VENDOR_ID, 2, id.vendorId(), 0, 0);
        set(DEVICE_ID, 2, id.deviceId(), 0, 0);
        set(REVISION_ID, 1, id.revision(), 0, 0);
        set(CLASS_CODE, 3, id.classCode().value(), 0, 0);
        set(SUBSYSTEM_VENDOR_ID, 2, id.subsystemVendorId(), 0, 0);
        set(SUBSYSTEM_ID, 2, id.subsystemId(), 0, 0);
        set(INTERRUPT_PIN, 1, id.interruptPin(), 0, 0);
        set(INTERRUPT_LINE, 1, 0, 0xff, 0);
        set(CACHE_LINE_SIZE, 1, 0, 0xff, 0);
        set(COMMAND, 2, 0, commandMask(this.bars), 0);
        set(STATUS, 2, STATUS_CAPABILITIES_LIST, 0, STATUS_ERRORS);
        this.bars.forEach(this::defineBar);
        set(CAPABILITIES_POINTER, 1, PM_CAPABILITY, 0, 0);
        set(PM_CAPABILITY, 1, CAPABILITY_PM, 0, 0);
        set(PM_CAPABILITY + 2, 2, PM_PMC, 0, 0);
        set(PM_CAPABILITY + 4, 2, PMCSR_NO_SOFT_RESET, PMCSR_POWER_STATE, 0);
    }

    /** The BARs in index order; none may take a register another takes (a 64-bit BAR takes two). */
    private static List<BarSpec> checked(PciAddress address, List<BarSpec> bars) {
        boolean[] taken = new boolean[6];
        for (BarSpec bar : bars) {
            for (int register = bar.index(); register < bar.index() + bar.registers(); register++) {
                if (taken[register]) {
                    throw new IllegalArgumentException(
                            "BAR register " + register + " of " + address + " is declared by two BARs");
                }
                taken[register] = true;
            }
        }
        return bars.stream().sorted(Comparator.comparingInt(BarSpec::index)).toList();
    }

    private static int commandMask(List<BarSpec> bars) {
        int mask = COMMAND_BUS_MASTER | COMMAND_PARITY_ERROR_RESPONSE | COMMAND_SERR_ENABLE | COMMAND_INTX_DISABLE;
        for (BarSpec bar : bars) {
            mask |= bar.kind() == BarInfo.Kind.IO ? COMMAND_IO_SPACE : COMMAND_MEMORY_SPACE;
        }
        return mask;
    }

    /** Section 6.2.5.1: type bits read-only, address bits writable above the size. */
    private void defineBar(BarSpec bar) {
        int offset = BAR0 + 4 * bar.index();
        long addressBits = ~(bar.size() - 1);
        switch (bar.kind()) {
            case IO -> set(offset, 4, 0x1, (int) addressBits & ~0x3, 0);
            case MEMORY32 -> set(offset, 4, bar.prefetchable() ? 0x8 : 0, (int) addressBits & ~0xf, 0);
            case MEMORY64 -> {
                set(offset, 4, 0x4 | (bar.prefetchable() ? 0x8 : 0), (int) addressBits & ~0xf, 0);
                set(offset + 4, 4, 0, (int) (addressBits >>> 32), 0);
            }
        }
    }

    private void set(int offset, int width, int value, int writeMask, int clearMask) {
        for (int i = 0; i < width; i++) {
            bytes[offset + i] = (byte) (value >>> 8 * i);
            writable[offset + i] = (byte) (writeMask >>> 8 * i);
            clearable[offset + i] = (byte) (clearMask >>> 8 * i);
        }
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public int read8(int offset) {
        return read(offset, 1);
    }

    @Override
    public int read16(int offset) {
        return read(offset, 2);
    }

    @Override
    public int read32(int offset) {
        return read(offset, 4);
    }

    @Override
    public void write8(int offset, int value) {
        write(offset, 1, value);
    }

    @Override
    public void write16(int offset, int value) {
        write(offset, 2, value);
    }

    @Override
    public void write32(int offset, int value) {
        write(offset, 4, value);
    }

    private synchronized int read(int offset, int width) {
        check(offset, width);
        if (removed) {
            return width == 4 ? -1 : (1 << 8 * width) - 1;
        }
        return width == 4 ? raw32(offset) : raw32(offset) & ((1 << 8 * width) - 1);
    }

    private int raw32(int offset) {
        int value = 0;
        for (int i = 0; i < 4 && offset + i < SIZE; i++) {
            value |= (bytes[offset + i] & 0xff) << 8 * i;
        }
        if (offset <= STATUS && STATUS < offset + 4 && interruptStatus) {
            value |= STATUS_INTERRUPT << 8 * (STATUS - offset);
        }
        return value;
    }

    private void write(int offset, int width, int value) {
        int command;
        synchronized (this) {
            check(offset, width);
            if (removed) {
                return;
            }
            int oldPowerState = bytes[PM_CAPABILITY + 4] & PMCSR_POWER_STATE;
            for (int i = 0; i < width; i++) {
                int in = value >>> 8 * i;
                int at = offset + i;
                bytes[at] = (byte) (((bytes[at] & ~writable[at]) | (in & writable[at])) & ~(in & clearable[at]));
            }
            keepSupportedPowerState(oldPowerState);
            if (offset > COMMAND + 1 || offset + width <= COMMAND) {
                return;
            }
            command = this.command = raw32(COMMAND) & 0xffff;
        }
        commandListener.accept(command);
    }

    /** PM 1.2, section 3.2.4: a write of an unsupported state (D1, D2 here) completes, but the state stays. */
    private void keepSupportedPowerState(int oldState) {
        int state = bytes[PM_CAPABILITY + 4] & PMCSR_POWER_STATE;
        if (state == 1 || state == 2) {
            bytes[PM_CAPABILITY + 4] = (byte) (bytes[PM_CAPABILITY + 4] & ~PMCSR_POWER_STATE | oldState);
        }
    }

    private void check(int offset, int width) {
        if (offset < 0 || offset > SIZE - width) {
            throw new IllegalArgumentException(String.format(
                    "configuration access of %d bytes at 0x%x is outside the %d bytes of %s's type-0 header",
                    width, offset, SIZE, address));
        }
        if (offset % width != 0) {
            throw new IllegalArgumentException(String.format(
                    "configuration access of %d bytes at 0x%x of %s is not naturally aligned", width, offset, address));
        }
    }

    /** The Command register as it is now (0 after an unplug). */
    int command() {
        return command;
    }

    /** Sets or clears Status bit 3, Interrupt Status, which follows the function's INTx# level. */
    void setInterruptStatus(boolean asserted) {
        interruptStatus = asserted;
    }

    /** Sets Status error bits, as the hardware does when an error happens. */
    synchronized void signal(int statusBits) {
        bytes[STATUS] |= (byte) statusBits;
        bytes[STATUS + 1] |= (byte) (statusBits >>> 8);
    }

    /** Takes the function off the bus master role and unmasks INTx (their power-on values), as a driver leaves. */
    void quiesce() {
        int command;
        synchronized (this) {
            bytes[COMMAND] &= (byte) ~COMMAND_BUS_MASTER;
            bytes[COMMAND + 1] &= (byte) ~(COMMAND_INTX_DISABLE >>> 8);
            command = removed ? 0 : (this.command = raw32(COMMAND) & 0xffff);
        }
        commandListener.accept(command);
    }

    /** From now on the slot is empty: reads return all ones, writes are dropped. */
    synchronized void remove() {
        removed = true;
        command = 0;
    }

    /** The implemented BARs as declared, in index order. */
    List<BarSpec> barSpecs() {
        return bars;
    }

    /** The implemented BARs with the addresses now programmed. */
    synchronized List<BarInfo> bars() {
        List<BarInfo> out = new ArrayList<>();
        for (BarSpec bar : bars) {
            int offset = BAR0 + 4 * bar.index();
            long low = raw32(offset) & 0xffff_ffffL;
            long high = bar.registers() == 2 ? (raw32(offset + 4) & 0xffff_ffffL) << 32 : 0;
            long base = bar.kind() == BarInfo.Kind.IO ? low & ~0x3L : (low & ~0xfL) | high;
            out.add(new BarInfo(bar.index(), bar.kind(), base, bar.size(), bar.prefetchable()));
        }
        return out;
    }

    /** The capability ids, walking the list from Capabilities Pointer (section 6.7), in list order. */
    synchronized List<Integer> capabilityIds() {
        List<Integer> ids = new ArrayList<>();
        if (removed || (bytes[STATUS] & STATUS_CAPABILITIES_LIST) == 0) {
            return ids;
        }
        int at = bytes[CAPABILITIES_POINTER] & 0xfc;
        while (at >= 0x40 && ids.size() < 48) {
            ids.add(bytes[at] & 0xff);
            at = bytes[at + 1] & 0xfc;
        }
        return ids;
    }
}

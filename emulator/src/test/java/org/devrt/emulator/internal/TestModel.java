package org.devrt.emulator.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.pci.ClassCode;

/**
 * A tiny model for the bus's tests: a register file per BAR, where a write to offset {@link #CAUSE} of BAR 0 sets
 * the interrupt level (non-zero asserts) and a write to {@link #THROW} makes the model throw. It keeps its host so
 * that a test can do DMA as the device would.
 */
final class TestModel implements DeviceModel {
    static final int CAUSE = 0x0;
    static final int THROW = 0x4;
    static final ModelIdentity IDENTITY = new ModelIdentity(0x8086, 0x100e, ClassCode.of(0x020000), 3, 0x8086, 0x001e,
            1);

    final ModelHost host;
    final AtomicInteger resets = new AtomicInteger();
    volatile boolean closed;
    private final ModelIdentity identity;
    private final List<BarSpec> bars;
    private final int[][] registers = new int[6][];

    TestModel(ModelHost host, ModelIdentity identity, List<BarSpec> bars) {
        this.host = host;
        this.identity = identity;
        this.bars = bars;
        bars.forEach(b -> registers[b.index()] = new int[(int) b.size() / 4]);
    }

    /** A factory named {@code test} for models with {@code identity} and {@code bars}; {@link #last} is the newest. */
    static Factory factory(ModelIdentity identity, BarSpec... bars) {
        return new Factory(identity, List.of(bars));
    }

    static Factory factory() {
        return factory(IDENTITY, BarSpec.memory32(0, 4096), BarSpec.memory64(2, 0x4000), BarSpec.io(4, 32));
    }

    static final class Factory implements ModelFactory {
        private final ModelIdentity identity;
        private final List<BarSpec> bars;
        volatile TestModel last;

        Factory(ModelIdentity identity, List<BarSpec> bars) {
            this.identity = identity;
            this.bars = bars;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public String description() {
            return "a register file for tests";
        }

        @Override
        public Map<String, String> options() {
            return Map.of("colour", "ignored (default none)");
        }

        @Override
        public DeviceModel create(ModelOptions options, ModelHost host) {
            last = new TestModel(host, identity, bars);
            return last;
        }
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
        return registers[bar][offset / 4];
    }

    @Override
    public void write32(int bar, int offset, int value) {
        if (bar == 0 && offset == THROW) {
            throw new IllegalStateException("model bug on purpose");
        }
        registers[bar][offset / 4] = value;
        if (bar == 0 && offset == CAUSE) {
            host.setInterrupt(value != 0);
        }
    }

    /** Whether the thread running the last write's after-work saw itself interrupted (null: none ran yet). */
    volatile Boolean interruptedAfterWrite;

    @Override
    public void afterWrite() {
        interruptedAfterWrite = Thread.currentThread().isInterrupted();
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
        for (int[] file : registers) {
            if (file != null) {
                java.util.Arrays.fill(file, 0);
            }
        }
        host.setInterrupt(false);
    }

    @Override
    public void close() {
        closed = true;
    }
}

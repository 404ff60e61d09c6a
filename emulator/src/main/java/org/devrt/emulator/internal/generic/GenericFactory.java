package org.devrt.emulator.internal.generic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.devrt.emulator.internal.model.BarSpec;
import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelIdentity;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.pci.ClassCode;

/** Makes {@link GenericModel}s; every option has a default, so {@code plug 00:05.0 generic} works alone. */
final class GenericFactory implements ModelFactory {
    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("vendor", "Vendor ID (default 0x1b36)");
        OPTIONS.put("device", "Device ID (default 0x0005)");
        OPTIONS.put("class", "24-bit class code, class.subclass.prog-if (default 0xff0000)");
        OPTIONS.put("revision", "Revision ID (default 0)");
        OPTIONS.put("subsystem-vendor", "Subsystem Vendor ID (default 0x1af4)");
        OPTIONS.put("subsystem", "Subsystem ID (default 0x1100)");
        OPTIONS.put("pin", "Interrupt Pin, 0 none or 1-4 INTA#-INTD# (default 1)");
        OPTIONS.put("bar0size", "bytes of BAR 0, a power of two, 128 to 1M (default 4k)");
        OPTIONS.put("bar64", "whether BAR 0 is a 64-bit BAR (default false)");
        OPTIONS.put("bar2size", "bytes of the I/O BAR 2, a power of two, 4 to 256; 0 for none (default 0)");
    }

    @Override
    public String name() {
        return "generic";
    }

    @Override
    public String description() {
        return "test device: ids and BARs from options, register file, doorbell interrupt, DMA copy";
    }

    @Override
    public Map<String, String> options() {
        return OPTIONS;
    }

    @Override
    public DeviceModel create(ModelOptions options, ModelHost host) {
        ModelIdentity identity = new ModelIdentity(
                (int) options.number("vendor", 0x1b36, 0, 0xfffe),
                (int) options.number("device", 0x0005, 0, 0xffff),
                ClassCode.of((int) options.number("class", 0xff0000, 0, 0xff_ffff)),
                (int) options.number("revision", 0, 0, 0xff),
                (int) options.number("subsystem-vendor", 0x1af4, 0, 0xffff),
                (int) options.number("subsystem", 0x1100, 0, 0xffff),
                (int) options.number("pin", 1, 0, 4));
        return new GenericModel(host, identity, bars(options));
    }

    private static List<BarSpec> bars(ModelOptions options) {
        long bar0 = powerOfTwo(options, "bar0size", 4096, 128, 1 << 20);
        long bar2 = options.number("bar2size", 0, 0, 256);
        List<BarSpec> bars = new ArrayList<>();
        bars.add(options.flag("bar64", false) ? BarSpec.memory64(0, bar0) : BarSpec.memory32(0, bar0));
        if (bar2 != 0) {
            bars.add(BarSpec.io(2, powerOfTwo(options, "bar2size", 0, 4, 256)));
        }
        return bars;
    }

    private static long powerOfTwo(ModelOptions options, String key, long fallback, long min, long max) {
        long value = options.number(key, fallback, min, max);
        if (Long.bitCount(value) != 1) {
            throw options.invalid(key, "must be a power of two");
        }
        return value;
    }
}

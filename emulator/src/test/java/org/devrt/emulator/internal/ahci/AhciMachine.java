package org.devrt.emulator.internal.ahci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.devrt.emulator.internal.Machine;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciFunction;

/**
 * An emulated machine for the AHCI tests: 8 MiB of DMA memory at 4 GiB with ownership checked, the {@code ahci}
 * model (the one {@link #model} was last made), and a temporary folder for disk images. The machine's test
 * constructor is package-private to {@code org.devrt.emulator.internal}, so it is reached by reflection here.
 */
final class AhciMachine implements AutoCloseable {
    static final PciAddress SLOT = PciAddress.parse("00:1f.2");
    static final long BASE = 0x1_0000_0000L;
    static final int MEMORY = 8 << 20;

    final Machine machine;
    final Path folder;
    volatile AhciModel model;

    AhciMachine() {
        this(MEMORY);
    }

    AhciMachine(int memory) {
        try {
            folder = Files.createTempDirectory("devrt-ahci-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        machine = newMachine(memory, Map.of("ahci", new AhciFactory(m -> model = m)));
    }

    private static Machine newMachine(int size, Map<String, ModelFactory> models) {
        try {
            Class<?> memoryClass = Class.forName("org.devrt.emulator.internal.PhysicalMemory");
            Constructor<?> memory = memoryClass.getDeclaredConstructor(long.class, int.class, boolean.class);
            memory.setAccessible(true);
            Constructor<Machine> constructor = Machine.class.getDeclaredConstructor(memoryClass, Map.class);
            constructor.setAccessible(true);
            return constructor.newInstance(memory.newInstance(BASE, size, true), models);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the emulator's test constructors changed", e);
        }
    }

    /** Plugs an HBA at 00:1f.2 with {@code key=value} options; {@code disk0=@a} names an image in the folder. */
    PciFunction plug(String... options) {
        return plug(SLOT, options);
    }

    PciFunction plug(PciAddress address, String... options) {
        Map<String, String> map = new TreeMap<>();
        for (String option : options) {
            String[] kv = option.split("=", 2);
            map.put(kv[0], kv[1].startsWith("@") ? image(kv[1].substring(1)).toString() : kv[1]);
        }
        return machine.plug(address, "ahci", map);
    }

    Path image(String name) {
        return folder.resolve(name + ".img");
    }

    @Override
    public void close() throws IOException {
        try {
            Method close = Machine.class.getDeclaredMethod("close");
            close.setAccessible(true);
            close.invoke(machine);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the emulator's Machine.close() changed", e);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

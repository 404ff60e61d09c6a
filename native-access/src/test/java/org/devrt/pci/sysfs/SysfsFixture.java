package org.devrt.pci.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sysfs tree laid out as the kernel lays it out: {@code sys/devices/pci0000:00/<function>} directories,
 * {@code sys/bus/pci/devices/<function>} symbolic links to them, and {@code driver} links into
 * {@code sys/bus/pci/drivers}. Files hold what the kernel writes ({@code "0x8086\n"}).
 */
final class SysfsFixture {
    private final Path sys;

    SysfsFixture(Path base) {
        this.sys = base.resolve("sys");
        mkdirs(devicesRoot());
    }

    /** What {@code sysfsRoot} points at: {@code sys/bus/pci/devices}. */
    Path devicesRoot() {
        return sys.resolve("bus/pci/devices");
    }

    /** What lspci's {@code sysfs.path} points at: {@code sys/bus/pci}. */
    Path lspciSysfsPath() {
        return sys.resolve("bus/pci");
    }

    /** Creates the function's directory and its link under {@code bus/pci/devices}. */
    Function function(String address) {
        Path directory = sys.resolve("devices/pci0000:00").resolve(address);
        mkdirs(directory);
        try {
            Files.createSymbolicLink(devicesRoot().resolve(address),
                    Path.of("../../../devices/pci0000:00").resolve(address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Function(directory);
    }

    /**
     * Three well-formed functions, as root would see them except where noted:
     * <ul>
     * <li>{@code 0000:00:02.0} an 82540EM NIC, {@code config} cut at 64 bytes (what a non-root reader gets), its
     * capability pointer (0xdc) beyond them; BAR0 32-bit memory, BAR1 I/O; driver e1000.</li>
     * <li>{@code 0000:00:1f.2} an ICH9 AHCI controller, a 256-byte {@code config} with MSI (0x05 at 0x80) then SATA
     * (0x12 at 0xa8); BAR4 I/O, BAR5 32-bit memory; driver ahci.</li>
     * <li>{@code 0000:01:00.0} an NVMe controller, a 4096-byte {@code config}: power management, MSI-X, PCI Express,
     * then extended AER at 0x100 and Device Serial Number 00-11-22-33-44-55-66-77 at 0x148; BAR0 64-bit memory;
     * driver nvme.</li>
     * </ul>
     */
    SysfsFixture sampleMachine() {
        ConfigImage nic = new ConfigImage(256).header(0x8086, 0x100e, 0x020000, 0x03, 0x8086, 0x001e)
                .put16(0x04, 0x0007).put16(0x06, 0x0230).put32(0x10, 0xfebc0000).put32(0x14, 0xc001)
                .put8(0x34, 0xdc).put8(0x3c, 11).put8(0x3d, 1).capability(0xdc, 0x01, 0xe4).capability(0xe4, 0x07, 0);
        function("0000:00:02.0").ids(0x8086, 0x100e, 0x8086, 0x001e, 0x020000, 0x03).irq(11)
                .resource(new long[] {0xfebc0000L, 0xfebdffffL, 0x40200}, new long[] {0xc000, 0xc03f, 0x40101})
                .config(Arrays.copyOf(nic.bytes, 64)).driver("e1000");

        ConfigImage ahci = new ConfigImage(256).header(0x8086, 0x2922, 0x010601, 0x02, 0x1af4, 0x1100)
                .put16(0x04, 0x0507).put16(0x06, 0x0010).put32(0x20, 0xc041).put32(0x24, 0xfebd1000)
                .put8(0x34, 0x80).put8(0x3c, 10).put8(0x3d, 1).capability(0x80, 0x05, 0xa8).capability(0xa8, 0x12, 0);
        function("0000:00:1f.2").ids(0x8086, 0x2922, 0x1af4, 0x1100, 0x010601, 0x02).irq(29)
                .resource(null, null, null, null, new long[] {0xc040, 0xc05f, 0x40101},
                        new long[] {0xfebd1000L, 0xfebd1fffL, 0x40200})
                .config(ahci.bytes).driver("ahci");

        ConfigImage nvme = new ConfigImage(4096).header(0x144d, 0xa808, 0x010802, 0x00, 0x144d, 0xa801)
                .put16(0x04, 0x0406).put16(0x06, 0x0010).put32(0x10, 0xfe600004).put32(0x14, 0)
                .put8(0x34, 0x40).put8(0x3d, 1).capability(0x40, 0x01, 0x50).capability(0x50, 0x11, 0x70)
                .capability(0x70, 0x10, 0).extendedCapability(0x100, 0x0001, 0x148)
                .extendedCapability(0x148, 0x0003, 0).put32(0x14c, 0x44556677).put32(0x150, 0x00112233);
        function("0000:01:00.0").ids(0x144d, 0xa808, 0x144d, 0xa801, 0x010802, 0x00).irq(16)
                .resource(new long[] {0xfe600000L, 0xfe603fffL, 0x140204}).config(nvme.bytes).driver("nvme");
        return this;
    }

    /**
     * {@code 0000:00:1f.3}, a function whose files are broken in every way the reader must survive: {@code vendor}
     * garbled, {@code device}, {@code subsystem_*}, {@code revision} and {@code config} missing, {@code irq} not a
     * number, the first {@code resource} line cut short (the second is a good 256-byte memory BAR), and
     * {@code driver} a plain file instead of a link. Only {@code class} (0c0500, SMBus) is right.
     */
    SysfsFixture garbledFunction() {
        function("0000:00:1f.3").file("vendor", "0xzz12\n").file("class", "0x0c0500\n").file("irq", "abc\n")
                .file("resource", "0x00000000febd2000 0x00000000febd20ff\n"
                        + "0x00000000febd3000 0x00000000febd30ff 0x0000000000040200\n")
                .file("driver", "i801_smbus\n");
        return this;
    }

    /** Takes a function away as a hot unplug does: its link goes. */
    void unplug(String address) throws IOException {
        Files.delete(devicesRoot().resolve(address));
    }

    private static void mkdirs(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One function directory. */
    final class Function {
        final Path directory;

        Function(Path directory) {
            this.directory = directory;
        }

        /** vendor, device, subsystem_vendor, subsystem_device, class, revision as the kernel prints them. */
        Function ids(int vendor, int device, int subsystemVendor, int subsystem, int classCode, int revision) {
            file("vendor", String.format("0x%04x%n", vendor));
            file("device", String.format("0x%04x%n", device));
            file("subsystem_vendor", String.format("0x%04x%n", subsystemVendor));
            file("subsystem_device", String.format("0x%04x%n", subsystem));
            file("class", String.format("0x%06x%n", classCode));
            return file("revision", String.format("0x%02x%n", revision));
        }

        Function irq(int irq) {
            return file("irq", irq + "\n");
        }

        /** The 13 lines of a type-0 function's {@code resource} file; {@code bars} are "start end flags" triples. */
        Function resource(long[]... bars) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 13; i++) {
                long[] bar = i < bars.length && bars[i] != null ? bars[i] : new long[3];
                text.append(String.format("0x%016x 0x%016x 0x%016x%n", bar[0], bar[1], bar[2]));
            }
            return file("resource", text.toString());
        }

        Function config(byte[] bytes) {
            try {
                Files.write(directory.resolve("config"), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** A {@code driver} link as the kernel makes it, to {@code ../../../bus/pci/drivers/<name>}. */
        Function driver(String name) {
            mkdirs(sys.resolve("bus/pci/drivers").resolve(name));
            try {
                Files.createSymbolicLink(directory.resolve("driver"), Path.of("../../../bus/pci/drivers", name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Function file(String name, String content) {
            try {
                Files.writeString(directory.resolve(name), content, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Function delete(String name) {
            try {
                Files.deleteIfExists(directory.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    /** A configuration space image under construction, little-endian. */
    static final class ConfigImage {
        final byte[] bytes;

        ConfigImage(int size) {
            bytes = new byte[size];
        }

        ConfigImage put8(int offset, int value) {
            bytes[offset] = (byte) value;
            return this;
        }

        ConfigImage put16(int offset, int value) {
            return put8(offset, value).put8(offset + 1, value >>> 8);
        }

        ConfigImage put32(int offset, int value) {
            return put16(offset, value).put16(offset + 2, value >>> 16);
        }

        /** A type-0 header with the given ids. */
        ConfigImage header(int vendor, int device, int classCode, int revision, int subsystemVendor, int subsystem) {
            put16(0x00, vendor).put16(0x02, device).put8(0x08, revision).put8(0x09, classCode)
                    .put8(0x0a, classCode >>> 8).put8(0x0b, classCode >>> 16);
            return put16(0x2c, subsystemVendor).put16(0x2e, subsystem);
        }

        /** A standard capability at {@code offset}: id and next pointer. */
        ConfigImage capability(int offset, int id, int next) {
            return put8(offset, id).put8(offset + 1, next);
        }

        /** An extended capability header at {@code offset}: id, version 1, next pointer. */
        ConfigImage extendedCapability(int offset, int id, int next) {
            return put32(offset, next << 20 | 1 << 16 | id);
        }
    }
}

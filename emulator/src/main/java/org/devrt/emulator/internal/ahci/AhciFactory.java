package org.devrt.emulator.internal.ahci;

import static org.devrt.emulator.internal.ahci.AhciRegs.ATA_SECTOR;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.devrt.emulator.internal.model.DeviceModel;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.model.ModelHost;
import org.devrt.emulator.internal.model.ModelOptions;
import org.devrt.pci.PciAddress;

/**
 * Makes {@link AhciModel}s. Every option has a default: {@code plug 00:1f.2 ahci} is an HBA with six empty ports;
 * {@code disk0=var/disks/disk0.img} puts a disk on port 0. An image is created (sparse, with its folder) only when
 * {@code size0} asks for one: without it a missing image is refused, so a typo in the path names itself instead of
 * giving the machine a new blank disk.
 */
final class AhciFactory implements ModelFactory {
    static final String DEFAULT_MODEL = "DEVRT HARDDISK";
    static final String FIRMWARE = "1.0";
    private static final long MAX_SIZE = 1L << 48 << 9;
    private static final Map<String, String> OPTIONS;

    static {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("ports", "number of ports, 1-" + AhciModel.MAX_PORTS + " (default " + AhciModel.MAX_PORTS + ")");
        for (int i = 0; i < AhciModel.MAX_PORTS; i++) {
            options.put("disk" + i, "raw image of port " + i + "'s disk; must exist unless size" + i + " is given"
                    + " (default none)");
            options.put("size" + i, "creates a missing or empty disk" + i + " sparse at this many bytes, a multiple of"
                    + " 512, e.g. 64M; an existing image keeps its size (default none: the image must exist)");
            options.put("model" + i, "IDENTIFY model number, up to 40 characters (default " + DEFAULT_MODEL + ")");
            options.put("serial" + i, "IDENTIFY serial number, up to 20 characters (default from address and port)");
        }
        options.put("ncq", "native command queuing: CAP.SNCQ, READ/WRITE FPDMA QUEUED (default true)");
        options.put("gpl", "General Purpose Logging: READ LOG EXT, with the NCQ Command Error log a driver reads after"
                + " an NCQ error to learn which command failed (default true)");
        options.put("staggered-spin-up", "CAP.SSS: ports wait for PxCMD.SUD (default true)");
        options.put("prdbc", "whether the HBA writes the byte count (PRDBC) back for non-queued commands; false as on"
                + " HBAs whose count is unreliable, such as Marvell 88SE6121 (default true)");
        options.put("workers", "threads that run commands, 1-32 (default 4)");
        options.put("fail", "fault: the first N commands on each port abort (default 0)");
        options.put("hang", "fault: the first N commands on each port never complete (default 0)");
        options.put("link-errors", "fault: the first N commands on each port end in an interface (CRC) error"
                + " (default 0)");
        options.put("spin-up", "milliseconds a disk stays busy (PxTFD.STS.BSY) after its link comes up, before its"
                + " signature, as a spinning disk spins up (default 0)");
        options.put("delay", "fault: milliseconds each command runs late; an NCQ one once queued (default 0)");
        options.put("bios-owned", "BIOS/OS handoff (CAP2.BOH): a BIOS owns the HBA (BOHC.BOS) until the OS asks for"
                + " it: no (default: no handoff), yes (lets go at once), milliseconds it stays busy first (BOHC.BB),"
                + " or never (a broken BIOS that does not answer)");
        OPTIONS = Collections.unmodifiableMap(options);
    }

    private final Consumer<AhciModel> created;

    /** {@code created} sees every model made, for tests that inject faults. */
    AhciFactory(Consumer<AhciModel> created) {
        this.created = created;
    }

    @Override
    public String name() {
        return "ahci";
    }

    @Override
    public String description() {
        return "Intel ICH9 AHCI HBA (AHCI 1.3.1) with SATA disks on raw image files";
    }

    @Override
    public Map<String, String> options() {
        return OPTIONS;
    }

    @Override
    public DeviceModel create(ModelOptions options, ModelHost host) {
        int ports = (int) options.number("ports", AhciModel.MAX_PORTS, 1, AhciModel.MAX_PORTS);
        boolean ncq = options.flag("ncq", true);
        boolean logs = options.flag("gpl", true);
        int workers = (int) options.number("workers", 4, 1, 32);
        boolean staggered = options.flag("staggered-spin-up", true);
        boolean prdbc = options.flag("prdbc", true);
        int fail = (int) options.number("fail", 0, 0, Integer.MAX_VALUE);
        int hang = (int) options.number("hang", 0, 0, Integer.MAX_VALUE);
        int linkErrors = (int) options.number("link-errors", 0, 0, Integer.MAX_VALUE);
        long delay = options.number("delay", 0, 0, 60_000);
        long spinUp = options.number("spin-up", 0, 0, 120_000);
        long bios = biosOwned(options);
        // every option is checked before any image is opened: a bad model string of port 2 left the images of
        // ports 0 and 1 created, for a configuration that was refused
        DiskSpec[] specs = new DiskSpec[ports];
        for (int i = 0; i < AhciModel.MAX_PORTS; i++) {
            if (i >= ports) {
                checkNoDisk(options, i, ports);
            } else if (options.asMap().containsKey("disk" + i)) {
                specs[i] = spec(options, i, host.address());
            }
        }
        AtaDisk[] disks = new AtaDisk[ports];
        try {
            for (int i = 0; i < ports; i++) {
                if (specs[i] != null) {
                    disks[i] = open(options, specs[i], ncq, logs);
                }
            }
        } catch (RuntimeException e) {
            for (AtaDisk disk : disks) {
                if (disk != null) {
                    disk.discard();
                }
            }
            throw e;
        }
        AhciModel model = new AhciModel(host, disks, workers, ncq, staggered);
        for (int i = 0; i < ports; i++) {
            model.failNext(i, fail);
            model.hangNext(i, hang);
            model.linkErrorNext(i, linkErrors);
            model.delayCompletions(i, delay);
        }
        model.spinUp(spinUp);
        model.biosOwned(bios);
        if (!prdbc) {
            model.leavePrdbc();
        }
        created.accept(model);
        return model;
    }

    /** The bios-owned option: no (default), yes (0 ms busy), a number of milliseconds, or never. */
    private static long biosOwned(ModelOptions options) {
        String value = options.asMap().getOrDefault("bios-owned", "no").trim();
        return switch (value) {
            case "no", "false" -> AhciModel.BIOS_ABSENT;
            case "yes", "true" -> 0;
            case "never" -> AhciModel.BIOS_NEVER_LETS_GO;
            default -> {
                if (!value.matches("[0-9]{1,5}") || Long.parseLong(value) > 60_000) {
                    throw options.invalid("bios-owned", "want no, yes, never, or the milliseconds the BIOS stays"
                            + " busy before it lets go (0-60000)");
                }
                yield Long.parseLong(value);
            }
        };
    }

    private static void checkNoDisk(ModelOptions options, int port, int ports) {
        for (String key : new String[] {"disk", "size", "model", "serial"}) {
            if (options.asMap().containsKey(key + port)) {
                throw options.invalid(key + port, "port " + port + " is not implemented (ports=" + ports + ")");
            }
        }
    }

    /** A port's disk as its options give it, checked; {@code size} 0 when no image is to be created. */
    private record DiskSpec(int port, Path path, long size, IdentifyData.Strings strings) {
    }

    private static DiskSpec spec(ModelOptions options, int port, PciAddress address) {
        String key = "disk" + port;
        String file = options.string(key, "");
        if (file.isBlank()) { // Paths.get("") is the working folder: "is a directory"
            throw options.invalid(key, "no image path given (e.g. " + key + "=var/disks/" + key + ".img)");
        }
        Path path;
        try {
            path = Paths.get(file);
        } catch (RuntimeException e) {
            throw options.invalid(key, "not a file name: " + e.getMessage());
        }
        long size = options.number("size" + port, 0, ATA_SECTOR, MAX_SIZE);
        if (size % ATA_SECTOR != 0) {
            throw options.invalid("size" + port, "must be a multiple of " + ATA_SECTOR);
        }
        String serial = options.string("serial" + port,
                String.format("DEVRT-%02X%X-%d", address.device(), address.function(), port));
        IdentifyData.Strings strings;
        try {
            strings = new IdentifyData.Strings(serial, FIRMWARE, options.string("model" + port, DEFAULT_MODEL));
        } catch (IllegalArgumentException e) {
            String bad = e.getMessage().startsWith("serial") ? "serial" + port : "model" + port;
            throw options.invalid(bad, e.getMessage());
        }
        return new DiskSpec(port, path, size, strings);
    }

    private static AtaDisk open(ModelOptions options, DiskSpec spec, boolean ncq, boolean logs) {
        try {
            return AtaDisk.open(spec.path(), spec.size(), spec.strings(), ncq, logs);
        } catch (NoSuchFileException e) {
            throw options.invalid("disk" + spec.port(), "no such image: " + e.getFile() + " (with size" + spec.port()
                    + ", e.g. size" + spec.port() + "=64M, a new one is created)");
        } catch (IOException e) {
            throw options.invalid("disk" + spec.port(), "cannot open the image: " + e.getMessage());
        }
    }
}

package org.devrt.vfs.internal.mount;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.devrt.registry.condition.RefusedConfiguration;
import org.devrt.vfs.internal.fat.FatType;
import org.devrt.vfs.internal.partition.PartitionWriter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to make of a blank disk when it first appears: a factory configuration of PID {@code devrt.vfs.initialize}
 * (e.g. {@code conf/devrt.vfs.initialize-disk0.cfg}) names the disk by device id and gives the partition table and
 * the FAT volumes; {@link Disks} applies it to that disk only when its first 34 blocks are all zeros (no MBR, no
 * GPT, no filesystem), so a disk that holds anything is never touched. A bad configuration is one ERROR line
 * naming the file and the problem, and no disk is touched for it.
 */
@Component(service = DiskSetup.class, configurationPid = DiskSetup.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DiskSetup.Config.class, factory = true)
public final class DiskSetup {
    static final String PID = "devrt.vfs.initialize";
    private static final Logger LOG = LoggerFactory.getLogger(DiskSetup.class);

    @ObjectClassDefinition(name = "devrt blank disk set-up",
            description = "A partition table and FAT volumes that devrt makes on a disk whose first blocks are all"
                    + " zeros, when it appears (the default machine's new disk image, on first start).")
    @interface Config {
        @AttributeDefinition(name = "Device", description = "The disk's device id, as 'devices' shows it, e.g."
                + " emulated/0000:00:1f.2/port0")
        String device();

        @AttributeDefinition(name = "Scheme", required = false, description = "mbr or gpt")
        String scheme() default "mbr";

        @AttributeDefinition(name = "Partitions", required = false, description = "Comma-separated TYPE:SIZE[:LABEL],"
                + " TYPE FAT12, FAT16 or FAT32, SIZE in bytes with K, M or G, or * (the rest, last only);"
                + " e.g. FAT32:*:DEVRT")
        String partitions() default "FAT32:*";
    }

    /** One volume: its partition, the FAT type to format and the label. */
    record Volume(PartitionWriter.Spec partition, FatType type, String label) {
    }

    /** What to write; null when the configuration is bad. */
    record Plan(String device, boolean gpt, List<Volume> volumes) {
    }

    /** Where a refused configuration is said; a test replaces it. */
    Consumer<String> errors = LOG::error;

    private Plan plan;
    private String pid = "";
    private RefusedConfiguration refused;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        pid = String.valueOf(properties.get("service.pid"));
        try {
            plan = parse(properties);
        } catch (IllegalArgumentException e) {
            refused = new RefusedConfiguration(context, properties, e.getMessage() + "; no disk is set up for it");
            errors.accept(refused.line());
        }
    }

    @Deactivate
    void deactivate() {
        if (refused != null) {
            refused.withdraw();
        }
    }

    /** The configuration's PID. */
    String pid() {
        return pid;
    }

    /** The plan, or null if the configuration was refused. */
    Plan plan() {
        return plan;
    }

    static Plan parse(Map<String, Object> properties) {
        Object device = properties.get("device");
        if (device == null || device.toString().isBlank()) {
            throw new IllegalArgumentException("device is missing (the disk's device id, e.g."
                    + " emulated/0000:00:1f.2/port0)");
        }
        String scheme = String.valueOf(properties.getOrDefault("scheme", "mbr")).trim().toLowerCase(Locale.ROOT);
        if (!scheme.equals("mbr") && !scheme.equals("gpt")) {
            throw new IllegalArgumentException("scheme=" + scheme + ": want mbr or gpt");
        }
        List<Volume> volumes = new ArrayList<>();
        String text = String.valueOf(properties.getOrDefault("partitions", "FAT32:*"));
        for (String item : text.split(",")) {
            volumes.add(volume(item.trim()));
        }
        if (scheme.equals("mbr") && volumes.size() > 4) {
            throw new IllegalArgumentException("partitions: " + volumes.size() + " given, an MBR holds 4");
        }
        for (int i = 0; i < volumes.size() - 1; i++) {
            if (volumes.get(i).partition().bytes() == 0) {
                throw new IllegalArgumentException("partitions: only the last one may take the rest ('*')");
            }
        }
        return new Plan(device.toString().trim(), scheme.equals("gpt"), List.copyOf(volumes));
    }

    private static Volume volume(String item) {
        String[] f = item.split(":", -1);
        if (f.length < 2 || f.length > 3) {
            throw new IllegalArgumentException("partitions: '" + item + "' is not TYPE:SIZE[:LABEL]");
        }
        FatType type;
        try {
            type = FatType.valueOf(f[0].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("partitions: '" + f[0] + "' in '" + item + "' is not FAT12, FAT16 or"
                    + " FAT32");
        }
        long bytes = f[1].trim().equals("*") ? 0 : size(f[1].trim(), item);
        String label = f.length == 3 ? f[2].trim() : "";
        int mbrType = switch (type) {
            case FAT12 -> 0x01;
            case FAT16 -> 0x0E;
            case FAT32 -> 0x0C;
        };
        return new Volume(new PartitionWriter.Spec(bytes, mbrType, label), type, label);
    }

    private static long size(String text, String item) {
        long unit = switch (Character.toUpperCase(text.isEmpty() ? ' ' : text.charAt(text.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("partitions: size '" + text + "' in '" + item + "' is not a positive"
                    + " number of bytes with K, M or G, or *");
        }
    }
}

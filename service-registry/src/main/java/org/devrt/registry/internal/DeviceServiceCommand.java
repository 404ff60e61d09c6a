package org.devrt.registry.internal;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.DeviceServiceRecord;
import org.devrt.device.DeviceServiceRegistry;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code devrt:devsvc} shell command: which bundle serves which device with which service. */
@Component(service = Object.class,
        property = {"osgi.command.scope=devrt", "osgi.command.function=devsvc"})
public final class DeviceServiceCommand {
    static final String USAGE = """
            usage: devsvc [-t <type>] [-d <device>]
              lists the device services now registered, one per line
              -t <type>    only services of this device type (block, network, ...)
              -d <device>  only services of this device id
              -h, --help   this text
            """;

    @Reference
    DeviceServiceRegistry registry;

    @Descriptor("list device services: which driver bundle serves which device")
    public String devsvc(@Descriptor("[-t <type>] [-d <device>] [-h]") String... args) {
        return CommandOutput.of(devsvcText(Arguments.present(args)));
    }

    private String devsvcText(String... args) {
        String type = null;
        String device = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return USAGE;
                }
                case "-t", "-d" -> {
                    if (i + 1 == args.length) {
                        return wrong(arg + " needs a value, e.g. " + (arg.equals("-t") ? "-t block" : "-d emulated/0000:00:1f.2/port0"));
                    }
                    if (arg.equals("-t")) {
                        type = args[++i];
                    } else {
                        device = args[++i];
                    }
                }
                default -> {
                    return wrong((arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'");
                }
            }
        }
        List<DeviceServiceRecord> selected = select(type, device);
        if (selected.isEmpty() && type != null && device == null) { // 'devsvc -t blok' said only that there were none
            List<String> types = registry.all().stream().map(DeviceServiceRecord::type).distinct().sorted().toList();
            if (!types.isEmpty() && !types.contains(type)) {
                return "no device services of type '" + type + "' (types now: " + String.join(", ", types) + ")\n";
            }
        }
        return table(selected, type, device);
    }

    private List<DeviceServiceRecord> select(String type, String device) {
        List<DeviceServiceRecord> records = device == null ? registry.all() : registry.byDevice(device);
        return type == null ? records : records.stream().filter(r -> r.type().equals(type)).toList();
    }

    private static String table(List<DeviceServiceRecord> records, String type, String device) {
        if (records.isEmpty()) {
            return "no device services" + (type == null ? "" : " of type '" + type + "'")
                    + (device == null ? "" : " for device '" + device + "'") + "\n";
        }
        TextTable table = new TextTable("SERVICE", "TYPE", "DEVICE", "PCI", "DRIVER", "BUNDLE");
        for (DeviceServiceRecord r : records) {
            table.row(String.valueOf(r.serviceId()), r.type(), r.deviceId(), orDash(r.pciAddress()),
                    orDash(r.driverId()), r.bundleSymbolicName() + " [" + r.bundleId() + "]");
        }
        return table.toString();
    }

    private static String orDash(String text) {
        return text.isEmpty() ? "-" : text;
    }

    private static String wrong(String problem) {
        return CommandOutput.error("devsvc: " + problem + "\n" + USAGE);
    }
}

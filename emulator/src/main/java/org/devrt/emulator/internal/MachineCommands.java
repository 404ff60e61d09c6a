package org.devrt.emulator.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.devrt.emulator.EmulatedMachine;
import org.devrt.emulator.internal.model.ModelFactory;
import org.devrt.emulator.internal.net.Switches;
import org.devrt.emulator.internal.net.VirtualSwitch;
import org.devrt.pci.BarInfo;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciFunction;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The shell commands {@code devrt:plug}, {@code devrt:unplug} and {@code devrt:machine}. */
@Component(service = Object.class, property = {"osgi.command.scope=devrt", "osgi.command.function=plug",
        "osgi.command.function=unplug", "osgi.command.function=machine"})
public final class MachineCommands {
    static final String PLUG_USAGE = """
            usage: plug <address> <model> [key=value ...]
              plugs a new function into the emulated machine (hot plug)
              <address>   where, on bus 0000:00, e.g. 00:05.0
              <model>     the device model (see below)
              key=value   an option of the model
              -h, --help  this text
            """;
    static final String UNPLUG_USAGE = """
            usage: unplug [-o] <address>
              removes the function at <address> without warning (surprise removal: a disk's changes not yet
              written back are lost); a function from a conf/devrt.emulator.function-*.cfg file comes back when
              a property of its file changes (a file saved as it was is no change) or at the next start: to
              remove it for good, delete the file instead
              -o          orderly: its driver detaches first (a disk's volumes are flushed and unmounted), as a
                          slot's attention button asks; what deleting its file does
              -h, --help  this text
            """;
    static final String MACHINE_USAGE = """
            usage: machine [<address> <action> [argument ...]]
              alone, lists the emulated machine's functions (address, model, ids, BARs, DMA faults, what was done
              to them, options) and its virtual switches with what is attached to each
              <address> <action>: does something to a function's device, as a person would to the hardware:
                machine 00:1f.2 pull 0      pulls the disk out of port 0 of the AHCI controller
                machine 00:1f.2 connect 0   connects it again
                machine 00:03.0 cable off   pulls the NIC's cable out ('cable on' plugs it in)
              -h, --help  this text, with the actions of the functions plugged
            """;

    @Reference
    EmulatedMachine machine;

    @Reference(target = "(" + PciBus.BUS_ID + "=" + Machine.BUS_ID + ")")
    PciBus bus;

    /** The switches the machine's NICs and gateways attach to; a test gives its own. */
    Switches switches = Switches.shared();

    @Descriptor("plug a function into the emulated machine")
    public String plug(@Descriptor("<address> <model> [key=value ...]") String... args) {
        return CommandOutput.of(plugText(Arguments.present(args)));
    }

    private String plugText(String... args) {
        if (wantsHelp(args)) {
            return PLUG_USAGE + modelsText();
        }
        if (args.length < 2) {
            return wrong("plug", args.length == 0 ? "missing <address> and <model>" : "missing <model>", PLUG_USAGE);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : Arrays.asList(args).subList(2, args.length)) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                return wrong("plug", "option '" + arg + "' is not key=value", PLUG_USAGE);
            }
            String before = options.put(arg.substring(0, eq), arg.substring(eq + 1));
            if (before != null) { // 'ports=1 ports=2' kept the last in silence
                return wrong("plug", "option " + arg.substring(0, eq) + " given twice (" + before + " and "
                        + arg.substring(eq + 1) + ")", PLUG_USAGE);
            }
        }
        try {
            PciFunction function = machine.plug(address(args[0]), args[1], options);
            return "plugged " + function + "\n";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return wrong("plug", e.getMessage(), PLUG_USAGE);
        }
    }

    @Descriptor("unplug a function from the emulated machine (surprise removal; -o: orderly)")
    public String unplug(@Descriptor("[-o] <address>") String... args) {
        return CommandOutput.of(unplugText(Arguments.present(args)));
    }

    private String unplugText(String... args) {
        if (wantsHelp(args)) {
            return UNPLUG_USAGE;
        }
        boolean orderly = args.length > 0 && args[0].equals("-o");
        String[] rest = orderly ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (rest.length != 1 || rest[0].startsWith("-")) {
            return wrong("unplug", rest.length == 0 ? "missing <address>" : rest[0].startsWith("-") ? "unknown option "
                    + rest[0] : "unexpected argument '" + rest[1] + "'", UNPLUG_USAGE);
        }
        try {
            PciAddress address = address(rest[0]);
            if (orderly) {
                machine.remove(address);
            } else {
                machine.unplug(address);
            }
            return "unplugged " + address + (orderly ? " (orderly: its driver was asked to detach first)" : "") + "\n";
        } catch (IllegalArgumentException e) {
            return wrong("unplug", e.getMessage(), UNPLUG_USAGE);
        }
    }

    @Descriptor("list the emulated machine's functions, or do something to one's device (pull a disk, a cable)")
    public String machine(@Descriptor("[<address> <action> [argument ...]] [-h]") String... args) {
        return CommandOutput.of(machineText(Arguments.present(args)));
    }

    private String machineText(String... args) {
        if (wantsHelp(args)) {
            return MACHINE_USAGE + actionsText();
        }
        if (args.length == 1) {
            if (args[0].startsWith("-")) {
                return wrong("machine", "unknown option " + args[0], MACHINE_USAGE);
            }
            try {
                address(args[0]);
            } catch (IllegalArgumentException e) {
                return wrong("machine", e.getMessage(), MACHINE_USAGE);
            }
            return wrong("machine", "missing <action> after the address '" + args[0] + "'", MACHINE_USAGE);
        }
        if (args.length > 1) {
            return actText(args);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ADDRESS", "MODEL", "IDS", "CLASS", "SUBSYSTEM", "BARS", "DMA-FAULTS", "STATE",
            "OPTIONS"});
        for (PciFunction f : bus.functions()) {
            EmulatedFunction e = f instanceof EmulatedFunction ef ? ef : null;
            rows.add(new String[] {f.address().toString(), e == null ? "?" : e.modelName(),
                    String.format("%04x:%04x", f.vendorId(), f.deviceId()),
                    String.format("%06x", f.classCode().value()),
                    String.format("%04x:%04x", f.subsystemVendorId(), f.subsystemId()), bars(f),
                    e == null ? "-" : String.valueOf(e.host().faults()),
                    e == null || e.state().isEmpty() ? "-" : e.state(),
                    e == null || e.options().asMap().isEmpty() ? "-" : e.options().toString()});
        }
        return bus.description() + "\n" + (rows.size() == 1 ? "no functions\n" : table(rows)) + switchesText();
    }

    /** {@code machine <address> <action> [argument ...]}: the action of the function's model, or what is wrong. */
    private String actText(String... args) {
        PciAddress address;
        try {
            address = address(args[0]);
        } catch (IllegalArgumentException e) {
            return wrong("machine", e.getMessage(), MACHINE_USAGE);
        }
        EmulatedFunction function = null;
        for (PciFunction f : bus.functions()) {
            if (f.address().equals(address) && f instanceof EmulatedFunction e) {
                function = e;
            }
        }
        if (function == null) {
            return wrong("machine", "no function at " + address + " ('machine' lists them)", MACHINE_USAGE);
        }
        try {
            return address + ": " + function.act(args[1], List.of(args).subList(2, args.length)) + "\n";
        } catch (IllegalArgumentException | IllegalStateException e) {
            return wrong("machine", address + ": " + e.getMessage(), MACHINE_USAGE);
        }
    }

    /** The actions of the functions plugged, for {@code machine -h}. */
    private String actionsText() {
        StringBuilder out = new StringBuilder();
        for (PciFunction f : bus.functions()) {
            if (f instanceof EmulatedFunction e && !e.actions().isEmpty()) {
                out.append("actions of ").append(f.address()).append(" (").append(e.modelName()).append("):\n");
                new java.util.TreeMap<>(e.actions()).forEach((k, v) -> out.append(String.format("  %-16s %s%n", k,
                        v)));
            }
        }
        return out.toString();
    }

    /**
     * The virtual switches and their ports; a switch with one port is said to be alone, since what its port sends
     * reaches no one: a switch name mistyped in a NIC's or gateway's configuration made a switch of its own, and
     * pings just timed out.
     */
    private String switchesText() {
        List<String[]> rows = new ArrayList<>();
        for (VirtualSwitch s : switches.switches()) {
            List<String> ports = s.portNames();
            if (!ports.isEmpty()) {
                rows.add(new String[] {"  " + s.name(), String.join(", ", ports) + (ports.size() == 1
                        ? " (alone: what it sends reaches no one; a switch name mistyped?)" : "")});
            }
        }
        return rows.isEmpty() ? "" : "virtual switches:\n" + table(rows);
    }

    private static String bars(PciFunction f) {
        List<String> out = new ArrayList<>();
        for (BarInfo bar : f.bars()) {
            String kind = switch (bar.kind()) {
                case IO -> "io";
                case MEMORY32 -> "mem32";
                case MEMORY64 -> "mem64";
            };
            out.add(String.format("%d:%s@0x%x/0x%x", bar.index(), kind, bar.address(), bar.size()));
        }
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private String modelsText() {
        StringBuilder out = new StringBuilder("models:\n");
        Map<String, ModelFactory> described = Models.builtIn();
        for (String name : machine.models()) {
            ModelFactory factory = described.get(name);
            out.append("  ").append(name).append(factory == null ? "" : ": " + factory.description()).append('\n');
            if (factory != null) {
                factory.options().forEach((k, v) -> out.append(String.format("    %-18s %s%n", k, v)));
            }
        }
        return out.toString();
    }

    private static boolean wantsHelp(String... args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("-h") || a.equals("--help"));
    }

    /** A wrong line: said where the command's errors go ({@link CommandOutput#error}). */
    private static String wrong(String command, String problem, String usage) {
        return CommandOutput.error(command + ": " + problem + "\n" + usage);
    }

    /**
     * An address on the emulated bus: {@code 00:03.0}, or the device id {@code devices} shows for it
     * ({@code emulated/0000:00:03.0}); a host device's id is refused as such.
     */
    private static PciAddress address(String text) {
        if (text.startsWith(Machine.BUS_ID + "/")) {
            return PciAddress.parse(text.substring(Machine.BUS_ID.length() + 1));
        }
        if (text.startsWith("host/")) {
            throw new IllegalArgumentException(text + " is on the host's bus, which devrt only reads");
        }
        return PciAddress.parse(text);
    }
}

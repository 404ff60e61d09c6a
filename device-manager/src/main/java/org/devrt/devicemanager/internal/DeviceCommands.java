package org.devrt.devicemanager.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.DeviceStatus;
import org.devrt.devicemanager.internal.Matcher.Candidate;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciFunction;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The device shell commands (scope {@code devrt}): {@code lspci}, {@code devices}, {@code drivers}, {@code why},
 * {@code bind}, {@code unbind}, {@code rescan}. Each returns its text; a wrong argument gives one line naming
 * the problem and the usage, never a stack trace.
 */
@Component(service = DeviceCommands.class, property = {"osgi.command.scope=devrt",
        "osgi.command.function=lspci", "osgi.command.function=devices", "osgi.command.function=drivers",
        "osgi.command.function=why", "osgi.command.function=bind", "osgi.command.function=unbind",
        "osgi.command.function=rescan"})
public final class DeviceCommands {
    static final String LSPCI_USAGE = """
            usage: lspci [-n | -nn] [-k] [-v] [-D] [-s [[[domain]:]bus]:][slot][.[func]]] [-B bus|all]
              -n    numeric ids          -nn   names and numeric ids
              -k    drivers in use       -v    verbose: prog-if, flags, BARs, capabilities
              -D    always show domain   -s    only functions at that address
              -B    which bus (default: emulated, or the only bus); 'all' lists every bus""";

    @Reference
    DeviceManager manager;

    private PciNames names = PciNames.NONE;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        this.names = PciIdsNames.load();
    }

    @Descriptor("list PCI functions the way Linux's lspci does")
    public String lspci(@Descriptor("options; --help for usage") String... args) {
        return run(LSPCI_USAGE, args, Set.of("-n", "-nn", "-k", "-v", "-vv", "-D"), Set.of("-s", "-B"), a -> {
            SlotFilter filter = SlotFilter.parse(a.options.getOrDefault("-s", ""));
            Lspci.Numbers numbers = a.has("-nn") ? Lspci.Numbers.BOTH : a.has("-n") ? Lspci.Numbers.NUMBERS : Lspci.Numbers.NAMES;
            boolean verbose = a.has("-v") || a.has("-vv");
            List<PciBus> buses = selectBuses(a.options.getOrDefault("-B", ""));
            StringBuilder out = new StringBuilder();
            for (PciBus bus : buses) {
                if (buses.size() > 1) {
                    out.append("# bus ").append(bus.id()).append(": ").append(bus.description()).append('\n');
                }
                List<PciFunction> fns = bus.functions().stream().filter(filter::matches)
                        .sorted(Comparator.comparing(PciFunction::address)).toList();
                boolean domain = a.has("-D") || fns.stream().anyMatch(f -> f.address().domain() != 0);
                Lspci lspci = new Lspci(names, numbers, domain);
                for (PciFunction f : fns) {
                    out.append(lspci.line(f, verbose)).append('\n');
                    if (verbose || a.has("-k")) {
                        out.append(lspci.subsystem(f));
                    }
                    if (verbose) {
                        out.append(lspci.details(f));
                    }
                    if (verbose || a.has("-k")) {
                        out.append(driverLines(f));
                    }
                    if (verbose) {
                        out.append('\n');
                    }
                }
            }
            return out.toString().stripTrailing();
        });
    }

    private List<PciBus> selectBuses(String which) {
        return selectBuses(manager.busesNow().stream().sorted(Comparator.comparing(PciBus::id)).toList(), which);
    }

    /** The buses of {@code all} that {@code -B which} names: one, "all", or ("") the emulated, or the only one. */
    static List<PciBus> selectBuses(List<PciBus> all, String which) {
        if (which.equals("all") || which.isEmpty() && all.size() <= 1) {
            return all; // a bus asked for by name is looked for even when there is one ('-B host' listed the emulated)
        }
        String want = which.isEmpty() ? "emulated" : which;
        List<PciBus> chosen = all.stream().filter(b -> b.id().equals(want)).toList();
        if (chosen.isEmpty()) {
            if (which.isEmpty()) {
                return all;
            }
            throw new Args.UsageException("no PCI bus '" + which + "' (buses: "
                    + String.join(", ", all.stream().map(PciBus::id).toList()) + ", or all)");
        }
        return chosen;
    }

    private String driverLines(PciFunction f) {
        StringBuilder out = new StringBuilder();
        f.kernelDriver().ifPresent(k -> out.append("\tKernel driver in use: ").append(k).append('\n'));
        String id = DeviceRecord.idOf(f);
        manager.device(id).filter(s -> s.state() == org.devrt.device.DeviceState.BOUND)
                .ifPresent(s -> out.append("\tdevrt driver in use: ").append(s.driverId()).append('\n'));
        List<String> candidates = manager.candidates(f).stream().filter(c -> c.score() > 0)
                .map(c -> c.rule().driverId()).distinct().toList();
        if (!candidates.isEmpty()) {
            out.append("\tdevrt drivers: ").append(String.join(", ", candidates)).append('\n');
        }
        return out.toString();
    }

    static final String DEVICES_USAGE = "usage: devices [device-id]\n  every device with its state, driver and, when not bound, why"
            + " (when bound, what its driver could not bring up, if anything)";

    @Descriptor("list devices with their state and why one is not bound, or what its driver could not bring up")
    public String devices(@Descriptor("options; --help for usage") String... args) {
        return run(DEVICES_USAGE, args, Set.of(), Set.of(), 1, a -> {
            List<DeviceStatus> list = a.operands.isEmpty() ? manager.devices()
                    : List.of(manager.device(resolve(a.operands.get(0))).orElseThrow());
            Table t = new Table("DEVICE", "STATE", "DRIVER", "REASON");
            for (DeviceStatus s : list) {
                t.row(s.deviceId(), s.state().name(), s.driverId().isEmpty() ? "-" : s.driverId(),
                        list.size() == 1 ? s.reason() : firstLine(s.reason()));
            }
            return list.isEmpty() ? "no devices" : t.toString();
        });
    }

    /**
     * A reason's first line, and where the rest is: a driver's failure may carry a register dump of twenty lines,
     * which broke the table of every device.
     */
    static String firstLine(String reason) {
        int end = reason.indexOf('\n');
        return end < 0 ? reason : reason.substring(0, end).stripTrailing() + " (more: 'devices <device-id>')";
    }

    static final String DRIVERS_USAGE = "usage: drivers\n  drivers installed and in the repository, with what they match";

    @Descriptor("list drivers, installed and available in the driver repository")
    public String drivers(@Descriptor("options; --help for usage") String... args) {
        return run(DRIVERS_USAGE, args, Set.of(), Set.of(), a -> {
            Table t = new Table("DRIVER", "BUNDLE", "VERSION", "STATE", "MATCHES", "DEVICES");
            for (DriverOffer o : manager.catalog().offers().stream()
                    .sorted(Comparator.comparing(DriverOffer::bsn).thenComparing(DriverOffer::version)).toList()) {
                String state = o.isInstalled() ? bundleState(o.bundleId()) : "available";
                if (!o.isInstalled() && manager.decisions().isUninstalled(o.bsn())) {
                    state = "available (uninstalled by user)";
                }
                for (String driverId : o.rules().stream().map(MatchRule::driverId).distinct().toList()) {
                    String matches = String.join(", ", o.rules().stream().filter(r -> r.driverId().equals(driverId))
                            .map(MatchRule::describe).toList());
                    // per bundle: of two installed versions of a driver, only the one attached counts its devices
                    long devices = o.isInstalled() ? manager.boundCount(o.bundleId(), driverId) : 0;
                    t.row(driverId, o.bsn(), o.version().toString(), state, matches, Long.toString(devices));
                }
            }
            StringBuilder out = new StringBuilder(t.toString());
            RepositoryIndex index = manager.catalog().index();
            out.append("\nrepository: ").append(index.location() == null ? "none configured" : index.location());
            index.problems().forEach(p -> out.append("\n  problem: ").append(p));
            return out.toString();
        });
    }

    private String bundleState(long bundleId) {
        Bundle b = context.getBundle(bundleId);
        if (b == null) {
            return "gone";
        }
        String state = switch (b.getState()) {
        case Bundle.ACTIVE -> "active";
        case Bundle.RESOLVED -> "resolved";
        case Bundle.INSTALLED -> "installed";
        case Bundle.STARTING -> "starting";
        case Bundle.STOPPING -> "stopping";
        default -> "uninstalled";
        };
        return state + " [" + bundleId + "]" + (DriverInstaller.installedByUs(b) ? "" : " user");
    }

    static final String WHY_USAGE = "usage: why <device-id | address>\n  every driver candidate with its score and why it won or lost";

    @Descriptor("explain which driver a device gets, and why")
    public String why(@Descriptor("device id or PCI address") String... args) {
        return run(WHY_USAGE, args, Set.of(), Set.of(), 1, a -> {
            String id = resolve(a.operand(0, "device id"));
            PciFunction f = manager.function(id).orElseThrow();
            DeviceStatus s = manager.device(id).orElseThrow();
            StringBuilder out = new StringBuilder(id).append(' ').append(PciText.ids(f))
                    .append(String.format(" subsystem %04x:%04x", f.subsystemVendorId(), f.subsystemId()))
                    .append("\nstate: ").append(s.state()).append(s.reason().isEmpty() ? "" : " (" + s.reason() + ")")
                    .append("\nscores: 5 ids+subsystem, 4 ids, 3 class+subclass+prog-if, 2 class+subclass, 1 class; "
                            + "ties: driver id, bundle, newest version\n");
            List<Candidate> ranked = manager.candidates(id);
            long inUse = manager.boundBundle(id);
            Table t = new Table("SCORE", "DRIVER", "BUNDLE", "RULE", "VERDICT");
            for (Candidate c : ranked) {
                t.row(Integer.toString(c.score()), c.rule().driverId(), c.offer().bsn() + " " + c.offer().version()
                        + (c.offer().isInstalled() ? "" : " (repository)"), c.rule().describe(),
                        verdict(c, inUse, s.driverId()));
            }
            String unreadable = manager.repositoryProblem();
            return out + (ranked.isEmpty() ? "no drivers known" + (unreadable == null ? "" : ": " + unreadable)
                    : t.toString());
        });
    }

    /**
     * The ranking's verdict, and which driver is in use: 'why' said "chosen" of the best ranked driver while the
     * device was bound to another (installed after it was bound, or the one chosen after the best failed).
     */
    private static String verdict(Candidate c, long inUse, String boundDriver) {
        if (inUse < 0) {
            return c.verdict();
        }
        if (c.offer().isInstalled() && c.offer().bundleId() == inUse && c.rule().driverId().equals(boundDriver)) {
            return c.verdict().equals("chosen") ? "in use" : "in use; " + c.verdict();
        }
        return c.verdict().equals("chosen") ? "ranks first, not in use: the device keeps its driver until it is"
                + " unbound or re-plugged" : c.verdict();
    }

    static final String BIND_USAGE = "usage: bind <device-id | address>\n  attach a driver, clearing an unbind, an uninstall or a quarantine";

    @Descriptor("attach a driver to a device")
    public String bind(@Descriptor("device id or PCI address") String... args) {
        return run(BIND_USAGE, args, Set.of(), Set.of(), 1, a -> {
            String id = resolve(a.operand(0, "device id"));
            String driver = manager.boundDriver(id);
            if (driver != null) { // it said "binding" again, as a second unbind did
                return id + " is bound already, to " + driver + " ('unbind " + id + "' detaches it)";
            }
            manager.bind(id);
            return "binding " + id + " ('devices " + id + "' shows the outcome)";
        });
    }

    static final String UNBIND_USAGE = "usage: unbind <device-id | address>\n  detach the driver; remembered across restarts until 'bind'";

    @Descriptor("detach a device's driver and keep it unbound")
    public String unbind(@Descriptor("device id or PCI address") String... args) {
        return run(UNBIND_USAGE, args, Set.of(), Set.of(), 1, a -> {
            String id = resolve(a.operand(0, "device id"));
            if (manager.decisions().isUnbound(id)) { // it said "unbinding" again
                return id + " is unbound already ('bind " + id + "' attaches a driver again)";
            }
            manager.unbind(id);
            return "unbinding " + id;
        });
    }

    static final String RESCAN_USAGE = "usage: rescan\n  re-read the driver repository index and rescan every PCI bus";

    @Descriptor("re-read the driver repository and rescan the PCI buses")
    public String rescan(@Descriptor("options; --help for usage") String... args) {
        return run(RESCAN_USAGE, args, Set.of(), Set.of(), a -> {
            manager.rescan();
            return "rescanned " + manager.busesNow().size() + " buses; " + manager.devices().size() + " devices";
        });
    }

    private String resolve(String idOrAddress) {
        // lspci -s's short form of bus 00 ("1f.2", "3.0") names a device too
        String slot = !idOrAddress.matches("[0-9a-fA-F]{1,2}\\.[0-7]") ? idOrAddress
                : "00:" + (idOrAddress.indexOf('.') == 1 ? "0" : "") + idOrAddress.toLowerCase(Locale.ROOT);
        Optional<String> id = manager.resolveId(slot);
        if (id.isEmpty()) {
            throw new Args.UsageException("no device '" + idOrAddress + "' ('devices' lists them)");
        }
        return id.get();
    }

    /**
     * Parses the arguments, answers {@code --help}/{@code -h} with the usage, runs the command, and turns a wrong
     * argument into one line naming it followed by the usage. No exception reaches the shell. The text goes where the
     * command's output goes, a failure's where its errors go ({@link CommandOutput}).
     */
    static String run(String usage, String[] args, Set<String> flags, Set<String> valued, Function<Args, String> body) {
        return run(usage, args, flags, valued, 0, body);
    }

    /** As above, for a command that takes at most {@code maxOperands} operands. */
    static String run(String usage, String[] args, Set<String> flags, Set<String> valued, int maxOperands,
            Function<Args, String> body) {
        String text;
        try {
            Set<String> all = new java.util.HashSet<>(flags);
            all.add("--help");
            all.add("-h");
            Args a = Args.parse(args, all, valued);
            if (a.has("--help") || a.has("-h")) {
                return CommandOutput.of(usage);
            }
            if (a.operands.size() > maxOperands) {
                throw new Args.UsageException("unexpected argument " + a.operands.get(maxOperands));
            }
            text = body.apply(a);
        } catch (Args.UsageException e) {
            return CommandOutput.error(commandName(usage) + ": " + e.getMessage() + "\n" + usage);
        } catch (IllegalArgumentException e) {
            return CommandOutput.error(commandName(usage) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return CommandOutput.error(commandName(usage) + ": failed: " + PciText.message(e));
        }
        return CommandOutput.of(text);
    }

    /** The command a usage text is for: its first word after "usage: ". */
    private static String commandName(String usage) {
        return usage.strip().split("\\s+", 3)[1];
    }

    /** An {@code lspci -s} filter: {@code [[[domain]:]bus]:][slot][.[func]]}. */
    record SlotFilter(Integer domain, Integer bus, Integer slot, Integer func) {
        static SlotFilter parse(String text) {
            if (text.isEmpty()) {
                return new SlotFilter(null, null, null, null);
            }
            try {
                String[] dot = text.split("\\.", -1);
                if (dot.length > 2) {
                    throw new NumberFormatException();
                }
                Integer func = dot.length == 2 ? hex(dot[1]) : null;
                String[] parts = dot[0].split(":", -1);
                if (parts.length > 3) {
                    throw new NumberFormatException();
                }
                Integer slot = hex(parts[parts.length - 1]);
                Integer bus = parts.length >= 2 ? hex(parts[parts.length - 2]) : null;
                Integer domain = parts.length == 3 ? hex(parts[0]) : null;
                within("domain", domain, 0xffff);
                within("bus", bus, 0xff);
                within("slot", slot, 0x1f);
                within("function", func, 7);
                return new SlotFilter(domain, bus, slot, func);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("-s: not a slot '" + text + "' (want [[[domain]:]bus]:][slot][.[func]], e.g. 00:1f.2)");
            }
        }

        /** lspci's "Invalid slot number": a filter no address can match is a mistake, not an empty list. */
        private static void within(String what, Integer value, int max) {
            if (value != null && value > max) {
                throw new Args.UsageException("-s: " + what + " 0x" + Integer.toHexString(value) + " is outside 0x0..0x"
                        + Integer.toHexString(max));
            }
        }

        private static Integer hex(String s) {
            if (s.isEmpty() || s.equals("*")) {
                return null;
            }
            if (!s.matches("[0-9a-fA-F]{1,8}")) { // parseInt took "-1", a slot no device has: an empty listing
                throw new NumberFormatException(s);
            }
            return Integer.parseInt(s, 16);
        }

        boolean matches(PciFunction f) {
            PciAddress a = f.address();
            return (domain == null || domain == a.domain()) && (bus == null || bus == a.bus())
                    && (slot == null || slot == a.device()) && (func == null || func == a.function());
        }
    }
}

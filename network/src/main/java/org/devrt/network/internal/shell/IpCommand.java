package org.devrt.network.internal.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.felix.service.command.Descriptor;
import org.devrt.device.DeviceService;
import org.devrt.device.NetworkDevice;
import org.devrt.network.internal.cmd.IpAddrCommand;
import org.devrt.network.internal.cmd.IpNeighCommand;
import org.devrt.network.internal.cmd.IpObject;
import org.devrt.network.internal.cmd.IpRouteCommand;
import org.devrt.network.internal.stack.InterfaceInfo;
import org.devrt.network.internal.stack.NetworkStackComponent;
import org.devrt.network.internal.stack.Stack;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code ip} shell command (scope {@code devrt}), after iproute2. {@code ip [-s] link [show [dev] NAME]} lists
 * the {@link NetworkDevice} services, followed whiteboard-style as they come and go, named by {@link
 * InterfaceNames} or, where the network stack runs and has the interface, by the stack (with its {@code lo}).
 * {@code ip addr}, {@code ip route} and {@code ip neigh} are the stack's ({@link IpObject}s), passed the arguments
 * after the object. Returns its text; a wrong argument gives one line and the usage, never a stack trace.
 */
@Component(service = IpCommand.class, property = {"osgi.command.scope=devrt", "osgi.command.function=ip"})
public final class IpCommand {
    static final String USAGE = """
            usage: ip [-s] link [show [dev] NAME]
                   ip addr | route | neigh ...     (from the network stack; e.g. ip addr help)
              -s, -stats    also the counters: bytes, packets, errors, dropped
            Interfaces are the network devices: eth0, eth1, ... in the order they first appear, each name kept
            by its device id while devrt runs, numbered from 2; 1 is the stack's lo.""";
    private static final Map<String, Function<Stack, IpObject>> STACK_OBJECTS = Map.of(
            "address", IpAddrCommand::new, "route", IpRouteCommand::new, "neighbour", IpNeighCommand::new,
            "neighbor", IpNeighCommand::new);
    /** iproute2's objects in its own order, so an abbreviation means what it means there ({@code ip a}, {@code ip r}). */
    private static final List<String> OBJECTS = List.of("address", "addrlabel", "maddress", "route", "rule",
            "neighbour", "neighbor", "ntable", "link", "tunnel", "tuntap", "monitor", "netns", "xfrm", "mroute", "vrf");

    /** A tracked device: its service object and device id. */
    private record Port(NetworkDevice device, String deviceId) {
    }

    /** One line of {@code ip link}, with its index for sorting. */
    private record Row(int index, String name, String text) {
    }

    private final Map<Long, Port> ports = new ConcurrentHashMap<>();
    private final InterfaceNames names = new InterfaceNames();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile NetworkStackComponent network;

    /** The running stack, or null; tests replace it. */
    Supplier<Stack> stack = () -> {
        NetworkStackComponent n = network;
        return n == null ? null : n.stack();
    };

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(NetworkDevice device, Map<String, Object> properties) {
        Object id = properties.get(DeviceService.DEVICE_ID);
        Long serviceId = (Long) properties.get(Constants.SERVICE_ID);
        String deviceId = id == null ? "service-" + serviceId : id.toString();
        names.number(deviceId); // named on arrival, in arrival order, as the stack does
        ports.put(serviceId, new Port(device, deviceId));
    }

    void removeDevice(NetworkDevice device, Map<String, Object> properties) {
        ports.remove((Long) properties.get(Constants.SERVICE_ID));
    }

    @Descriptor("show network interfaces the way iproute2's ip does: ip [-s] link [show [dev] NAME], ip addr|route|neigh")
    public String ip(@Descriptor("[-s] link [show [dev] NAME] | addr | route | neigh; --help for usage") String... args) {
        try {
            return CommandOutput.of(run(Arguments.present(args)));
        } catch (UsageException e) {
            return CommandOutput.error(e.getMessage() + "\n" + USAGE);
        } catch (RuntimeException e) {
            return CommandOutput.error("ip: failed: " + e);
        }
    }

    private String run(String[] args) {
        boolean stats = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            switch (args[i]) {
                case "-s", "-stats", "-statistics" -> stats = true;
                case "-h", "-help", "--help" -> {
                    return USAGE;
                }
                default -> throw new UsageException("ip: unknown option \"" + args[i] + "\"");
            }
        }
        if (i == args.length || args[i].equals("help")) {
            return USAGE;
        }
        String given = args[i];
        List<String> rest = List.of(args).subList(i + 1, args.length);
        String object = OBJECTS.stream().filter(o -> !given.isEmpty() && o.startsWith(given)).findFirst()
                .orElseThrow(() -> new UsageException("Object \"" + given + "\" is unknown, try \"ip help\"."));
        if (object.equals("link")) {
            return link(stats, rest);
        }
        Function<Stack, IpObject> command = STACK_OBJECTS.get(object);
        if (command == null) {
            return CommandOutput.error("ip " + object + ": not supported by devrt");
        }
        Stack s = stack.get();
        if (s == null) {
            return CommandOutput.error("ip " + object + ": comes with the network stack, which is not running");
        }
        return command.apply(s).run(rest);
    }

    private String link(boolean stats, List<String> args) {
        String only = null;
        if (!args.isEmpty()) {
            String verb = args.get(0);
            if (verb.equals("help")) {
                return USAGE;
            }
            if (!List.of("show", "list", "lst", "sh", "ls").contains(verb)) {
                throw new UsageException("ip link " + verb + ": not supported; only show for now");
            }
            List<String> target = args.subList(1, args.size());
            if (!target.isEmpty() && target.get(0).equals("dev")) {
                target = target.subList(1, target.size());
            }
            if (target.size() > 1) {
                throw new UsageException("ip link show: one device name at most, not " + String.join(" ", target));
            }
            only = target.isEmpty() ? null : target.get(0);
        }
        List<Row> rows = rows(stats);
        StringBuilder out = new StringBuilder();
        for (Row r : rows) {
            if (only == null || only.equals(r.name())) {
                out.append(r.text());
            }
        }
        if (only != null && out.length() == 0) {
            return CommandOutput.error("Device \"" + only + "\" does not exist.");
        }
        return out.toString().stripTrailing();
    }

    /** Every interface: the stack's loopback if it runs, and each device under the stack's name or ours. */
    private List<Row> rows(boolean stats) {
        Stack s = stack.get();
        List<InterfaceInfo> stackInterfaces = s == null ? List.of() : s.interfaces();
        List<Row> rows = new ArrayList<>();
        for (InterfaceInfo i : stackInterfaces) {
            if (i.loopback()) {
                rows.add(new Row(i.index(), i.name(), LinkFormat.loopback(i.index(), i.name(), i.up(), i.mtu())
                        + (stats ? LinkFormat.stats(i.counters()) : "")));
            }
        }
        for (Port p : ports.values()) {
            NetworkDevice d = p.device();
            InterfaceInfo known = stackInterfaces.stream()
                    .filter(i -> i.device() == d).findFirst().orElse(null); // not by MAC: two NICs may share one
            int index = known != null ? known.index() : names.index(p.deviceId());
            String name = known != null ? known.name() : names.name(p.deviceId());
            boolean up = known == null || known.up();
            rows.add(new Row(index, name, LinkFormat.link(index, name, up, d.isLinkUp(), d.mtu(), d.macAddress())
                    + (stats ? LinkFormat.stats(d.counters()) : "")));
        }
        rows.sort(Comparator.comparingInt(Row::index));
        return rows;
    }

    /** A wrong argument: its message, then the usage. */
    private static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

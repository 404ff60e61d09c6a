package org.devrt.network.internal.cmd;

import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.devrt.network.internal.stack.NetworkStackComponent;
import org.devrt.registry.shell.Arguments;
import org.devrt.registry.shell.CommandOutput;
import org.devrt.registry.shell.Foreground;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The network shell commands (scope {@code devrt}) but {@code ip}, whose Gogo function belongs to the {@code ip link}
 * command: it dispatches {@code ip addr}, {@code ip route} and {@code ip neigh} to {@link IpAddrCommand},
 * {@link IpRouteCommand} and {@link IpNeighCommand}. {@code ping} and {@code udplisten} print as they go (Ctrl-C
 * interrupts them, {@link Foreground}), their errors to standard error; the others return their text.
 */
@Component(service = NetworkCommands.class, property = {"osgi.command.scope=devrt",
        "osgi.command.function=ifconfig", "osgi.command.function=arp", "osgi.command.function=ping",
        "osgi.command.function=netstat", "osgi.command.function=udpsend", "osgi.command.function=udplisten"})
public final class NetworkCommands {
    @Reference
    NetworkStackComponent network;

    @Descriptor("show network interfaces the way net-tools' ifconfig does")
    public String ifconfig(@Descriptor("[-a] [NAME]; --help for usage") String... args) {
        return CommandOutput.of(new IfconfigCommand(network.stack()).run(List.of(Arguments.present(args))));
    }

    @Descriptor("show the ARP caches the way arp -n does")
    public String arp(@Descriptor("[-n] [-i NAME]; --help for usage") String... args) {
        return CommandOutput.of(new ArpCommand(network.stack()).run(List.of(Arguments.present(args))));
    }

    @Descriptor("send ICMP echo requests and print the replies the way iputils' ping does")
    public void ping(@Descriptor("[-b] [-c count] [-s size] [-i interval] [-W timeout] ADDRESS") String... args) {
        try (Foreground.Registration ctrlC = Foreground.run()) {
            new PingCommand(network.stack()).run(List.of(Arguments.present(args)), ctrlC.guard(System.out), ctrlC.guard(System.err));
        }
    }

    @Descriptor("show UDP sockets (netstat -anu) or the stack's counters (netstat -s)")
    public String netstat(@Descriptor("[-anu] | -s; --help for usage") String... args) {
        return CommandOutput.of(new NetstatCommand(network.stack()).run(List.of(Arguments.present(args))));
    }

    @Descriptor("send one UDP datagram")
    public String udpsend(@Descriptor("ADDRESS PORT TEXT...") String... args) {
        return CommandOutput.of(new UdpCommand(network).send(List.of(Arguments.present(args))));
    }

    @Descriptor("print the UDP datagrams that come to a port")
    public void udplisten(@Descriptor("[-w SECONDS] PORT [COUNT]") String... args) {
        try (Foreground.Registration ctrlC = Foreground.run()) {
            new UdpCommand(network).listen(List.of(Arguments.present(args)), ctrlC.guard(System.out), ctrlC.guard(System.err));
        }
    }
}

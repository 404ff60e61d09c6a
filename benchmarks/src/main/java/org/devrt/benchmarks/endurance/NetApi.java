package org.devrt.benchmarks.endurance;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.ServiceReference;

/**
 * The runtime's network, called by reflection: UDP sockets of org.devrt.network.UdpService, factory configurations
 * through Configuration Admin (interfaces, the emulated gateway), and Gogo command lines such as {@code ping} (through the
 * rig's shell).
 */
final class NetApi {
    private static final String UDP_SOCKET = "org.devrt.network.UdpSocket";

    private final Object udp;
    private final Method bind;
    private final Method send;
    private final Method receive;
    private final Method close;
    private final Object configurations;
    private final Method factoryConfiguration;
    private final Method update;
    private final Method delete;
    private final EnduranceRig rig;

    NetApi(EnduranceRig rig) throws Exception {
        ServiceReference<?> u = rig.awaitService("org.devrt.network.UdpService");
        udp = rig.context().getService(u);
        bind = Reflect.method(u.getBundle(), "org.devrt.network.UdpService", "bind", InetSocketAddress.class);
        send = Reflect.method(u.getBundle(), UDP_SOCKET, "send", ByteBuffer.class, InetSocketAddress.class);
        receive = Reflect.method(u.getBundle(), UDP_SOCKET, "receive", ByteBuffer.class, Duration.class);
        close = Reflect.method(u.getBundle(), UDP_SOCKET, "close");
        ServiceReference<?> c = rig.awaitService("org.osgi.service.cm.ConfigurationAdmin");
        configurations = rig.context().getService(c);
        factoryConfiguration = Reflect.method(c.getBundle(), "org.osgi.service.cm.ConfigurationAdmin",
                "getFactoryConfiguration", String.class, String.class, String.class);
        update = Reflect.method(c.getBundle(), "org.osgi.service.cm.Configuration", "update", Dictionary.class);
        delete = Reflect.method(c.getBundle(), "org.osgi.service.cm.Configuration", "delete");
        this.rig = rig;
    }

    /** A UDP socket of devrt's stack; an opaque handle for {@link #send}, {@link #receive} and {@link #close}. */
    Object bind(InetSocketAddress local) throws Exception {
        return Reflect.call(bind, udp, local);
    }

    void send(Object socket, ByteBuffer payload, InetSocketAddress target) throws Exception {
        Reflect.call(send, socket, payload, target);
    }

    InetSocketAddress receive(Object socket, ByteBuffer into, Duration timeout) throws Exception {
        return (InetSocketAddress) Reflect.call(receive, socket, into, timeout);
    }

    void close(Object socket) throws Exception {
        Reflect.call(close, socket);
    }

    /** A new factory configuration of {@code factoryPid} with these properties; returns it, for {@link #delete}. */
    Object configure(String factoryPid, String name, Map<String, String> properties) throws Exception {
        Object c = Reflect.call(factoryConfiguration, configurations, factoryPid, name, "?");
        Dictionary<String, Object> props = new Hashtable<>(properties);
        Reflect.call(update, c, props);
        return c;
    }

    void delete(Object configuration) throws Exception {
        Reflect.call(delete, configuration);
    }

    /** Runs a command line in the runtime's Gogo shell ({@link EnduranceRig#shell}). */
    String shell(String commandLine) throws Exception {
        return rig.shell(commandLine);
    }
}

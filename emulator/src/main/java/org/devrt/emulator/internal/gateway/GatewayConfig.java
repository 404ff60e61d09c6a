package org.devrt.emulator.internal.gateway;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One emulated gateway: a factory configuration of PID {@code devrt.emulator.gateway}, e.g. the file
 * {@code conf/devrt.emulator.gateway-default.cfg}.
 */
@ObjectClassDefinition(name = "devrt emulated gateway",
        description = "An emulated gateway on a virtual switch, answering ARP and ping (ICMP echo) at its address, "
                + "as QEMU user networking's 10.0.2.2 does.")
@interface GatewayConfig {
    /** The property is {@code switch} (a single '$' is dropped from the name). */
    @AttributeDefinition(name = "Switch", required = false,
            description = "The virtual switch it is plugged into: the <name> of a NIC's backend=switch:<name>")
    String switch$() default "default";

    @AttributeDefinition(name = "Address", description = "Its IPv4 address, e.g. 10.0.2.2")
    String address();

    @AttributeDefinition(name = "MAC address", required = false,
            description = "Its Ethernet address; empty for 52:55 followed by the four bytes of the address "
                    + "(52:55:0a:00:02:02 for 10.0.2.2, as QEMU has it)")
    String mac() default "";
}

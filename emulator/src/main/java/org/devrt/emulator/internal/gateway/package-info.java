/**
 * The emulated gateway on a virtual switch (QEMU user networking's 10.0.2.2): while a factory configuration of PID
 * {@code devrt.emulator.gateway} exists, {@link org.devrt.emulator.internal.gateway.GatewayComponent} keeps an
 * {@code EmulatedGateway} attached as a port of the named switch, answering ARP and ping at its address.
 *
 * <p>The gateway's code is the network bundle's ({@code org.devrt.network.internal.gateway} and the wire formats it
 * uses, {@code org.devrt.network.internal.wire}), copied into this bundle at build time by bnd's
 * {@code -conditionalpackage} (see bnd.bnd): the emulator has no runtime dependency on the network bundle and the
 * network bundle none on the emulator. Only this package refers to those classes.
 */
package org.devrt.emulator.internal.gateway;

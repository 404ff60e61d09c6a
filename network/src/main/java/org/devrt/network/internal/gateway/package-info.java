/**
 * The emulated gateway that answers ARP and ping on the emulator's virtual switch. Depends only on the wire formats,
 * so the emulator can carry these two packages privately.
 */
package org.devrt.network.internal.gateway;

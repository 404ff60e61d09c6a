package org.devrt.emulator.internal.e1000;

import java.util.function.IntConsumer;

import org.devrt.emulator.internal.model.ModelHost;

/**
 * What the receive and transmit units of one NIC share: DMA through the bus, the statistics registers, the
 * complaint log, and the way to set interrupt causes (ICR bits; the model updates INTA#).
 */
record NicContext(ModelHost host, Statistics stats, Complaints complaints, IntConsumer raise) {
}

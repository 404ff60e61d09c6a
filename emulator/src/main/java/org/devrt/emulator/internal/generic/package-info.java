/** The {@code generic} test device: identity and BARs from options, a register file, an interrupt, DMA copy. */
package org.devrt.emulator.internal.generic;

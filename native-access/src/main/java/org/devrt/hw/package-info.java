/**
 * Hardware access: how a driver touches its device.
 *
 * <p>A driver speaks to silicon in three ways and only these: memory-mapped (or port) registers through a
 * {@link org.devrt.hw.RegisterIo} window onto a BAR, wrapped in {@link org.devrt.hw.Registers} for named
 * access and bounded waits; DMA memory from a {@link org.devrt.hw.DmaMemory} allocator, each
 * {@link org.devrt.hw.DmaRegion} with the bus address the device uses and a buffer view the driver uses;
 * and an {@link org.devrt.hw.InterruptLine} to which it attaches an {@link org.devrt.hw.InterruptHandler}.
 * Every handle is revoked when the driver is detached: a stale driver gets {@link
 * org.devrt.hw.HandleRevokedException}, never the device.
 */
@Export
@Version("1.2.0")
package org.devrt.hw;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.Machines.SLOT3;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.devrt.device.DeviceGoneException;
import org.devrt.hw.DmaMemory;
import org.devrt.hw.DmaRegion;
import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.InterruptLine;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.ConfigSpace;
import org.junit.After;
import org.junit.Test;

/** Register windows, DMA memory and the interrupt line as a driver holds them, and their revocation. */
public class HandlesTest {
    private final TestModel.Factory models = TestModel.factory();
    private final Machine machine = Machines.machine(models);
    private final EmulatedFunction function = (EmulatedFunction) machine.plug(SLOT3, "test", Map.of());

    @After
    public void shutDown() {
        machine.close();
    }

    @Test
    public void closingAGrantRevokesItsHandlesAndItsView() throws IOException {
        org.devrt.pci.PciFunction.AccessGrant grant = function.grantAccess();
        RegisterIo bar0 = grant.function().bar(0);
        bar0.write32(0x40, 7);
        grant.close();
        assertThrows("a handle taken through the grant", HandleRevokedException.class, () -> bar0.read32(0x40));
        HandleRevokedException e = assertThrows("a new handle through the closed view", HandleRevokedException.class,
                () -> grant.function().bar(0));
        assertTrue(e.getMessage(), e.getMessage().contains("0000:00:03.0") && e.getMessage().contains("revoked"));
        assertThrows("config writes through the closed view", HandleRevokedException.class,
                () -> grant.function().config().write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_BUS_MASTER));
        assertEquals("identity still reads", function.vendorId(), grant.function().vendorId());
    }

    @Test
    public void oneGrantIsLiveAtATime() throws IOException {
        org.devrt.pci.PciFunction.AccessGrant first = function.grantAccess();
        IOException e = assertThrows(IOException.class, function::grantAccess);
        assertTrue(e.getMessage(), e.getMessage().contains("already held"));
        first.close();
        first.close(); // idempotent
        function.grantAccess().close();
    }

    @Test
    public void anUnpluggedFunctionGrantsNothing() {
        machine.unplug(SLOT3);
        assertThrows(DeviceGoneException.class, function::grantAccess);
    }

    /**
     * The work a write starts is the device's: a pending interrupt of the writing thread (a shell command stopped
     * with Ctrl-C) is hidden from it, since the model's image file or socket, as an InterruptibleChannel, would close
     * for good; and the thread gets its interrupt back afterwards.
     */
    @Test
    public void aWritesAfterWorkDoesNotSeeTheWritersInterruptWhichTheWriterKeeps() throws IOException {
        RegisterIo bar0 = function.bar(0);
        Thread.currentThread().interrupt();
        try {
            bar0.write32(0x10, 1);
            assertTrue("the writer keeps its interrupt", Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals("the after-work ran without the interrupt", Boolean.FALSE, models.last.interruptedAfterWrite);
    }

    @Test
    public void registerAccessReachesTheModel() throws IOException {
        RegisterIo bar0 = function.bar(0);
        bar0.write32(0x10, 0xcafe);
        assertEquals(0xcafe, bar0.read32(0x10));
        assertEquals(4096, bar0.size());
        assertSame("one holder gets the same window each time", bar0, function.bar(0));
    }

    @Test
    public void offsetsMustBeAlignedAndInsideTheBar() throws IOException {
        RegisterIo bar0 = function.bar(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bar0.read32(0x1002));
        assertEquals("register offset 0x1002 of BAR 0 of 0000:00:03.0 is not 4-aligned", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bar0.write32(0x1000, 0));
        assertEquals("register offset 0x1000 of BAR 0 of 0000:00:03.0 is outside the BAR's 0x1000 bytes",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bar0.read32(-4));
    }

    @Test
    public void anUnimplementedBarIsAnIOExceptionNamingTheBars() {
        IOException e = assertThrows(IOException.class, () -> function.bar(3));
        assertEquals("BAR 3 of 0000:00:03.0 is not implemented (its BARs: 0, 2, 4)", e.getMessage());
    }

    @Test
    public void revokedHandlesThrowNamingTheFunctionAsDetached() throws IOException {
        RegisterIo bar0 = function.bar(0);
        DmaMemory dma = function.dmaMemory();
        DmaRegion region = dma.allocate(4096);
        InterruptLine line = function.interruptLine();
        machine.revokeHandles(function);
        HandleRevokedException e = assertThrows(HandleRevokedException.class, () -> bar0.read32(0));
        assertEquals("BAR 0 handle revoked: 0000:00:03.0 was detached", e.getMessage());
        assertThrows("writes too", HandleRevokedException.class, () -> bar0.write32(0, 1));
        e = assertThrows(HandleRevokedException.class, () -> dma.allocate(4096));
        assertEquals("DMA memory handle revoked: 0000:00:03.0 was detached", e.getMessage());
        e = assertThrows(HandleRevokedException.class, region::buffer);
        assertTrue(e.getMessage(), e.getMessage().endsWith("handle revoked: 0000:00:03.0 was detached"));
        assertThrows(HandleRevokedException.class, () -> line.attach(() -> { }));
        line.detach();
        region.close();
    }

    @Test
    public void unplugRevokesEveryHandleAsUnplugged() throws IOException {
        RegisterIo bar2 = function.bar(2);
        machine.unplug(SLOT3);
        HandleRevokedException e = assertThrows(HandleRevokedException.class, () -> bar2.read32(0));
        assertEquals("BAR 2 handle revoked: 0000:00:03.0 was unplugged", e.getMessage());
        DeviceGoneException gone = assertThrows(DeviceGoneException.class, () -> function.bar(0));
        assertEquals("0000:00:03.0 was unplugged", gone.getMessage());
        assertThrows(DeviceGoneException.class, function::dmaMemory);
        assertTrue("the model is closed", models.last.closed);
        assertEquals("config reads as an empty slot", 0xffff, function.config().read16(ConfigSpace.VENDOR_ID));
    }

    @Test
    public void theNextHolderGetsFreshHandlesAndAResetDevice() throws IOException {
        RegisterIo old = function.bar(0);
        old.write32(0x10, 0x1234);
        function.config().write16(ConfigSpace.COMMAND, function.config().read16(ConfigSpace.COMMAND)
                | ConfigSpace.COMMAND_BUS_MASTER | ConfigSpace.COMMAND_INTX_DISABLE);
        machine.revokeHandles(function);
        RegisterIo fresh = function.bar(0);
        assertNotSame(old, fresh);
        assertEquals("the model was reset for the next holder", 0, fresh.read32(0x10));
        assertEquals(1, models.last.resets.get());
        int command = function.config().read16(ConfigSpace.COMMAND);
        assertEquals("bus mastering is off after a detach", 0, command & ConfigSpace.COMMAND_BUS_MASTER);
        assertEquals("INTx is unmasked after a detach", 0, command & ConfigSpace.COMMAND_INTX_DISABLE);
        assertTrue("memory decoding stays on", (command & ConfigSpace.COMMAND_MEMORY_SPACE) != 0);
    }

    @Test
    public void revokingFreesTheHoldersDmaRegions() throws IOException {
        long before = function.dmaMemory().available();
        function.dmaMemory().allocate(8192);
        function.dmaMemory().allocate(100, 65536);
        assertEquals(before - 12288, function.dmaMemory().available());
        machine.revokeHandles(function);
        assertEquals("every region went back", before, function.dmaMemory().available());
    }

    @Test
    public void aClosedRegionRefusesNewViewsAndIsFreed() throws IOException {
        DmaMemory dma = function.dmaMemory();
        long before = dma.available();
        DmaRegion region = dma.allocate(4096);
        region.buffer().putInt(0, 7);
        region.close();
        region.close();
        assertEquals("closing twice frees once", before, dma.available());
        HandleRevokedException e = assertThrows(HandleRevokedException.class, region::buffer);
        assertTrue(e.getMessage(), e.getMessage().endsWith("was freed"));
    }

    @Test
    public void memoryDecodingOffMakesReadsAllOnesAndDropsWrites() throws IOException {
        RegisterIo bar0 = function.bar(0);
        bar0.write32(0x10, 5);
        function.config().write16(ConfigSpace.COMMAND, 0);
        assertEquals("PCI 3.0 6.2.2: no memory decoding, a master abort reads all ones", -1, bar0.read32(0x10));
        bar0.write32(0x10, 6);
        function.config().write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_MEMORY_SPACE);
        assertEquals("the write with decoding off was dropped", 5, bar0.read32(0x10));
    }

    @Test
    public void aModelThatThrowsDoesNotReachTheDriver() throws IOException {
        RegisterIo bar0 = function.bar(0);
        bar0.write32(TestModel.THROW, 1);
        assertEquals("the machine still works", 0, bar0.read32(0x10));
    }

    @Test
    public void revokingAnUnpluggedFunctionIsHarmlessAndAForeignOneRefused() {
        machine.unplug(SLOT3);
        machine.revokeHandles(function);
        assertFalse(function.isPresent());
        Machine other = Machines.machine(models);
        try {
            EmulatedFunction foreign = (EmulatedFunction) other.plug(SLOT3, "test", Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> machine.revokeHandles(foreign));
            assertTrue(e.getMessage(), e.getMessage().endsWith("is not a function of the emulated machine"));
        } finally {
            other.close();
        }
    }
}

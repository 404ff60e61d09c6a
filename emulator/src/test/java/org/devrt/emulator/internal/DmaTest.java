package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.Machines.SLOT3;
import static org.devrt.emulator.internal.Machines.SLOT5;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS_DMA_DONE;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS_DMA_ERROR;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.devrt.emulator.internal.model.DmaFault;
import org.devrt.hw.DmaRegion;
import org.devrt.pci.ConfigSpace;
import org.junit.After;
import org.junit.Test;

/** Device-side DMA: the generic device's copy, and every way the bus refuses a DMA without throwing at anyone. */
public class DmaTest {
    private final TestModel.Factory models = TestModel.factory();
    private Machine machine = Machines.machine(models);

    @After
    public void shutDown() {
        machine.close();
    }

    @Test
    public void theGenericCopyMovesBytesBetweenTwoRegions() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT5, "generic");
        GenericDriver driver = new GenericDriver(function).busMaster(true);
        DmaRegion src = function.dmaMemory().allocate(8192);
        DmaRegion dst = function.dmaMemory().allocate(8192);
        ByteBuffer in = src.buffer();
        for (int i = 0; i < 8192; i++) {
            in.put(i, (byte) (i * 7));
        }
        int status = driver.copy(src.physicalAddress() + 4, dst.physicalAddress() + 8, 8000);
        assertEquals("STATUS after a good copy", STATUS_DMA_DONE, status);
        ByteBuffer out = dst.buffer();
        for (int i = 0; i < 8000; i++) {
            assertEquals("byte " + i + " of the copy", in.get(i + 4), out.get(i + 8));
        }
        assertEquals("bytes before the destination untouched", 0, out.getLong(0));
        assertEquals(0, function.host().faults());
    }

    @Test
    public void dmaWithBusMasteringOffIsRefusedAndReportedNotThrown() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT5, "generic");
        DmaRegion region = function.dmaMemory().allocate(4096);
        int status = new GenericDriver(function).copy(region.physicalAddress(), region.physicalAddress() + 64, 64);
        assertEquals("PCI 3.0 6.2.2: without Bus Master (Command bit 2) the device may not DMA", STATUS_DMA_ERROR,
                status);
        assertEquals("the refusal is counted", 1, function.host().faults());
        assertTrue(function.host().lastFault(), function.host().lastFault().endsWith(
                "by 0000:00:05.0 refused: bus mastering is off (Command bit 2 clear)"));
        assertEquals("not a master abort: no transaction was started", 0,
                function.config().read16(ConfigSpace.STATUS) & Type0Config.STATUS_RECEIVED_MASTER_ABORT);
    }

    @Test
    public void dmaOutsideMemoryIsRefusedAndSetsReceivedMasterAbort() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT5, "generic");
        DmaRegion region = function.dmaMemory().allocate(4096);
        int status = new GenericDriver(function).busMaster(true).copy(0, region.physicalAddress(), 16);
        assertEquals("a copy from bus address 0 fails with a device error", STATUS_DMA_ERROR, status);
        assertTrue(function.host().lastFault(), function.host().lastFault().startsWith(
                "DMA read of 16 bytes at 0x0 by 0000:00:05.0 refused: outside physical memory 0x100000000-"));
        assertEquals("PCI 3.0 6.2.3: Received Master Abort is set", Type0Config.STATUS_RECEIVED_MASTER_ABORT,
                function.config().read16(ConfigSpace.STATUS) & Type0Config.STATUS_RECEIVED_MASTER_ABORT);
        assertEquals("nothing was written", 0, region.buffer().getLong(0));
    }

    @Test
    public void dmaPastTheEndOfMemoryIsRefused() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT5, "generic");
        long last = Machines.BASE + Machines.MEMORY - 8;
        DmaRegion region = function.dmaMemory().allocate(4096);
        int status = new GenericDriver(function).busMaster(true).copy(region.physicalAddress(), last, 16);
        assertEquals(STATUS_DMA_ERROR, status);
    }

    @Test
    public void dmaIntoAnotherFunctionsRegionIsRefusedWhenOwnershipIsChecked() throws IOException {
        EmulatedFunction a = Machines.plug(machine, SLOT3, "generic");
        EmulatedFunction b = Machines.plug(machine, SLOT5, "generic");
        DmaRegion theirs = a.dmaMemory().allocate(4096);
        DmaRegion mine = b.dmaMemory().allocate(4096);
        int status = new GenericDriver(b).busMaster(true).copy(theirs.physicalAddress(), mine.physicalAddress(), 16);
        assertEquals("b may not read a's region", STATUS_DMA_ERROR, status);
        assertTrue(b.host().lastFault(), b.host().lastFault().endsWith("not inside one DMA region allocated for this "
                + "function"));
    }

    @Test
    public void withoutOwnershipCheckingAnyMemoryIsReachable() throws IOException {
        machine.close();
        machine = Machines.machine(false);
        EmulatedFunction a = Machines.plug(machine, SLOT3, "generic");
        EmulatedFunction b = Machines.plug(machine, SLOT5, "generic");
        DmaRegion theirs = a.dmaMemory().allocate(4096);
        DmaRegion mine = b.dmaMemory().allocate(4096);
        int status = new GenericDriver(b).busMaster(true).copy(theirs.physicalAddress(), mine.physicalAddress(), 16);
        assertEquals(STATUS_DMA_DONE, status);
    }

    @Test
    public void aModelSeesACheckedDmaFaultNotARuntimeException() throws IOException, DmaFault {
        EmulatedFunction function = Machines.plug(machine, SLOT3, "test");
        new GenericDriver(function).busMaster(true);
        DmaRegion region = function.dmaMemory().allocate(4096);
        TestModel model = models.last;
        model.host.dmaWrite32(region.physicalAddress() + 4, 0x11223344);
        assertEquals("little-endian in memory", 0x44, region.buffer().get(4));
        assertEquals(0x11223344, model.host.dmaRead32(region.physicalAddress() + 4));
        assertEquals(0x11223344_00000000L, model.host.dmaRead64(region.physicalAddress()));
        DmaFault fault = assertThrows(DmaFault.class, () -> model.host.dmaRead32(region.physicalAddress() - 4));
        assertTrue(fault.getMessage(), fault.getMessage().contains("refused"));
    }

    @Test
    public void afterARevocationTheDeviceCannotReachTheOldRegions() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT3, "test");
        new GenericDriver(function).busMaster(true);
        long old = function.dmaMemory().allocate(4096).physicalAddress();
        machine.revokeHandles(function);
        new GenericDriver(function).busMaster(true);
        assertThrows("the region was freed with the handles", DmaFault.class, () -> models.last.host.dmaRead32(old));
    }

    @Test
    public void aMappedDirectBufferIsReachedInPlaceUntilItIsUnmapped() throws IOException, DmaFault {
        EmulatedFunction function = Machines.plug(machine, SLOT3, "test");
        new GenericDriver(function).busMaster(true);
        ByteBuffer client = ByteBuffer.allocateDirect(10_000);
        client.position(100).limit(100 + 8192);
        DmaRegion mapping = function.dmaMemory().map(client, true);
        assertEquals("position untouched", 100, client.position());
        assertEquals("bus address page-aligned", 0, mapping.physicalAddress() % 4096);
        assertTrue("above physical memory", mapping.physicalAddress() >= BusMappings.BASE);
        assertEquals(8192, mapping.size());
        TestModel model = models.last;
        model.host.dmaWrite32(mapping.physicalAddress() + 4, 0x11223344);
        assertEquals("the device wrote the client's buffer, little-endian", 0x44, client.get(100 + 4));
        client.putInt(100 + 8188, 0x55667788);
        assertEquals(0x55667788, Integer.reverseBytes(model.host.dmaRead32(mapping.physicalAddress() + 8188)));
        assertThrows("one byte past the mapping", DmaFault.class,
                () -> model.host.dmaRead32(mapping.physicalAddress() + 8189));
        mapping.close();
        assertThrows("unmapped", DmaFault.class, () -> model.host.dmaRead32(mapping.physicalAddress()));
        assertTrue(function.host().lastFault(), function.host().lastFault().endsWith(
                "not inside a mapped buffer (never mapped, or unmapped)"));
        assertEquals(0, machine.memory().mappings().count());
    }

    @Test
    public void aBufferMappedForTheDeviceToReadCannotBeWrittenByIt() throws IOException {
        EmulatedFunction function = Machines.plug(machine, SLOT3, "test");
        new GenericDriver(function).busMaster(true);
        ByteBuffer client = ByteBuffer.allocateDirect(4096);
        DmaRegion mapping = function.dmaMemory().map(client, false);
        DmaFault fault = assertThrows(DmaFault.class,
                () -> models.last.host.dmaWrite32(mapping.physicalAddress(), 1));
        assertTrue(fault.getMessage(), fault.getMessage().endsWith("mapped for the device to read only"));
        assertEquals("nothing written", 0, client.getInt(0));
        assertThrows("a read-only buffer cannot be mapped for the device to write", IllegalArgumentException.class,
                () -> function.dmaMemory().map(client.asReadOnlyBuffer(), true));
    }

    @Test
    public void heapBuffersAreNotMappedAndAnotherFunctionCannotReachAMapping() throws IOException {
        EmulatedFunction a = Machines.plug(machine, SLOT3, "test");
        TestModel modelA = models.last;
        EmulatedFunction b = Machines.plug(machine, SLOT5, "generic");
        assertEquals("a heap buffer may move: the driver must copy", null,
                a.dmaMemory().map(ByteBuffer.allocate(4096), true));
        DmaRegion theirs = a.dmaMemory().map(ByteBuffer.allocateDirect(4096), true);
        DmaRegion mine = b.dmaMemory().allocate(4096);
        int status = new GenericDriver(b).busMaster(true).copy(theirs.physicalAddress(), mine.physicalAddress(), 16);
        assertEquals("b may not read a's mapping", STATUS_DMA_ERROR, status);
        assertTrue(b.host().lastFault(), b.host().lastFault().endsWith("mapped for another function"));
        new GenericDriver(a).busMaster(true);
        ByteBuffer stale = ByteBuffer.allocateDirect(4096);
        DmaRegion next = a.dmaMemory().map(stale, true);
        assertTrue("a bus address is never handed out twice",
                next.physicalAddress() > theirs.physicalAddress() + 4096);
        machine.revokeHandles(a);
        new GenericDriver(a).busMaster(true);
        assertThrows("the detach unmapped what its driver left mapped", DmaFault.class,
                () -> modelA.host.dmaWrite32(next.physicalAddress(), 1));
        assertEquals(0, machine.memory().mappings().count());
    }
}

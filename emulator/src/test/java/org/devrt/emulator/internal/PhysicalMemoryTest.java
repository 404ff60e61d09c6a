package org.devrt.emulator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;

public class PhysicalMemoryTest {
    private static final long BASE = 0x1_0000_0000L;
    private final Object owner = new Object();
    private final PhysicalMemory memory = new PhysicalMemory(BASE, 1 << 20, true);

    @Test
    public void allocationsArePageAlignedBusAddressesAboveTheBase() throws IOException {
        PhysicalMemory.Block block = memory.allocate(100, 16, owner, "test");
        assertEquals("a small alignment becomes a page", 0, block.address() % 4096);
        assertTrue("bus address 0x" + Long.toHexString(block.address()) + " is not above the base",
                block.address() >= BASE);
        assertEquals("whole pages are taken", 4096, block.length());
    }

    @Test
    public void allocationsHonourALargerPowerOfTwoAlignment() throws IOException {
        memory.allocate(4096, 4096, owner, "test");
        PhysicalMemory.Block block = memory.allocate(4096, 0x10000, owner, "test");
        assertEquals("0x" + Long.toHexString(block.address()) + " is not 64 KiB aligned", 0,
                block.address() % 0x10000);
    }

    @Test
    public void theMemoryItselfIsPageAlignedAndLittleEndian() throws IOException {
        ByteBuffer view = memory.view(memory.allocate(4096, 4096, owner, "test"), 4096);
        assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
        assertTrue("direct buffer", view.isDirect());
        assertEquals("offset of the memory from a page boundary", 0, view.alignmentOffset(0, 4096));
    }

    @Test
    public void theMemoryIsZeroBeforeAnythingTouchesItAndLeavesNoFileBehind() throws IOException {
        PhysicalMemory big = new PhysicalMemory(BASE, 64 << 20, false);
        PhysicalMemory.Block last = null;
        for (int i = 0; i < 16; i++) {
            last = big.allocate(4 << 20, 4096, owner, "test");
        }
        assertEquals(0, big.read64(last.address() + (4 << 20) - 8));
        big.write64(last.address(), 42);
        assertEquals(42, big.read64(last.address()));
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals("temporary files of the memory left behind", List.of(),
                    files.filter(f -> f.getFileName().toString().startsWith("devrt-memory-")).toList());
        }
    }

    @Test
    public void allocatedMemoryIsZeroedEvenWhenReused() throws IOException {
        PhysicalMemory.Block block = memory.allocate(4096, 4096, owner, "test");
        memory.view(block, 4096).putLong(0, -1L);
        memory.free(block);
        PhysicalMemory.Block again = memory.allocate(4096, 4096, owner, "test");
        assertEquals("the freed page is reused first", block.address(), again.address());
        assertEquals("reused page is zeroed", 0, memory.view(again, 4096).getLong(0));
    }

    @Test
    public void exhaustionSaysHowMuchIsLeft() throws IOException {
        memory.allocate((1 << 20) - 8192, 4096, owner, "test");
        IOException e = assertThrows(IOException.class, () -> memory.allocate(16384, 4096, owner, "0000:00:03.0"));
        assertEquals("DMA memory exhausted: 0000:00:03.0 asked for 16384 bytes aligned to 4096; 8192 of 1048576 "
                + "bytes free, the largest free block has 8192", e.getMessage());
    }

    @Test
    public void freeGivesTheBytesBack() throws IOException {
        PhysicalMemory.Block block = memory.allocate(8192, 4096, owner, "test");
        assertEquals((1 << 20) - 8192, memory.available());
        memory.free(block);
        assertEquals(1 << 20, memory.available());
    }

    @Test
    public void deviceAccessOutsideMemoryIsRefused() {
        assertNotNull("address 0", memory.refusal(0, 4, owner));
        assertNotNull("one byte past the end", memory.refusal(BASE + (1 << 20) - 3, 4, owner));
        assertNotNull("wrap-around", memory.refusal(Long.MAX_VALUE, 4, owner));
        assertTrue(memory.refusal(0, 4, owner).contains("outside physical memory 0x100000000-0x1000fffff"));
    }

    @Test
    public void deviceAccessMustStayInsideARegionOfItsOwner() throws IOException {
        PhysicalMemory.Block mine = memory.allocate(4096, 4096, owner, "test");
        PhysicalMemory.Block theirs = memory.allocate(4096, 4096, new Object(), "other");
        assertNull("inside my block", memory.refusal(mine.address() + 4092, 4, owner));
        assertNotNull("someone else's block", memory.refusal(theirs.address(), 4, owner));
        assertNotNull("running off my block", memory.refusal(mine.address() + 4092, 8, owner));
        assertNotNull("free memory", memory.refusal(BASE + 0x80000, 4, owner));
    }

    @Test
    public void withoutOwnershipAnyAddressInMemoryIsReachable() {
        PhysicalMemory open = new PhysicalMemory(BASE, 1 << 20, false);
        assertNull(open.refusal(BASE + 0x80000, 4096, owner));
    }
}

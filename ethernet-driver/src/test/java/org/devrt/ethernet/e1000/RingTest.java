package org.devrt.ethernet.e1000;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;

import org.junit.Test;

/** Ring sizes, index arithmetic and wrap-around, and the physical/virtual pairing of buffers. */
public class RingTest {
    @Test
    public void indicesWrapWithTheMask() throws IOException {
        try (Ring r = Ring.allocate(new FakeDma(1 << 20), 16)) {
            assertEquals(15, r.mask);
            assertEquals(0, r.next(15));
            assertEquals(8, r.next(7));
            assertEquals(15, r.previous(0));
            assertEquals(6, r.previous(7));
        }
    }

    @Test
    public void distanceCountsForwardAcrossTheWrap() throws IOException {
        try (Ring r = Ring.allocate(new FakeDma(1 << 20), 16)) {
            assertEquals(0, r.distance(5, 5));
            assertEquals(3, r.distance(5, 8));
            assertEquals(4, r.distance(14, 2));
            assertEquals(15, r.distance(1, 0));
        }
    }

    @Test
    public void descriptorLengthIsSixteenBytesEachAndBuffersAre2048Apart() throws IOException {
        FakeDma dma = new FakeDma(1 << 20);
        try (Ring r = Ring.allocate(dma, 32)) {
            assertEquals(512, r.lengthInBytes());
            assertEquals(0, r.descriptors.physicalAddress() % 4096);
            assertEquals(0, r.buffers.physicalAddress() % 4096);
            assertEquals(r.buffers.physicalAddress() + 3 * 2048, r.bufferAddress(3));
            assertEquals(3 * 2048, Ring.bufferOffset(3));
            assertEquals(32 * 2048, r.buffers.size());
        }
    }

    @Test
    public void sizeMustBeAPowerOfTwoAndAWholeNumberOf128ByteUnits() {
        for (int bad : new int[] {0, 4, 12, 24, 8192}) {
            assertThrows("size " + bad, IllegalArgumentException.class, () -> Ring.checkSize(bad));
        }
        Ring.checkSize(8);
        Ring.checkSize(4096);
    }

    @Test
    public void closeGivesBothRegionsBackAndAFailedAllocationLeaksNothing() throws IOException {
        FakeDma dma = new FakeDma(1 << 20);
        long start = dma.available();
        Ring.allocate(dma, 64).close();
        assertEquals(start, dma.available());

        FakeDma small = new FakeDma(8192); // room for the descriptors, not for 8 x 2048 buffers + them
        assertThrows(IOException.class, () -> Ring.allocate(small, 8));
        assertEquals(8192, small.available());
    }
}

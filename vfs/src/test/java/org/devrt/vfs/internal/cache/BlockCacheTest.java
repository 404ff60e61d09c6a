package org.devrt.vfs.internal.cache;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.devrt.device.BlockDevice;
import org.devrt.device.DeviceGoneException;
import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

public class BlockCacheTest {
    /** A device that checks every buffer it is handed is direct and page-aligned. */
    private static class AlignmentChecking extends Forwarding {
        AlignmentChecking(BlockDevice d) {
            super(d);
        }

        @Override
        public void read(long lba, ByteBuffer dst) throws IOException {
            check(dst);
            super.read(lba, dst);
        }

        @Override
        public void write(long lba, ByteBuffer src) throws IOException {
            check(src);
            super.write(lba, src);
        }

        private static void check(ByteBuffer b) {
            assertTrue("direct", b.isDirect());
            assertEquals("page-aligned", 0, b.alignmentOffset(b.position(), Buffers.PAGE));
        }
    }

    @Test
    public void aPageTheDiskCannotTakeDoesNotFailReadsOfOtherPages() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 64);
        BlockCache cache = new BlockCache(new Forwarding(disk) {
            @Override
            public void write(long lba, ByteBuffer src) throws IOException {
                if (lba == 0) {
                    throw new IOException("WRITE FPDMA QUEUED lba 0 failed: uncorrectable error");
                }
                super.write(lba, src);
            }
        }, 0, 64, 4 * 4096); // four pages of 4 KiB
        cache.write(0, ByteBuffer.wrap(new byte[] {1}));
        for (int page = 1; page <= 6; page++) { // from the fourth on, a page must go to make room
            cache.read(page * 4096L, ByteBuffer.allocate(1));
        }
        IOException failed = assertThrows("the page is still dirty: a sync says it cannot be written", IOException.class,
                cache::sync);
        assertTrue(failed.getMessage(), failed.getMessage().contains("uncorrectable error"));
    }

    @Test
    public void onceADeviceFlushFailedNoLaterSyncSucceeds() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 64);
        BlockCache cache = new BlockCache(disk, 0, 64, 1 << 20);
        cache.write(0, ByteBuffer.wrap(new byte[] {1}));
        disk.failFlushes(1);
        assertThrows(IOException.class, cache::sync);
        // The page went to the disk before the flush failed, and is clean here: the next flush succeeds, but says
        // nothing of it. That sync returned normally before ("fsyncgate").
        IOException again = assertThrows(IOException.class, cache::sync);
        assertTrue(again.getMessage(), again.getMessage().startsWith("an earlier flush of the disk failed"));
        assertEquals("the cache names the failure", "FLUSH CACHE EXT failed: the disk could not write its cache",
                cache.flushFailure().getMessage());
    }

    @Test
    public void readsAndWritesAtAnyOffsetLandAtTheRegionsBlocks() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 200);
        BlockCache cache = new BlockCache(new AlignmentChecking(disk), 3, 101, 1 << 20); // last page is partial
        assertEquals(101 * 512, cache.size());
        byte[] data = new byte[9000];
        new Random(1).nextBytes(data);
        cache.write(4000, ByteBuffer.wrap(data));
        assertEquals(0, disk.writes.get());
        ByteBuffer back = ByteBuffer.allocate(9000);
        cache.read(4000, back);
        assertArrayEquals(data, back.array());
        cache.flush();
        assertArrayEquals(data, Arrays.copyOfRange(disk.image(), 3 * 512 + 4000, 3 * 512 + 4000 + 9000));
        cache.write(cache.size() - 10, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        cache.flush();
        assertEquals(10, disk.image()[(3 + 101) * 512 - 1]);
        assertEquals(0, disk.image()[(3 + 101) * 512]); // the block after the region is untouched
    }

    @Test
    public void syncWritesThenFlushesTheDevice() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 64);
        BlockCache cache = new BlockCache(disk, 0, 64, 1 << 20);
        cache.write(0, ByteBuffer.wrap(new byte[] {42}));
        assertEquals(4096, cache.dirtyBytes());
        cache.sync();
        assertEquals(42, disk.image()[0]);
        assertEquals(1, disk.flushes.get());
        assertEquals(0, cache.dirtyBytes());
    }

    /**
     * A disk with a volatile write cache may keep a later write and lose an earlier one: between writes of different
     * kinds the device is flushed, so the write order holds on the medium, not only in the order of completion.
     */
    @Test
    public void theDeviceIsFlushedBetweenKindsSoTheWriteOrderHoldsOnTheMedium() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 256);
        List<String> calls = new ArrayList<>();
        BlockCache cache = new BlockCache(new Forwarding(disk) {
            @Override
            public void write(long lba, ByteBuffer src) throws IOException {
                calls.add("write " + lba);
                super.write(lba, src);
            }

            @Override
            public void flush() throws IOException {
                calls.add("flush");
                super.flush();
            }
        }, 0, 256, 1 << 20);
        cache.write(3 * 4096, ByteBuffer.wrap(new byte[] {1}), BlockCache.DIRECTORY);
        cache.write(2 * 4096, ByteBuffer.wrap(new byte[] {1}), BlockCache.FAT_NEW);
        cache.write(0, ByteBuffer.wrap(new byte[] {1}), BlockCache.DATA);
        cache.write(8 * 4096, ByteBuffer.wrap(new byte[] {1}), BlockCache.DATA);
        cache.sync();
        assertEquals(List.of("write 0", "write 64", "flush", "write 16", "flush", "write 24", "flush"), calls);
        assertEquals("two barriers, then the sync's own flush", 2, cache.barriers());
        calls.clear();
        cache.write(3 * 4096, ByteBuffer.wrap(new byte[] {2}), BlockCache.DIRECTORY);
        cache.flush();
        assertEquals("nothing earlier since the last flush: no barrier", List.of("write 24"), calls);
    }

    @Test
    public void theCacheIsBoundedAndWritesBackWhatItEvicts() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 2048);
        BlockCache cache = new BlockCache(disk, 0, 2048, 4 * 4096);
        for (int page = 0; page < 100; page += 2) { // not contiguous: each eviction writes one page
            cache.write(page * 4096L + 7, ByteBuffer.wrap(new byte[] {(byte) page}));
        }
        assertTrue(cache.dirtyBytes() <= 4 * 4096);
        assertEquals(46, disk.writes.get());
        for (int page = 0; page < 100; page += 2) {
            ByteBuffer b = ByteBuffer.allocate(1);
            cache.read(page * 4096L + 7, b);
            assertEquals(page, b.get(0));
        }
    }

    @Test
    public void largeTransfersGoAroundTheCacheInFewRequests() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 4096);
        BlockCache cache = new BlockCache(new AlignmentChecking(disk), 0, 4096, 64 * 1024);
        byte[] data = new byte[1 << 20];
        new Random(2).nextBytes(data);
        cache.write(0, ByteBuffer.wrap(data));
        assertEquals(4, disk.writes.get()); // 4 x 256 KiB, written through
        ByteBuffer back = ByteBuffer.allocate(1 << 20);
        cache.read(0, back);
        assertEquals(4, disk.reads.get());
        assertArrayEquals(data, back.array());
    }

    @Test
    public void largeTransfersOfADirectPageAlignedBufferHandTheCallersBufferToTheDevice() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 4096);
        List<ByteBuffer> handed = new ArrayList<>();
        Forwarding recording = new AlignmentChecking(disk) {
            @Override
            public void write(long lba, ByteBuffer src) throws IOException {
                handed.add(src);
                super.write(lba, src);
            }
        };
        BlockCache cache = new BlockCache(recording, 0, 4096, 64 * 1024);
        ByteBuffer data = Buffers.allocate(1 << 20);
        new Random(3).ints(1 << 18).forEach(data::putInt);
        cache.write(0, data.flip());
        assertEquals("1 MiB from the caller's buffer in one request, not in staging-buffer pieces", 1,
                handed.size());
        assertEquals("a view of the caller's memory, not the cache's staging buffer", data.capacity(),
                handed.get(0).capacity());
        ByteBuffer back = Buffers.allocate(1 << 20);
        cache.read(0, back);
        assertEquals("1 MiB into the caller's buffer in one request", 1, disk.reads.get());
        assertEquals(data.rewind(), back.flip());
        // 16 bytes past a page boundary, for certain (allocateDirect's own address is malloc's: on Temurin 25 it
        // was once such that 16 bytes on was page-aligned, and the read went straight in): staged, still right
        ByteBuffer unaligned = Buffers.allocate((1 << 20) + 16).position(16);
        cache.read(0, unaligned);
        assertEquals("staged through the 256 KiB staging buffer", 1 + 4, disk.reads.get());
        assertEquals(data.rewind(), unaligned.flip().position(16));
    }

    @Test
    public void aCachedDirtyPageWinsOverTheMediumInALargeRead() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 4096);
        BlockCache cache = new BlockCache(disk, 0, 4096, 1 << 20);
        cache.write(20 * 4096 + 5, ByteBuffer.wrap(new byte[] {9}));
        ByteBuffer back = ByteBuffer.allocate(1 << 20);
        cache.read(0, back);
        assertEquals(9, back.get(20 * 4096 + 5));
    }

    @Test
    public void contiguousDirtyPagesAreFlushedInOneRequest() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 4096);
        BlockCache cache = new BlockCache(disk, 0, 4096, 1 << 20);
        for (int page = 0; page < 10; page++) {
            cache.write(page * 4096L, ByteBuffer.wrap(new byte[100]));
        }
        cache.write(50 * 4096L, ByteBuffer.wrap(new byte[100]));
        int before = disk.writes.get();
        cache.flush();
        assertEquals(2, disk.writes.get() - before);
    }

    @Test
    public void aFailedWriteBackKeepsThePagesDirty() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(512, 64);
        BlockCache cache = new BlockCache(disk, 0, 64, 1 << 20);
        cache.write(0, ByteBuffer.wrap(new byte[] {1}));
        disk.unplugAfterWrites(0);
        assertThrows(DeviceGoneException.class, cache::flush);
        assertEquals(4096, cache.dirtyBytes());
        cache.discard();
        assertEquals(0, cache.dirtyBytes());
    }

    @Test
    public void blocksLargerThanAPageMakeOnePagePerBlock() throws IOException {
        MemoryBlockDevice disk = new MemoryBlockDevice(8192, 8);
        BlockCache cache = new BlockCache(disk, 1, 7, 1 << 20);
        assertEquals(8192, cache.pageSize());
        cache.write(8190, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        cache.flush();
        assertEquals(3, disk.image()[2 * 8192]);
    }

    @Test
    public void rangesOutsideTheRegionAreRefused() {
        BlockCache cache = new BlockCache(new MemoryBlockDevice(512, 64), 0, 10, 1 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cache.read(5000, ByteBuffer.allocate(200)));
        assertEquals("bytes 5000+200 are not inside the region of 5120 bytes", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BlockCache(new MemoryBlockDevice(512, 64), 60, 10, 0));
    }
}

package org.devrt.ahci.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** READ/WRITE DMA EXT and FLUSH CACHE EXT through the BlockDevice, checked against the model's image file. */
public class AhciIoTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private ModelRig rig;
    private SataDisk disk;

    @Before
    public void attach() throws Exception {
        rig = new ModelRig(tmp.getRoot().toPath());
        rig.attach(Duration.ofSeconds(5));
        disk = rig.disk(0);
    }

    @After
    public void detach() {
        rig.close();
    }

    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Through the slots' buffers: heap buffers cannot be mapped for the device. */
    private void roundTrip(long lba, int blocks) throws Exception {
        byte[] data = random(blocks * 512, lba * 31 + blocks);
        ByteBuffer src = ByteBuffer.wrap(data);
        disk.write(lba, src);
        assertEquals("write advances the source's position", data.length, src.position());
        assertArrayEquals("image bytes at lba " + lba + " after writing " + blocks + " blocks", data,
                rig.imageBytes(lba, data.length));
        ByteBuffer dst = ByteBuffer.allocate(data.length);
        disk.read(lba, dst);
        assertEquals("read advances the destination's position", data.length, dst.position());
        assertArrayEquals("read back " + blocks + " blocks at lba " + lba, data, dst.array());
    }

    /**
     * With direct buffers, which the driver maps for the device from {@link SataDisk#COPYBREAK} up, between {@code offset} bytes of other data before
     * and after: the transfer must touch exactly its part of the buffer, and leave nothing mapped.
     */
    private void roundTripMapped(long lba, int blocks, int offset) throws Exception {
        byte[] data = random(blocks * 512, lba * 17 + blocks);
        ByteBuffer src = ByteBuffer.allocateDirect(offset + data.length + offset);
        src.position(offset).put(data).flip().position(offset);
        disk.write(lba, src);
        assertEquals("mapped write advances the source's position", offset + data.length, src.position());
        assertArrayEquals("image bytes at lba " + lba + " after a mapped write of " + blocks + " blocks", data,
                rig.imageBytes(lba, data.length));
        ByteBuffer dst = ByteBuffer.allocateDirect(offset + data.length + offset);
        byte[] fence = random(dst.capacity(), 99);
        dst.put(fence).clear().position(offset).limit(offset + data.length);
        disk.read(lba, dst);
        assertEquals("mapped read advances the destination's position", offset + data.length, dst.position());
        byte[] got = new byte[dst.capacity()];
        dst.clear().get(got);
        System.arraycopy(data, 0, fence, offset, data.length);
        assertArrayEquals("a mapped read of " + blocks + " blocks at lba " + lba + " lands at " + offset
                + " and nowhere else", fence, got);
        assertEquals("buffers left mapped after the transfers", 0, rig.mappedBuffers());
    }

    @Test
    public void oneBlockAtTheFirstAndTheLastLba() throws Exception {
        roundTrip(0, 1);
        roundTrip(disk.blockCount() - 1, 1);
    }

    @Test
    public void transfersWithinOnePrdAcrossPrdsAndAcrossCommands() throws Exception {
        roundTrip(1, 7); // part of one 32 KiB segment
        roundTrip(1000, 64); // exactly one segment
        roundTrip(2001, 65); // two PRDs
        roundTrip(5000, 256); // a full slot: four PRDs, 128 KiB
        roundTrip(7001, 257); // two commands
        roundTrip(disk.blockCount() - 2048, 2048); // 1 MiB, eight commands, to the last block
    }

    @Test
    public void directBuffersAreMappedForTheDeviceWithinOneCommandAndAcrossCommands() throws Exception {
        roundTripMapped(0, SataDisk.COPYBREAK / 512, 0);
        roundTripMapped(3, 41, 100); // not page-aligned in the buffer: the mapping's bus address still is
        roundTripMapped(1000, 2048, 4096); // 1 MiB: one command, where the slots' buffers take eight
        int perCommand = SataDisk.MAPPED_COMMAND_BYTES / 512;
        roundTripMapped(disk.blockCount() - perCommand - 3, perCommand + 3, 512); // two commands, to the last block
    }

    @Test
    public void smallDirectTransfersAreCopiedAndLandAsWell() throws Exception {
        roundTripMapped(17, 1, 8); // under the copybreak: through a slot's buffer
    }

    @Test
    public void readReturnsWhatIsOnTheMedium() throws Exception {
        byte[] data = random(4096, 7);
        rig.writeImage(300, data);
        ByteBuffer dst = ByteBuffer.allocateDirect(4096 + 100);
        dst.position(100);
        disk.read(300, dst);
        byte[] got = new byte[4096];
        dst.get(100, got);
        assertArrayEquals("read into a direct buffer at position 100", data, got);
    }

    @Test
    public void transfersOutsideTheDiskOrOfPartialBlocksAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> disk.read(0, ByteBuffer.allocate(511)));
        assertThrows(IllegalArgumentException.class, () -> disk.read(disk.blockCount(), ByteBuffer.allocate(512)));
        assertThrows(IllegalArgumentException.class, () -> disk.write(disk.blockCount() - 1, ByteBuffer.allocate(1024)));
        assertThrows(IllegalArgumentException.class, () -> disk.read(-1, ByteBuffer.allocate(512)));
        assertThrows(IllegalArgumentException.class, () -> disk.read(0, ByteBuffer.allocate(512).asReadOnlyBuffer()));
    }

    @Test
    public void emptyTransferDoesNothing() throws Exception {
        disk.read(disk.blockCount(), ByteBuffer.allocate(0));
    }

    @Test
    public void flushCacheExtCompletes() throws Exception {
        roundTrip(10, 8);
        disk.flush();
    }

    @Test
    public void thirtyTwoConcurrentRequestsAllLandWhereTheyBelong() throws Exception {
        concurrentRoundTrips(disk, 32, 8, false);
    }

    /**
     * {@code threads} threads, started together, each writing and reading back {@code rounds} transfers of 1 to 96
     * blocks (one or two PRDs) in its own part of the disk; some also flush after each write when {@code flush}.
     */
    static void concurrentRoundTrips(SataDisk disk, int threads, int rounds, boolean flush) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        int blocks = 1 + (id * 7 + round * 13) % 96;
                        long lba = id * 1000L + round * 100;
                        byte[] data = random(blocks * 512, id * 100 + round);
                        disk.write(lba, ByteBuffer.wrap(data));
                        if (flush && id % 8 == 0) {
                            disk.flush();
                        }
                        ByteBuffer back = ByteBuffer.allocate(data.length);
                        disk.read(lba, back);
                        assertArrayEquals("thread " + id + " round " + round, data, back.array());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

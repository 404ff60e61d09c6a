package org.devrt.ahci.internal;

import static org.junit.Assume.assumeTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A rough throughput figure, not a benchmark (the JMH benchmarks are the benchmarks module's business): sequential
 * 1 MiB transfers at queue depth 1 and random 4 KiB reads and writes at queue depth 32, two seconds each. Runs
 * only when asked: {@code mvn -pl ahci-driver test -Dtest=ThroughputProbeTest -Dahci.throughput=true}; add
 * {@code -Dahci.ncq=false} to measure without NCQ (READ/WRITE DMA EXT, which the HBA runs one at a time), and
 * {@code -Dahci.delay=1} to give every command 1 ms of device latency (the model's {@code delay} option).
 */
public class ThroughputProbeTest {
    static final long SECONDS = 2;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void printRoughThroughput() throws Exception {
        assumeTrue("set -Dahci.throughput=true to measure", Boolean.getBoolean("ahci.throughput"));
        String ncq = System.getProperty("ahci.ncq", "true");
        String delay = System.getProperty("ahci.delay", "0");
        try (ModelRig rig = new ModelRig(tmp.getRoot().toPath(), "size0=64M", "ncq=" + ncq)) {
            rig.attach(Duration.ofSeconds(10));
            SataDisk disk = rig.disk(0);
            rig.model.delayCompletions(0, Long.parseLong(delay));
            System.out.printf("NCQ: %s, device latency %s ms%n", disk.port().queuing(), delay);
            sequential(disk, true); // warm-up
            System.out.printf("seq write 1 MiB QD1: %.0f MB/s%n", sequential(disk, true));
            System.out.printf("seq read  1 MiB QD1: %.0f MB/s%n", sequential(disk, false));
            System.out.printf("rand read  4 KiB QD32: %.0f IOPS%n", random(disk, false));
            System.out.printf("rand write 4 KiB QD32: %.0f IOPS%n", random(disk, true));
        }
    }

    private static double sequential(SataDisk disk, boolean write) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long blocks = (1 << 20) / disk.blockSize();
        long bytes = 0;
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        long start = System.nanoTime();
        for (long lba = 0; System.nanoTime() < end; lba = (lba + blocks) % (disk.blockCount() - blocks)) {
            buffer.clear();
            if (write) {
                disk.write(lba, buffer);
            } else {
                disk.read(lba, buffer);
            }
            bytes += 1 << 20;
        }
        return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    private static double random(SataDisk disk, boolean write) throws Exception {
        AtomicLong ops = new AtomicLong();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 32; t++) {
            Thread thread = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
                long pages = disk.blockCount() * disk.blockSize() / 4096;
                try {
                    while (System.nanoTime() < end) {
                        long lba = ThreadLocalRandom.current().nextLong(pages) * (4096 / disk.blockSize());
                        buffer.clear();
                        if (write) {
                            disk.write(lba, buffer);
                        } else {
                            disk.read(lba, buffer);
                        }
                        ops.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return ops.get() / ((System.nanoTime() - start) / 1e9);
    }
}

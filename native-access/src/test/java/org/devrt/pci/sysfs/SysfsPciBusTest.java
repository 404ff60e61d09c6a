package org.devrt.pci.sysfs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.devrt.pci.ConfigSpace;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SysfsPciBusTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private SysfsFixture sysfs;
    private SysfsPciBus bus;

    @Before
    public void buildTree() {
        sysfs = new SysfsFixture(temp.getRoot().toPath()).sampleMachine();
        bus = new SysfsPciBus(sysfs.devicesRoot());
    }

    /** Records what a listener is told, as "+0000:00:02.0" and "-0000:00:02.0". */
    private static final class Recorder implements PciBusListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void functionAdded(PciFunction function) {
            events.add("+" + function.address());
        }

        @Override
        public void functionRemoved(PciFunction function) {
            events.add("-" + function.address());
        }
    }

    private static List<String> addresses(List<PciFunction> functions) {
        return functions.stream().map(f -> f.address().toString()).collect(Collectors.toList());
    }

    @Test
    public void listsTheFunctionsInAddressOrderAfterTheFirstScan() {
        assertEquals("nothing is read before a scan", List.of(), bus.functions());
        bus.rescan();
        assertEquals("host", bus.id());
        assertEquals(List.of("0000:00:02.0", "0000:00:1f.2", "0000:01:00.0"), addresses(bus.functions()));
        assertEquals("host PCI (sysfs, read-only), 3 functions", bus.description());
    }

    @Test
    public void rescanReportsAnAddedAndARemovedFunction() throws IOException {
        bus.rescan();
        Recorder recorder = new Recorder();
        bus.subscribe(recorder);
        recorder.events.clear();

        sysfs.unplug("0000:00:02.0");
        sysfs.function("0000:00:1f.3").ids(0x8086, 0x2930, 0x1af4, 0x1100, 0x0c0500, 0x02).irq(16).resource()
                .config(new SysfsFixture.ConfigImage(256).header(0x8086, 0x2930, 0x0c0500, 2, 0x1af4, 0x1100).bytes);
        bus.rescan();

        assertEquals(List.of("-0000:00:02.0", "+0000:00:1f.3"), recorder.events);
        assertEquals(List.of("0000:00:1f.2", "0000:00:1f.3", "0000:01:00.0"), addresses(bus.functions()));
        bus.rescan();
        assertEquals("an unchanged tree reports nothing", 2, recorder.events.size());
    }

    @Test
    public void subscribeReplaysThePresentFunctionsInAddressOrderThenChanges() throws IOException {
        bus.rescan();
        Recorder recorder = new Recorder();
        bus.subscribe(recorder);
        assertEquals(List.of("+0000:00:02.0", "+0000:00:1f.2", "+0000:01:00.0"), recorder.events);
        sysfs.unplug("0000:01:00.0");
        bus.rescan();
        assertEquals("-0000:01:00.0", recorder.events.get(3));
    }

    @Test
    public void aClosedSubscriptionHearsNothingMore() throws IOException {
        bus.rescan();
        Recorder recorder = new Recorder();
        PciBus.Subscription subscription = bus.subscribe(recorder);
        subscription.close();
        sysfs.unplug("0000:00:02.0");
        bus.rescan();
        assertEquals(3, recorder.events.size());
    }

    @Test
    public void aFunctionKeepsItsSnapshotAcrossRescans() throws IOException {
        bus.rescan();
        PciFunction before = bus.functions().get(1);
        Files.writeString(sysfs.devicesRoot().resolve("0000:00:1f.2/vendor"), "0x1234\n");
        bus.rescan();
        assertSame(before, bus.functions().get(1));
        assertEquals(0x8086, bus.functions().get(1).vendorId());
    }

    @Test
    public void aFunctionWithBrokenFilesIsListedWithWhatCouldBeRead() {
        sysfs.garbledFunction();
        bus.rescan();
        assertEquals(List.of("0000:00:02.0", "0000:00:1f.2", "0000:00:1f.3", "0000:01:00.0"),
                addresses(bus.functions()));
        assertEquals("0c05", bus.functions().get(2).classCode().toString());
    }

    @Test
    public void aMissingRootGivesAnEmptyBus() {
        SysfsPciBus none = new SysfsPciBus(temp.getRoot().toPath().resolve("no/such/sysfs"));
        none.rescan();
        assertEquals(List.of(), none.functions());
        assertEquals("host PCI (sysfs, read-only), 0 functions", none.description());
    }

    @Test
    public void entriesThatAreNotFunctionsAreIgnored() throws IOException {
        Path root = sysfs.devicesRoot();
        Files.writeString(root.resolve("README"), "not a function\n");
        Files.createDirectory(root.resolve("0000:00:20.0")); // device 32
        bus.rescan();
        assertEquals(List.of("0000:00:02.0", "0000:00:1f.2", "0000:01:00.0"), addresses(bus.functions()));
    }

    @Test
    public void aFailingListenerDoesNotStopTheOthers() throws IOException {
        bus.rescan();
        bus.subscribe(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction function) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void functionRemoved(PciFunction function) {
                throw new IllegalStateException("listener bug");
            }
        });
        Recorder recorder = new Recorder();
        bus.subscribe(recorder);
        sysfs.unplug("0000:00:02.0");
        bus.rescan();
        assertEquals(List.of("+0000:00:02.0", "+0000:00:1f.2", "+0000:01:00.0", "-0000:00:02.0"), recorder.events);
    }

    @Test
    public void listenerCallsAreNeverConcurrent() throws Exception {
        AtomicBoolean inCall = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        PciBusListener slow = new PciBusListener() {
            @Override
            public void functionAdded(PciFunction function) {
                call();
            }

            @Override
            public void functionRemoved(PciFunction function) {
                call();
            }

            private void call() {
                if (!inCall.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
                Thread.onSpinWait();
                inCall.set(false);
            }
        };
        bus.subscribe(slow);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int index = t;
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        String address = String.format("0000:0%d:%02x.0", 2 + index, i);
                        sysfs.function(address).ids(0x8086, 0x100e, 0, 0, 0x020000, 0);
                        bus.rescan();
                        bus.subscribe(slow).close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertFalse("two listener calls overlapped", overlapped.get());
        assertEquals(3 + 80, bus.functions().size());
    }

    @Test
    public void hostFunctionsRefuseToBeDrivenAndTheirConfigRefusesWrites() {
        bus.rescan();
        for (PciFunction function : bus.functions()) {
            assertFalse(function.isAttachable());
            String message = "host function " + function.address() + " cannot be driven: the host backend is read-only";
            assertEquals(message, assertThrows(IOException.class, () -> function.bar(0)).getMessage());
            assertEquals(message, assertThrows(IOException.class, function::dmaMemory).getMessage());
            assertEquals(message, assertThrows(IOException.class, function::interruptLine).getMessage());
            ConfigSpace config = function.config();
            assertFalse(config.isWritable());
            assertEquals("host PCI config space is read-only", assertThrows(UnsupportedOperationException.class,
                    () -> config.write16(ConfigSpace.COMMAND, ConfigSpace.COMMAND_BUS_MASTER)).getMessage());
            assertThrows(UnsupportedOperationException.class, () -> config.write8(ConfigSpace.INTERRUPT_LINE, 5));
            assertThrows(UnsupportedOperationException.class, () -> config.write32(ConfigSpace.BAR0, -1));
        }
    }

    @Test
    public void scanningLeavesTheTreeUntouched() throws Exception {
        sysfs.garbledFunction();
        String before = digest(temp.getRoot().toPath());
        bus.rescan();
        bus.functions().forEach(f -> f.config().read32(0));
        assertEquals(before, digest(temp.getRoot().toPath()));
    }

    /** Every path, link target, size, modification time and content under {@code base}. */
    private static String digest(Path base) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted().collect(Collectors.toList())) {
                sha.update(path.toString().getBytes());
                if (Files.isSymbolicLink(path)) {
                    sha.update(Files.readSymbolicLink(path).toString().getBytes());
                } else if (Files.isRegularFile(path)) {
                    sha.update(Files.readAllBytes(path));
                    sha.update(Files.getLastModifiedTime(path).toString().getBytes());
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}

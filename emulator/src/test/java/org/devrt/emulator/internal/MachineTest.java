package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.Machines.SLOT3;
import static org.devrt.emulator.internal.Machines.SLOT5;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.devrt.hw.HandleRevokedException;
import org.devrt.hw.RegisterIo;
import org.devrt.pci.PciAddress;
import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.junit.After;
import org.junit.Test;

/** The machine as a PciBus: hot plug and unplug, subscribers, and what plug refuses. */
public class MachineTest {
    private final Machine machine = Machines.machine(TestModel.factory());
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final PciBusListener recorder = new PciBusListener() {
        @Override
        public void functionAdded(PciFunction function) {
            events.add("+" + function.address().toShortString());
        }

        @Override
        public void functionRemoved(PciFunction function) {
            events.add("-" + function.address().toShortString());
        }
    };

    @After
    public void shutDown() {
        machine.close();
    }

    @Test
    public void theBusIsEmulatedAndListsFunctionsInAddressOrder() {
        Machines.plug(machine, SLOT5, "generic");
        Machines.plug(machine, SLOT3, "test");
        assertEquals("emulated", machine.id());
        assertEquals(List.of(SLOT3, SLOT5), machine.functions().stream().map(PciFunction::address).toList());
        assertTrue(machine.description(), machine.description().startsWith("emulated machine (q35-like), 2 functions"));
        assertEquals(List.of("generic", "test"), machine.models());
    }

    /** An orderly removal lets a subscriber detach while the function still answers; unplug (surprise) does not. */
    @Test
    public void removeTellsSubscribersBeforeTheFunctionGoesAndUnplugDoesNot() {
        List<String> seen = new CopyOnWriteArrayList<>();
        machine.subscribe(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction function) {
            }

            @Override
            public void functionRemoving(PciFunction function) {
                seen.add("removing " + function.address().toShortString() + " present "
                        + ((EmulatedFunction) function).isPresent() + ", bus lock free "
                        + !machine.lock.isHeldByCurrentThread());
            }

            @Override
            public void functionRemoved(PciFunction function) {
                seen.add("removed " + function.address().toShortString());
            }
        });
        Machines.plug(machine, SLOT5, "generic");
        Machines.plug(machine, SLOT3, "generic");

        machine.remove(SLOT5);
        machine.unplug(SLOT3);

        assertEquals(List.of("removing 00:05.0 present true, bus lock free true", "removed 00:05.0",
                "removed 00:03.0"), seen);
    }

    @Test
    public void plugAndUnplugNotifySubscribersInOrderBeforeReturning() {
        machine.subscribe(recorder);
        Machines.plug(machine, SLOT5, "generic");
        assertEquals("told before plug returned", List.of("+00:05.0"), events);
        Machines.plug(machine, SLOT3, "generic");
        machine.unplug(SLOT5);
        assertEquals(List.of("+00:05.0", "+00:03.0", "-00:05.0"), events);
    }

    @Test
    public void subscribeReplaysThePresentFunctionsFirstInAddressOrder() {
        Machines.plug(machine, SLOT5, "generic");
        Machines.plug(machine, SLOT3, "generic");
        machine.subscribe(recorder);
        assertEquals(List.of("+00:03.0", "+00:05.0"), events);
    }

    @Test
    public void aClosedSubscriptionHearsNothingMore() {
        PciBus.Subscription subscription = machine.subscribe(recorder);
        subscription.close();
        Machines.plug(machine, SLOT5, "generic");
        assertEquals(List.of(), events);
    }

    @Test
    public void subscribersAreToldOfRemovalAfterTheHandlesAreRevoked() throws IOException {
        RegisterIo bar0 = Machines.plug(machine, SLOT5, "generic").bar(0);
        AtomicReference<String> seen = new AtomicReference<>();
        machine.subscribe(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction function) {
            }

            @Override
            public void functionRemoved(PciFunction function) {
                seen.set(assertThrows(HandleRevokedException.class, () -> bar0.read32(0)).getMessage());
            }
        });
        machine.unplug(SLOT5);
        assertEquals("BAR 0 handle revoked: 0000:00:05.0 was unplugged", seen.get());
    }

    @Test
    public void aSubscriberThatThrowsDoesNotStopTheOthers() {
        machine.subscribe(new PciBusListener() {
            @Override
            public void functionAdded(PciFunction function) {
                throw new IllegalStateException("subscriber bug on purpose");
            }

            @Override
            public void functionRemoved(PciFunction function) {
                throw new IllegalStateException("subscriber bug on purpose");
            }
        });
        machine.subscribe(recorder);
        Machines.plug(machine, SLOT5, "generic");
        machine.unplug(SLOT5);
        assertEquals(List.of("+00:05.0", "-00:05.0"), events);
    }

    /** A MachineConfig as Configuration Admin would give it, with these values. */
    private static MachineConfig config(long size, long base, boolean ownership) {
        return new MachineConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return MachineConfig.class;
            }

            @Override
            public long memory_size() {
                return size;
            }

            @Override
            public long memory_base() {
                return base;
            }

            @Override
            public boolean dma_ownership() {
                return ownership;
            }
        };
    }

    @Test
    public void theMemoryIsMadeAsConfigured() {
        PhysicalMemory memory = Machine.memoryFor(config(8 << 20, 0x2_0000_0000L, false));
        assertEquals(8 << 20, memory.size());
        assertEquals(0x2_0000_0000L, memory.base());
        assertEquals(false, memory.checksOwnership());
    }

    @Test
    public void aConfigurationThatCannotBeHonouredLeavesTheMachineOnItsDefaults() {
        for (MachineConfig wrong : List.of(config(12345, MachineConfig.DEFAULT_BASE, false),
                config(2L << 30, MachineConfig.DEFAULT_BASE, false), config(8 << 20, 0x1001, false))) {
            assertThrows(IllegalArgumentException.class, () -> Machine.memoryFor(wrong));
            Machine refusing = new Machine(wrong, null, Map.of("service.pid", "devrt.emulator.machine"));
            try {
                PhysicalMemory memory = refusing.memory();
                assertEquals(MachineConfig.DEFAULT_SIZE, memory.size());
                assertEquals(MachineConfig.DEFAULT_BASE, memory.base());
                assertTrue("the defaults check DMA ownership", memory.checksOwnership());
            } finally {
                refusing.close();
            }
        }
    }

    @Test
    public void plugRefusesAnUnknownModelNamingTheModels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(SLOT5, "e1001", Map.of()));
        assertEquals("unknown model 'e1001' (models: generic, test)", e.getMessage());
    }

    @Test
    public void plugRefusesATakenAddress() {
        Machines.plug(machine, SLOT5, "generic");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(SLOT5, "test", Map.of()));
        assertEquals("0000:00:05.0 is taken: generic 1b36:0005 is plugged there ('unplug 0000:00:05.0' frees it)",
                e.getMessage());
    }

    @Test
    public void plugRefusesAnAddressOffTheMachinesBus() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(PciAddress.parse("01:00.0"), "generic", Map.of()));
        assertEquals("the emulated machine has one bus, 0000:00; 0000:01:00.0 is not on it", e.getMessage());
    }

    @Test
    public void plugRefusesBadOptionsAndLeavesTheSlotFree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(SLOT5, "generic", Map.of("vendr", "1")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unknown option 'vendr' for model generic (options: "));
        e = assertThrows(IllegalArgumentException.class,
                () -> machine.plug(SLOT5, "generic", Map.of("bar0size", "1000")));
        assertEquals("option bar0size=1000 of model generic: must be a power of two", e.getMessage());
        assertEquals(List.of(), machine.functions());
    }

    @Test
    public void unplugOfAnEmptySlotIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> machine.unplug(SLOT5));
        assertEquals("no function at 0000:00:05.0 to unplug", e.getMessage());
    }

    @Test
    public void firmwareAssignsBarsAndEnablesDecodingButNotBusMastering() {
        PciFunction f = Machines.plug(machine, SLOT3, "test");
        f.bars().forEach(bar -> assertEquals("BAR " + bar.index() + " at 0x" + Long.toHexString(bar.address())
                + " is not size-aligned", 0, bar.address() % bar.size()));
        assertTrue("BAR 0 was given an address", f.bars().get(0).address() != 0);
        assertEquals("I/O and memory decoding on, bus master off", 0x3, f.config().read16(0x04));
    }

    @Test
    public void aReplugGetsANewFunctionAndTheOldOneStaysGone() {
        PciFunction first = Machines.plug(machine, SLOT5, "generic");
        machine.unplug(SLOT5);
        PciFunction second = Machines.plug(machine, SLOT5, "generic");
        assertTrue(first != second);
        assertSame(second, machine.functions().get(0));
        machine.revokeHandles(first);
    }

    @Test
    public void registerAccessWhileUnpluggingEitherWorksOrSaysRevoked() throws Exception {
        for (int round = 0; round < 20; round++) {
            RegisterIo bar0 = Machines.plug(machine, SLOT5, "generic").bar(0);
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> unexpected = new ArrayList<>();
            Thread driver = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        bar0.write32(0x40, bar0.read32(0x40) + 1);
                    } catch (HandleRevokedException e) {
                        return;
                    } catch (RuntimeException e) {
                        unexpected.add(e);
                        return;
                    }
                }
            });
            driver.start();
            Thread.sleep(2);
            machine.unplug(SLOT5);
            stop.set(true);
            driver.join(2000);
            assertEquals("round " + round + ": only HandleRevokedException may reach the driver", List.of(),
                    unexpected);
        }
    }

    @Test
    public void closingTheMachineUnplugsEveryFunction() {
        Machines.plug(machine, SLOT3, "generic");
        Machines.plug(machine, SLOT5, "generic");
        machine.subscribe(recorder);
        events.clear();
        machine.close();
        assertEquals(List.of("-00:05.0", "-00:03.0"), events);
        assertThrows(IllegalStateException.class, () -> machine.plug(SLOT3, "generic", Map.of()));
    }
}

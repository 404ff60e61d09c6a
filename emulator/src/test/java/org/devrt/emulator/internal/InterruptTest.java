package org.devrt.emulator.internal;

import static org.devrt.emulator.internal.Machines.SLOT3;
import static org.devrt.emulator.internal.Machines.SLOT5;
import static org.devrt.emulator.internal.generic.GenericModel.DOORBELL;
import static org.devrt.emulator.internal.generic.GenericModel.INT_ENABLE;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS;
import static org.devrt.emulator.internal.generic.GenericModel.STATUS_DOORBELL;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.devrt.hw.InterruptLine;
import org.devrt.pci.ConfigSpace;
import org.junit.After;
import org.junit.Test;

/** INTx#: level-triggered delivery on the machine's interrupt thread, masking, and handlers that misbehave. */
public class InterruptTest {
    private final Machine machine = Machines.machine();
    private final EmulatedFunction function = Machines.plug(machine, SLOT5, "generic");
    private final Semaphore calls = new Semaphore(0);
    private final GenericDriver driver;
    private final InterruptLine line;

    public InterruptTest() throws IOException {
        driver = new GenericDriver(function);
        line = function.interruptLine();
        driver.bar0.write32(INT_ENABLE, STATUS_DOORBELL);
    }

    @After
    public void shutDown() {
        machine.close();
    }

    /** Handler that acknowledges the doorbell, as a driver's would. */
    private void acknowledgingHandler() {
        line.attach(() -> {
            driver.bar0.write32(STATUS, driver.bar0.read32(STATUS));
            calls.release();
        });
    }

    private boolean called(long millis) throws InterruptedException {
        return calls.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    public void theDoorbellInterruptReachesTheHandlerOnTheMachinesThread() throws InterruptedException {
        AtomicReference<String> thread = new AtomicReference<>();
        line.attach(() -> {
            thread.set(Thread.currentThread().getName());
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
            calls.release();
        });
        driver.bar0.write32(DOORBELL, 1);
        assertTrue("the handler was not called within 2 s of the doorbell", called(2000));
        assertEquals("devrt-emulator-irq", thread.get());
        assertFalse("acknowledged: no second call", called(50));
        assertEquals("the line number is the one firmware routed", 16 + ((5 + 1 - 1) & 3), line.number());
    }

    @Test
    public void anInlineHandlerIsCalledOnTheWritingThreadBeforeItsWriteReturns() throws InterruptedException {
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger nested = new AtomicInteger();
        line.attachInline(() -> {
            if (thread.get() != null) {
                nested.incrementAndGet();
            }
            thread.set(Thread.currentThread());
            driver.bar0.write32(STATUS, STATUS_DOORBELL); // a write inside the handler: no nested call
            calls.release();
        });
        driver.bar0.write32(DOORBELL, 1);
        assertEquals("called before the doorbell write returned", 1, calls.availablePermits());
        assertEquals("on the writing thread", Thread.currentThread(), thread.get());
        assertTrue(called(0));
        assertFalse("acknowledged: no second call", called(50));
        assertEquals(0, nested.get());
    }

    @Test
    public void aPlainHandlerIsNeverCalledOnTheWritingThread() throws InterruptedException {
        AtomicReference<Thread> thread = new AtomicReference<>();
        line.attach(() -> {
            thread.set(Thread.currentThread());
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
            calls.release();
        });
        driver.bar0.write32(DOORBELL, 1);
        assertTrue(called(2000));
        assertEquals("devrt-emulator-irq", thread.get().getName());
    }

    @Test
    public void anInlineInterruptRaisedWhileItsHandlerRunsElsewhereIsDeliveredWhenThatCallEnds() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger callsSoFar = new AtomicInteger();
        line.attachInline(() -> {
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
            if (callsSoFar.incrementAndGet() == 1) {
                inHandler.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS); // the first call, on another thread, takes its time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            calls.release();
        });
        Thread first = new Thread(() -> driver.bar0.write32(DOORBELL, 1));
        first.start();
        assertTrue(inHandler.await(2, TimeUnit.SECONDS));
        driver.bar0.write32(DOORBELL, 1); // finds the call in progress: must not wait for it
        assertEquals("the second doorbell's write returned without waiting", 1, callsSoFar.get());
        release.countDown();
        first.join(2000);
        assertTrue("the first call ended", called(2000));
        assertTrue("the second interrupt was delivered after the first call ended", called(2000));
        assertEquals(2, callsSoFar.get());
    }

    @Test
    public void intxDisableMasksTheLineAndUnmaskingDeliversThePendingInterrupt() throws InterruptedException {
        acknowledgingHandler();
        driver.intxDisabled(true);
        driver.bar0.write32(DOORBELL, 1);
        assertFalse("PCI 3.0 6.2.2: Interrupt Disable (Command bit 10) keeps INTx# from the handler", called(100));
        assertEquals("PCI 3.0 6.2.3: Interrupt Status shows the pending interrupt even when masked",
                Type0Config.STATUS_INTERRUPT,
                function.config().read16(ConfigSpace.STATUS) & Type0Config.STATUS_INTERRUPT);
        driver.intxDisabled(false);
        assertTrue("unmasking delivers the interrupt still pending", called(2000));
        assertEquals("acknowledged: Interrupt Status clear", 0,
                function.config().read16(ConfigSpace.STATUS) & Type0Config.STATUS_INTERRUPT);
    }

    @Test
    public void aLineStillAssertedAfterTheHandlerIsCalledAgain() throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        line.attach(() -> {
            if (count.incrementAndGet() == 3) {
                driver.bar0.write32(STATUS, STATUS_DOORBELL);
            }
            calls.release();
        });
        driver.bar0.write32(DOORBELL, 1);
        assertTrue("level-triggered: three calls until acknowledged", calls.tryAcquire(3, 2, TimeUnit.SECONDS));
        assertFalse("no fourth call after the acknowledgement", called(50));
    }

    @Test
    public void aHandlerThatThrowsDoesNotKillTheInterruptThread() throws Exception {
        AtomicInteger count = new AtomicInteger();
        line.attach(() -> {
            if (count.incrementAndGet() == 1) {
                throw new IllegalStateException("driver bug on purpose");
            }
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
            calls.release();
        });
        driver.bar0.write32(DOORBELL, 1);
        assertTrue("the line is still served after the handler threw", called(2000));
        EmulatedFunction other = Machines.plug(machine, SLOT3, "generic");
        GenericDriver second = new GenericDriver(other);
        second.bar0.write32(INT_ENABLE, STATUS_DOORBELL);
        CountDownLatch otherCalled = new CountDownLatch(1);
        other.interruptLine().attach(() -> {
            second.bar0.write32(STATUS, STATUS_DOORBELL);
            otherCalled.countDown();
        });
        second.bar0.write32(DOORBELL, 1);
        assertTrue("another line is served too", otherCalled.await(2, TimeUnit.SECONDS));
    }

    @Test
    public void aSecondHandlerIsRefused() {
        line.attach(() -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> line.attach(() -> { }));
        assertEquals("an interrupt handler is attached to 0000:00:05.0 already", e.getMessage());
        line.detach();
        line.attach(() -> { });
    }

    @Test
    public void detachWaitsForTheCallInProgress() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        line.attach(() -> {
            inside.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
        });
        driver.bar0.write32(DOORBELL, 1);
        assertTrue(inside.await(2, TimeUnit.SECONDS));
        Thread detacher = new Thread(line::detach);
        detacher.start();
        detacher.join(100);
        assertTrue("detach returned while the handler was still running", detacher.isAlive());
        release.countDown();
        detacher.join(2000);
        assertFalse("detach did not return after the handler ended", detacher.isAlive());
    }

    @Test
    public void revokingTheHandlesDetachesTheHandler() throws Exception {
        acknowledgingHandler();
        machine.revokeHandles(function);
        GenericDriver next = new GenericDriver(function);
        next.bar0.write32(INT_ENABLE, STATUS_DOORBELL);
        next.bar0.write32(DOORBELL, 1);
        assertFalse("the old holder's handler is not called", called(100));
        line.detach();
        CountDownLatch nextCalled = new CountDownLatch(1);
        function.interruptLine().attach(() -> {
            next.bar0.write32(STATUS, STATUS_DOORBELL);
            nextCalled.countDown();
        });
        assertTrue("the next holder's handler gets the pending interrupt", nextCalled.await(2, TimeUnit.SECONDS));
    }

    @Test
    public void callsAreNeverConcurrent() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        line.attach(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            driver.bar0.write32(STATUS, STATUS_DOORBELL);
            inside.decrementAndGet();
            calls.release();
        });
        Thread[] ringers = new Thread[4];
        for (int t = 0; t < ringers.length; t++) {
            ringers[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    driver.bar0.write32(DOORBELL, i);
                }
            });
            ringers[t].start();
        }
        for (Thread t : ringers) {
            t.join();
        }
        assertTrue("at least one call", called(2000));
        assertEquals("handler calls overlapped", 0, overlaps.get());
    }
}

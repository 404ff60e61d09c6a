package org.devrt.network.internal.stack;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.testing.FakeClock;
import org.devrt.network.internal.testing.QueueLink;
import org.junit.Test;

/**
 * Frames that arrive from other threads while a poll holds the stack are taken by the holder after it lets go: an
 * owed poll. Under steady traffic the holder polls again and again; that nested once per poll (unlock, frameArrived,
 * poll, unlock ...), without bound, and a long enough run overflowed the thread's stack.
 */
public class OwedPollTest {
    private static final int POLLS = 30_000;

    @Test(timeout = 60_000)
    public void pollsOwedOneAfterAnotherDoNotNest() throws Exception {
        AtomicReference<Stack> stack = new AtomicReference<>();
        AtomicInteger polls = new AtomicInteger();
        Semaphore arrive = new Semaphore(0);
        Semaphore arrived = new Semaphore(0);
        Thread otherNic = new Thread(() -> { // a frame for the stack from another thread, while the poll holds it
            try {
                while (true) {
                    arrive.acquire();
                    stack.get().frameArrived(); // the stack is held: the poll is owed to the holder
                    arrived.release();
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        otherNic.setDaemon(true);
        otherNic.start();
        QueueLink link = new QueueLink(MacAddress.parse("52:54:00:12:34:56")) {
            @Override
            public ByteBuffer receive() {
                if (polls.incrementAndGet() < POLLS) {
                    arrive.release();
                    arrived.acquireUninterruptibly();
                }
                return null; // nothing for this poll itself
            }

            @Override
            public boolean transmit(ByteBuffer frame) {
                return true;
            }
        };
        stack.set(new Stack(StackConfig.DEFAULTS, new FakeClock(), () -> { }));
        stack.get().addInterface("eth0", link);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread poller = new Thread(null, () -> {
            try {
                stack.get().frameArrived();
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "poller", 512 * 1024);
        poller.start();
        poller.join();
        otherNic.interrupt();

        assertNull("the owed polls nested: " + failed.get(), failed.get());
        assertEquals("one poll per frame that arrived during the one before", POLLS, polls.get());
    }
}

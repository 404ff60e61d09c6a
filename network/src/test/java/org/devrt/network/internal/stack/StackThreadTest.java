package org.devrt.network.internal.stack;

import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.devrt.device.MacAddress;
import org.devrt.network.internal.testing.QueueLink;
import org.junit.Test;

/** The stack's own thread, {@code devrt-network}. */
public class StackThreadTest {

    /** An Error out of a poll (a refreshed bundle's LinkageError) is logged and the thread goes on polling. */
    @Test(timeout = 20_000)
    public void anErrorInAPollDoesNotEndTheThread() throws Exception {
        AtomicInteger receives = new AtomicInteger();
        QueueLink link = new QueueLink(MacAddress.parse("52:54:00:12:34:56")) {
            @Override
            public ByteBuffer receive() {
                if (receives.incrementAndGet() == 1) {
                    throw new NoClassDefFoundError("org/devrt/network/internal/Gone (its bundle was refreshed)");
                }
                return null;
            }

            @Override
            public boolean transmit(ByteBuffer frame) {
                return true;
            }
        };
        StackThread thread = new StackThread(StackConfig.DEFAULTS);
        try {
            thread.stack().addInterface("eth0", link);
            thread.start();
            thread.wake();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (receives.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
                thread.wake();
            }
            assertTrue("polls after the Error: " + (receives.get() - 1), receives.get() >= 2);
        } finally {
            thread.close();
        }
    }
}

package org.devrt.emulator.internal.ahci;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The image behind an emulated disk, against the threads that use it. */
public class AtaDiskTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private AtaDisk disk() throws Exception {
        Path image = folder.getRoot().toPath().resolve("d.img");
        return AtaDisk.open(image, 1 << 20, new IdentifyData.Strings("SN", "FW", "MODEL"), true);
    }

    private static ByteBuffer sector(int value) {
        ByteBuffer b = ByteBuffer.allocate(512);
        while (b.hasRemaining()) {
            b.put((byte) value);
        }
        return b.flip();
    }

    /**
     * A command runs on the thread that rang the doorbell, which Ctrl-C interrupts: the channel closed for good, the
     * disk failed every command after, and what the VFS had not written back was lost.
     */
    @Test(timeout = 10000)
    public void anInterruptOfAThreadUsingTheImageLeavesTheDiskWorkingAndTheInterruptToTheThread() throws Exception {
        try (AtaDisk disk = disk()) {
            disk.write(0, sector(7));
            var original = disk.channel();
            AtomicReference<Throwable> closedBy = new AtomicReference<>();
            Thread interrupted = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    original.read(ByteBuffer.allocate(1), 0); // as a thread interrupted inside the channel
                } catch (Exception e) {
                    closedBy.set(e);
                }
            });
            interrupted.start();
            interrupted.join();
            assertTrue(String.valueOf(closedBy.get()), closedBy.get() instanceof ClosedByInterruptException);
            assertFalse(original.isOpen());

            disk.write(512, sector(9)); // another thread's command: the image is opened again
            Thread.currentThread().interrupt(); // and a caller interrupted already
            ByteBuffer back = ByteBuffer.allocate(1024);
            disk.read(0, back);
            assertTrue("the caller's interrupt is kept for it", Thread.interrupted());
            assertEquals(7, back.get(0));
            assertEquals(9, back.get(1023));
            assertNotSame(original, disk.channel());
            assertTrue(disk.channel().isOpen());
            disk.flush();
        }
    }

    @Test(timeout = 10000)
    public void aClosedDiskStaysClosed() throws Exception {
        AtaDisk disk = disk();
        disk.close();
        assertThrows(java.nio.channels.ClosedChannelException.class, () -> disk.write(0, sector(1)));
    }
}

package org.devrt.vfs.internal.mount;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;

import org.devrt.vfs.internal.fakes.MemoryBlockDevice;
import org.junit.Test;

/** The Vfs service as one bundle sees it: what the bundle leaves open is closed when it lets the service go. */
public class BundleVfsTest {
    private final MountTable table = new MountTable();
    private final BundleVfs vfs = new BundleVfs(table, "test.leaky [42]");

    public BundleVfsTest() throws Exception {
        table.clock = Volumes.CLOCK;
        MemoryBlockDevice disk = Volumes.partitioned(30_000, new long[] {2048, 20_000, 16});
        assertTrue(table.mount("/mnt/sda1", "sda1", "dev-a", disk, 2048, 20_000, false));
    }

    /**
     * A channel a stopped bundle never closed stayed open until the volume was unmounted: its file could not be
     * deleted, and an unmount without -f was refused for it.
     */
    @Test(timeout = 5000)
    public void theFilesABundleLeftOpenAreClosedWhenItLetsTheServiceGoWithWhatItWrote() throws Exception {
        SeekableByteChannel leaked = vfs.open("/mnt/sda1/left.txt", StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        leaked.write(ByteBuffer.wrap("written, never closed".getBytes()));
        assertThrows("an open file cannot be deleted", FileSystemException.class,
                () -> table.delete("/mnt/sda1/left.txt"));

        vfs.deactivate();

        assertFalse("the bundle's channel is closed", leaked.isOpen());
        assertThrows(IOException.class, () -> leaked.write(ByteBuffer.wrap("x".getBytes())));
        assertEquals("what it wrote before is kept", 21, table.stat("/mnt/sda1/left.txt").size());
        table.unmount("/mnt/sda1", false); // refused while the file was open
    }

    @Test(timeout = 5000)
    public void aClosedChannelIsForgottenAndAnOpenThatFailsLeavesNothingBehind() throws Exception {
        try (SeekableByteChannel c = vfs.open("/mnt/sda1/a.txt", StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            assertEquals(1, vfs.openChannels());
            assertTrue(c.isOpen());
        }
        assertEquals(0, vfs.openChannels());
        assertThrows(NoSuchFileException.class, () -> vfs.open("/mnt/sda1/none.txt"));
        assertEquals(0, vfs.openChannels());
        vfs.deactivate();
        table.delete("/mnt/sda1/a.txt");
    }

    @Test(timeout = 5000)
    public void anOpenAfterTheBundleLetTheServiceGoIsRefusedAndLeavesTheFileClosed() throws Exception {
        vfs.deactivate();
        IOException e = assertThrows(IOException.class, () -> vfs.open("/mnt/sda1/late.txt",
                StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        assertEquals("/mnt/sda1/late.txt: the VFS service was released by test.leaky [42]", e.getMessage());
        table.unmount("/mnt/sda1", false);
    }
}

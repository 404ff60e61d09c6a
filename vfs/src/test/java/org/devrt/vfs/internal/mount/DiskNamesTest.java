package org.devrt.vfs.internal.mount;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DiskNamesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void namesAreSdLettersInBijectiveBase26() {
        assertEquals("sda", DiskNames.diskName(0));
        assertEquals("sdz", DiskNames.diskName(25));
        assertEquals("sdaa", DiskNames.diskName(26));
        assertEquals("sdzz", DiskNames.diskName(701));
        assertEquals("sdaaa", DiskNames.diskName(702));
    }

    @Test
    public void namesSurviveARestartThroughTheStore() throws Exception {
        Path store = tmp.getRoot().toPath().resolve(DiskNames.STORE);
        DiskNames first = new DiskNames(store);
        assertEquals("sda", first.nameOf("x"));
        assertEquals("sdb", first.nameOf("y"));
        assertEquals("sda", first.nameOf("x"));
        DiskNames again = new DiskNames(store);
        assertEquals("sdb", again.nameOf("y"));
        assertEquals("sdc", again.nameOf("z"));
        Files.writeString(store, "not = properties \\u12");
        assertEquals("sda", new DiskNames(store).nameOf("q"));
    }
}

package org.devrt.devicemanager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.nio.file.Path;

import org.junit.Test;

/** The device manager's {@code repository} setting read as a location: a value that is not one is named, not thrown. */
public class RepositoryLocationTest {

    @Test
    public void aUrlIsTakenAsWritten() {
        assertEquals(URI.create("http://localhost:8080/drivers/index.xml"),
                DeviceManager.repositoryLocation("http://localhost:8080/drivers/index.xml"));
    }

    @Test
    public void aUrlWithASpaceIsQuotedInsteadOfStoppingTheManager() {
        // URI.create threw IllegalArgumentException out of activate: no device manager, no 'ready', no driver at all
        assertEquals("http://localhost/my%20drivers/index.xml",
                DeviceManager.repositoryLocation("http://localhost/my drivers/index.xml").toString());
    }

    @Test
    public void aPathIsMadeAbsolute() {
        assertEquals(Path.of("runtime/drivers/index.xml").toAbsolutePath().toUri(),
                DeviceManager.repositoryLocation("runtime/drivers/index.xml"));
    }

    @Test
    public void blankMeansNoRepository() {
        assertNull(DeviceManager.repositoryLocation(" "));
    }

    @Test
    public void aValueThatIsNeitherUrlNorPathIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceManager.repositoryLocation("http://[broken/index.xml"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("repository=http://[broken/index.xml is not a usable URL"));
        e = assertThrows(IllegalArgumentException.class, () -> DeviceManager.repositoryLocation("drivers\u0000.xml"));
        assertTrue(e.getMessage(), e.getMessage().contains("is not a usable path"));
    }
}

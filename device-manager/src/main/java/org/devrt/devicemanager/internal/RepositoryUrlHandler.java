package org.devrt.devicemanager.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.url.AbstractURLStreamHandlerService;
import org.osgi.service.url.URLConstants;
import org.osgi.service.url.URLStreamHandlerService;

/**
 * The {@code devrt-repository:} URLs the device manager gives the driver bundles it installs ({@code
 * devrt-repository:file:/.../ethernet-driver.jar}): opening one reads the jar from the repository, as the index
 * lists it now and only when its SHA-256 is the index's. So Gogo's {@code update <id>} of such a bundle takes the
 * repository's current jar (the framework reads a bundle's location for an update without a URL); without this
 * handler it failed with "Unknown protocol: devrt-repository" and a page of stack trace.
 */
@Component(service = URLStreamHandlerService.class,
        property = URLConstants.URL_HANDLER_PROTOCOL + "=" + RepositoryUrlHandler.PROTOCOL)
public final class RepositoryUrlHandler extends AbstractURLStreamHandlerService {
    static final String PROTOCOL = "devrt-repository";

    @Reference
    DeviceManager manager;

    @Override
    public URLConnection openConnection(URL url) throws IOException {
        String jar = url.toExternalForm().substring(DriverInstaller.LOCATION_PREFIX.length());
        DriverCatalog catalog = manager.catalog();
        catalog.reloadIndex(); // an update comes after a rebuild: the index of now
        RepositoryIndex.Entry entry = catalog.index().entries().stream()
                .filter(e -> e.url().toString().equals(jar)).findFirst()
                .orElseThrow(() -> new IOException(jar + " is not in the driver repository's index ("
                        + catalog.repository() + ") any more"));
        byte[] content = DriverInstaller.verified(entry);
        return new URLConnection(url) {
            @Override
            public void connect() {
                connected = true;
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(content);
            }

            @Override
            public long getContentLengthLong() {
                return content.length;
            }
        };
    }
}

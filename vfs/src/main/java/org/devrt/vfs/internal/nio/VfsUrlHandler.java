package org.devrt.vfs.internal.nio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.file.StandardOpenOption;

import org.devrt.vfs.Vfs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.url.AbstractURLStreamHandlerService;
import org.osgi.service.url.URLConstants;
import org.osgi.service.url.URLStreamHandlerService;

/**
 * {@code devrt-vfs:} URLs, which {@link VfsPath#toUri()} makes: code that reads a path through its URL (Gogo's
 * {@code sort}, {@code source}, {@code gosh script}) reads the VFS file; without this handler it failed with
 * "Unknown protocol: devrt-vfs". Output truncates or creates the file, as a redirection does.
 */
@Component(service = URLStreamHandlerService.class,
        property = URLConstants.URL_HANDLER_PROTOCOL + "=" + VfsFileSystemProvider.SCHEME)
public final class VfsUrlHandler extends AbstractURLStreamHandlerService {
    private final Vfs vfs;

    @Activate
    public VfsUrlHandler(@Reference Vfs vfs) {
        this.vfs = vfs;
    }

    @Override
    public URLConnection openConnection(URL url) throws IOException {
        String path;
        try {
            path = new URI(url.toExternalForm()).getPath();
        } catch (URISyntaxException e) {
            throw new IOException(url + " is not a devrt-vfs: URL: " + e.getMessage());
        }
        if (path == null || !path.startsWith("/")) {
            throw new IOException(url + " names no absolute VFS path");
        }
        return new URLConnection(url) {
            @Override
            public void connect() throws IOException {
                Shown.call(() -> vfs.stat(path)); // it exists, or NoSuchFileException names it (Gogo prints it)
                connected = true;
            }

            @Override
            public InputStream getInputStream() throws IOException {
                return Channels.newInputStream(Shown.call(() -> vfs.open(path)));
            }

            @Override
            public OutputStream getOutputStream() throws IOException {
                return Channels.newOutputStream(Shown.call(() -> vfs.open(path, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)));
            }

            @Override
            public long getContentLengthLong() {
                try {
                    return vfs.stat(path).size();
                } catch (IOException e) {
                    return -1;
                }
            }
        };
    }
}

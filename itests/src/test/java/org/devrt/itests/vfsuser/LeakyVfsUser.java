package org.devrt.itests.vfsuser;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

import org.devrt.vfs.Vfs;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The activator of a bundle that opens the file its {@value #PATH} header names through the Vfs service, writes to
 * it, and never closes it, not even when it stops. Built into a bundle of its own by the test; the probe holds a copy
 * of this package too, and never loads it.
 */
public final class LeakyVfsUser implements BundleActivator {
    public static final String PATH = "Leaky-Path";
    public static final String TEXT = "written by a bundle that never closes its files\n";

    /** Held so that nothing but the framework's release of the bundle's services can close it. */
    private static SeekableByteChannel leaked;

    @Override
    public void start(BundleContext context) throws Exception {
        ServiceReference<Vfs> ref = context.getServiceReference(Vfs.class);
        if (ref == null) {
            throw new IllegalStateException("no Vfs service");
        }
        Vfs vfs = context.getService(ref);
        leaked = vfs.open(context.getBundle().getHeaders().get(PATH), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        leaked.write(ByteBuffer.wrap(TEXT.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void stop(BundleContext context) {
        // leaves the file open and the service got, as a careless bundle does
    }
}

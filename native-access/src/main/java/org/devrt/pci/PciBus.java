package org.devrt.pci;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A PCI bus (a whole hierarchy, in practice): a backend registers one service per bus it offers. Functions come
 * and go at run time (hot plug); subscribers are told.
 */
@ProviderType
public interface PciBus {
    /** Service property and {@link #id()} of the bus. */
    String BUS_ID = "devrt.pci.bus";

    /** A short stable id, e.g. {@code emulated} or {@code host}. */
    String id();

    /** One line for people, e.g. "emulated machine (q35-like), 2 functions". */
    String description();

    /** The functions present now, in address order. */
    List<PciFunction> functions();

    /**
     * Subscribes to hot-plug changes. The listener is first told of every function present (in address order,
     * on the caller's thread), then of changes as they happen, until the returned subscription is closed.
     */
    Subscription subscribe(PciBusListener listener);

    /** Looks for functions that appeared or went away and reports them to subscribers. */
    void rescan();

    /** A subscription to a bus's changes. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

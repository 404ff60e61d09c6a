package org.devrt.emulator.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.devrt.pci.PciBus;
import org.devrt.pci.PciBusListener;
import org.devrt.pci.PciFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's subscribers. Every call happens under the bus lock, which plug and unplug hold while they change the
 * bus, so calls are never concurrent and each subscriber sees the changes in the order they happened; a
 * subscriber that throws is logged and the others are still told.
 */
final class BusListeners {
    private static final Logger LOG = LoggerFactory.getLogger(BusListeners.class);

    private final ReentrantLock busLock;
    private final List<PciBusListener> listeners = new CopyOnWriteArrayList<>();

    BusListeners(ReentrantLock busLock) {
        this.busLock = busLock;
    }

    /** Tells {@code listener} of every function present (taken under the lock), then of each change until closed. */
    PciBus.Subscription subscribe(PciBusListener listener, Supplier<List<PciFunction>> present) {
        busLock.lock();
        try {
            present.get().forEach(f -> tell(listener, f, true));
            listeners.add(listener);
        } finally {
            busLock.unlock();
        }
        return () -> {
            busLock.lock();
            try {
                listeners.remove(listener);
            } finally {
                busLock.unlock();
            }
        };
    }

    /** Called under the bus lock. */
    void added(PciFunction function) {
        listeners.forEach(l -> tell(l, function, true));
    }

    /** An orderly removal is coming: each subscriber may detach its driver first. Called without the bus lock. */
    void removing(PciFunction function) {
        for (PciBusListener l : listeners) {
            try {
                l.functionRemoving(function);
            } catch (RuntimeException e) {
                LOG.error("bus subscriber {} threw on functionRemoving of {}; the others are told", l,
                        function.address(), e);
            }
        }
    }

    /** Called under the bus lock, once the function's handles are revoked. */
    void removed(PciFunction function) {
        listeners.forEach(l -> tell(l, function, false));
    }

    private static void tell(PciBusListener listener, PciFunction function, boolean added) {
        try {
            if (added) {
                listener.functionAdded(function);
            } else {
                listener.functionRemoved(function);
            }
        } catch (RuntimeException e) {
            LOG.error("bus subscriber {} threw on {} of {}; the others are told", listener,
                    added ? "functionAdded" : "functionRemoved", function.address(), e);
        }
    }
}

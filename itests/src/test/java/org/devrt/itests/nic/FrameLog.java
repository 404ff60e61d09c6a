package org.devrt.itests.nic;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.devrt.device.FrameReceiver;

/**
 * A {@link FrameReceiver} that keeps a copy of every frame a driver hands it (the driver only lends its buffer), in
 * the order they came. Thread-safe: the driver's receive thread adds, the test reads.
 */
final class FrameLog implements FrameReceiver {
    private final List<byte[]> frames = new ArrayList<>();

    @Override
    public void receive(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(frame.position(), copy);
        synchronized (frames) {
            frames.add(copy);
        }
    }

    /** Every frame received so far. */
    List<byte[]> all() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** The frames received so far that {@code which} accepts, in order. */
    List<byte[]> matching(Predicate<byte[]> which) {
        return all().stream().filter(which).toList();
    }

    int size() {
        synchronized (frames) {
            return frames.size();
        }
    }

    /** The frames received since the first {@code from}. */
    List<byte[]> since(int from) {
        List<byte[]> now = all();
        return now.subList(Math.min(from, now.size()), now.size());
    }
}

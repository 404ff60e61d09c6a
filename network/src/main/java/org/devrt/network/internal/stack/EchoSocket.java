package org.devrt.network.internal.stack;

import java.io.Closeable;
import java.io.IOException;

/**
 * What {@code ping} uses: sends ICMP echo requests with its identifier and receives the replies, and the errors
 * that quote its requests, each stamped with the stack's clock. A bounded queue of primitive fields: the stack's
 * thread allocates nothing to deliver.
 */
public final class EchoSocket implements Closeable, Stack.Readers {
    /**
     * A reply or an error.
     *
     * @param from who sent it
     * @param sequence the echo sequence number
     * @param ttl the TTL of the packet that carried it
     * @param icmpLength bytes of the ICMP message (header and data), as ping prints
     * @param receivedAt the stack's clock when it came
     * @param errorType -1 for an echo reply, else the ICMP error's type
     * @param errorCode the ICMP error's code
     * @param wrongByteAt in a reply, the index of the first data byte that is not the request's (byte {@code i} of
     *     a request is {@code i & 0xff}), or -1 when the data came back as sent
     * @param wrongByte that byte as it came back
     */
    public record Event(int from, int sequence, int ttl, int icmpLength, long receivedAt, int errorType, int errorCode,
            int wrongByteAt, int wrongByte) {
        public boolean isReply() {
            return errorType < 0;
        }
    }

    private static final int CAPACITY = 256;

    private final Stack stack;
    final int identifier;
    private final int[] from = new int[CAPACITY];
    private final int[] sequence = new int[CAPACITY];
    private final int[] ttl = new int[CAPACITY];
    private final int[] length = new int[CAPACITY];
    private final long[] at = new long[CAPACITY];
    private final int[] errorType = new int[CAPACITY];
    private final int[] errorCode = new int[CAPACITY];
    private final int[] wrongByteAt = new int[CAPACITY];
    private final int[] wrongByte = new int[CAPACITY];
    private int head;
    private int count;
    private boolean closed;
    /** Why the socket no longer works though its user has not closed it (the stack stopped), or null. */
    private String failure;

    EchoSocket(Stack stack, int identifier) {
        this.stack = stack;
        this.identifier = identifier;
    }

    public int identifier() {
        return identifier;
    }

    /**
     * Sends an echo request with {@code dataLength} bytes of data.
     *
     * @return the stack's clock when it was sent
     * @throws IOException "Network is unreachable", "Message too long", the socket is closed or has
     *         {@linkplain #failure() failed}
     */
    public long send(int destination, int seq, int dataLength) throws IOException {
        check();
        return stack.sendEcho(this, destination, seq, dataLength);
    }

    /** Why the socket no longer works though it was not closed (its stack stopped: every later call fails), or null. */
    public synchronized String failure() {
        return failure;
    }

    /** From the stack, which is going away: every call from now on fails with {@code message}. */
    synchronized void fail(String message) {
        failure = message;
        notifyAll();
    }

    private synchronized void check() throws IOException {
        if (closed) {
            throw new IOException("Socket is closed");
        }
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    /** Waits up to {@code timeoutNanos} (real time) for the next event; null when none came. */
    public synchronized Event receive(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (count == 0) {
            check();
            if (!Deadline.await(this, deadline)) {
                return null;
            }
        }
        int i = head;
        head = (head + 1) % CAPACITY;
        count--;
        return new Event(from[i], sequence[i], ttl[i], length[i], at[i], errorType[i], errorCode[i], wrongByteAt[i],
                wrongByte[i]);
    }

    /** The stack has released its lock after delivering. */
    @Override
    public synchronized void wakeReaders() {
        notifyAll();
    }

    /** From the stack, under its lock; an event that finds the queue full is dropped. */
    synchronized void deliver(int source, int seq, int hopTtl, int icmpLength, long now, int type, int code) {
        deliver(source, seq, hopTtl, icmpLength, now, type, code, -1, 0);
    }

    /** A reply whose data byte {@code badAt} came back as {@code bad} (-1: none did). */
    synchronized void deliverReply(int source, int seq, int hopTtl, int icmpLength, long now, int badAt, int bad) {
        deliver(source, seq, hopTtl, icmpLength, now, -1, 0, badAt, bad);
    }

    private void deliver(int source, int seq, int hopTtl, int icmpLength, long now, int type, int code, int badAt,
            int bad) {
        if (closed || count == CAPACITY) {
            return;
        }
        int i = (head + count) % CAPACITY;
        from[i] = source;
        sequence[i] = seq;
        ttl[i] = hopTtl;
        length[i] = icmpLength;
        at[i] = now;
        errorType[i] = type;
        errorCode[i] = code;
        wrongByteAt[i] = badAt;
        wrongByte[i] = bad;
        count++;
        stack.wakeAfterUnlock(this); // the reader wakes once the stack's lock is free
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
        stack.closeEcho(this);
    }
}

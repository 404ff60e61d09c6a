package org.devrt.network.internal.wire;

/**
 * Thrown by the value types' {@code parse} (never on the stack's data path, which uses the views and counts
 * {@link Malformed} reasons instead).
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Malformed reason;

    public MalformedPacketException(String protocol, Malformed reason) {
        super(protocol + ": " + reason.name().toLowerCase().replace('_', ' '));
        this.reason = reason;
    }

    /** Why the bytes were refused. */
    public Malformed reason() {
        return reason;
    }

    /** Throws for {@code reason} unless it is null (a view's check succeeded). */
    static void check(String protocol, Malformed reason) throws MalformedPacketException {
        if (reason != null) {
            throw new MalformedPacketException(protocol, reason);
        }
    }
}

package org.devrt.network.internal.stack;

import java.security.SecureRandom;

/**
 * The stack's source of values an off-path attacker must not predict (ephemeral ports, RFC 6056; IP identification
 * bases): a {@link SecureRandom}, made on first use (its set-up costs milliseconds, which a boot that sends nothing
 * need not pay). Thread-safe.
 */
final class Unpredictable {
    private Unpredictable() {
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /** A value from 0 (inclusive) to {@code bound} (exclusive). */
    static int nextInt(int bound) {
        return Holder.RANDOM.nextInt(bound);
    }

    static int nextInt() {
        return Holder.RANDOM.nextInt();
    }
}

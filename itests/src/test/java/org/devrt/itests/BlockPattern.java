package org.devrt.itests;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The content a test writes to one block: which block and which generation of it, then bytes that follow from
 * both, so that a block read back tells which write it came from (or that it is none of them). Generation 0 is a
 * block never written: all zeros, as in a fresh sparse image.
 */
final class BlockPattern {
    static final byte[] MAGIC = "DEVRTBLK".getBytes(StandardCharsets.US_ASCII);
    /** {@link #generation} of a block that is neither zeros nor a pattern of its LBA. */
    static final int FOREIGN = -1;

    private BlockPattern() {
    }

    /** The {@code size} bytes of block {@code lba} written as {@code generation} (1 or more; 0: zeros). */
    static ByteBuffer of(long lba, int generation, int size) {
        ByteBuffer block = ByteBuffer.allocate(size);
        if (generation == 0) {
            return block;
        }
        block.put(MAGIC).putLong(lba).putInt(generation);
        long x = lba * 0x9E3779B97F4A7C15L ^ generation * 0xC2B2AE3D27D4EB4FL ^ 1;
        while (block.hasRemaining()) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            block.put((byte) x);
        }
        return block.flip();
    }

    /** The generation {@code block} (its remaining bytes) holds as block {@code lba}; {@link #FOREIGN} if none. */
    static int generation(ByteBuffer block, long lba) {
        ByteBuffer b = block.duplicate();
        int size = b.remaining();
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        int generation = 0;
        if (Arrays.equals(magic, MAGIC) && b.getLong() == lba) {
            generation = b.getInt();
            if (generation <= 0) {
                return FOREIGN;
            }
        }
        return of(lba, generation, size).equals(block.duplicate()) ? generation : FOREIGN;
    }

    static String describe(int generation) {
        return generation == FOREIGN ? "bytes no write of this block wrote"
            : generation == 0 ? "zeros (never written)" : "generation " + generation;
    }
}

package org.devrt.hw;

import java.util.function.IntUnaryOperator;

/** An in-memory register window for tests: plain storage, with an optional hook that changes a value on read. */
final class MemoryRegisterFile implements RegisterIo {
    private final int[] words;
    private final IntUnaryOperator[] onRead;
    int reads;
    int writes;

    MemoryRegisterFile(int bytes) {
        words = new int[bytes / 4];
        onRead = new IntUnaryOperator[bytes / 4];
    }

    /** After each read of {@code offset}, its value becomes {@code next.applyAsInt(current)}. */
    void afterRead(int offset, IntUnaryOperator next) {
        onRead[offset / 4] = next;
    }

    @Override
    public long size() {
        return words.length * 4L;
    }

    @Override
    public int read32(int offset) {
        reads++;
        int value = words[offset / 4];
        if (onRead[offset / 4] != null) {
            words[offset / 4] = onRead[offset / 4].applyAsInt(value);
        }
        return value;
    }

    @Override
    public void write32(int offset, int value) {
        writes++;
        words[offset / 4] = value;
    }
}

package org.devrt.emulator.internal.net;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Writes a capture file in the classic libpcap format (what {@code tcpdump -w} writes and {@code tcpdump -r} reads):
 * a 24-byte global header (magic A1B2C3D4h, version 2.4, snapshot length 65535, link type 1 = LINKTYPE_ETHERNET),
 * then per frame a 16-byte record header (seconds, microseconds, captured length, original length) and the frame.
 * Little-endian, which readers recognise by the magic. Each frame is written through at once, so the file can be
 * read while the NIC runs. Thread-safe.
 */
public final class PcapWriter implements Closeable {
    public static final int MAGIC = 0xA1B2C3D4;
    /** The magic of captures with nanosecond time stamps, which a capture here may replace too. */
    static final int NANO_MAGIC = 0xA1B23C4D;
    public static final short VERSION_MAJOR = 2;
    public static final short VERSION_MINOR = 4;
    public static final int SNAPLEN = 65535;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER = 24;
    public static final int RECORD_HEADER = 16;

    private final Path path;
    private final FileChannel file;
    private final LongSupplier micros;
    private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] record = new ByteBuffer[2];
    private long frames;

    /**
     * Creates {@code path}, making its folder, or replaces a capture there, and writes the global header. A file
     * that is there and is no capture (not empty, no pcap magic) is refused: {@code pcap=var/disks/disk0.img}, a
     * slip of the hand, truncated the running machine's disk image to a capture.
     *
     * @param micros the time of a frame, microseconds since the epoch
     */
    public PcapWriter(Path path, LongSupplier micros) throws IOException {
        this.path = path;
        this.micros = micros;
        Path folder = path.toAbsolutePath().getParent();
        if (folder != null) {
            Files.createDirectories(folder);
        }
        FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            refuseNonCapture(opened);
            opened.truncate(0);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        this.file = opened;
        ByteBuffer global = ByteBuffer.allocate(GLOBAL_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        global.putInt(MAGIC).putShort(VERSION_MAJOR).putShort(VERSION_MINOR).putInt(0).putInt(0).putInt(SNAPLEN)
                .putInt(LINKTYPE_ETHERNET).flip();
        writeFully(global);
    }

    /** Throws unless the file is empty or starts as a capture does (either byte order, micro- or nanoseconds). */
    private void refuseNonCapture(FileChannel existing) throws IOException {
        if (existing.size() == 0) {
            return;
        }
        ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        while (magic.hasRemaining() && existing.read(magic, magic.position()) > 0) {
            // until 4 bytes or the end
        }
        int m = magic.hasRemaining() ? 0 : magic.flip().getInt();
        if (m != MAGIC && m != Integer.reverseBytes(MAGIC) && m != NANO_MAGIC && m != Integer.reverseBytes(NANO_MAGIC)) {
            throw new FileAlreadyExistsException(path.toString(), null, "it holds " + existing.size()
                    + " bytes and is no pcap capture: name a new file, or delete this one first");
        }
    }

    /** A writer stamping frames with the wall clock. */
    public PcapWriter(Path path) throws IOException {
        this(path, PcapWriter::wallClockMicros);
    }

    static long wallClockMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Appends the frame between position and limit; position and limit are unchanged on return. */
    public synchronized void write(ByteBuffer frame) throws IOException {
        int position = frame.position();
        int limit = frame.limit();
        int length = limit - position;
        int captured = Math.min(length, SNAPLEN);
        long time = micros.getAsLong();
        header.clear();
        header.putInt((int) (time / 1_000_000L)).putInt((int) (time % 1_000_000L)).putInt(captured).putInt(length)
                .flip();
        try {
            frame.limit(position + captured);
            record[0] = header;
            record[1] = frame;
            while (header.hasRemaining() || frame.hasRemaining()) {
                file.write(record);
            }
        } finally {
            record[1] = null;
            frame.limit(limit).position(position);
        }
        frames++;
    }

    private void writeFully(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            file.write(data);
        }
    }

    /** Frames written so far. */
    public synchronized long frames() {
        return frames;
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}

package org.devrt.benchmarks.nic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The baseline: Java's {@link DatagramChannel}, one way on 127.0.0.1 (loopback only: both ends are bound to
 * 127.0.0.1 and connected to each other), blocking, direct buffers; a thread receives with {@code read} (a
 * connected channel: no sender address per datagram) and counts. The receive buffer is 4 MiB (the kernel caps it
 * at net.core.rmem_max).
 */
final class DatagramLink implements Link {
    private static final InetAddress LOOPBACK = loopback();

    private final DatagramChannel tx;
    private final DatagramChannel rx;
    private final ReceiveCounter counter = new ReceiveCounter();
    private final Thread receiver;

    DatagramLink() throws IOException {
        rx = DatagramChannel.open(StandardProtocolFamily.INET);
        tx = DatagramChannel.open(StandardProtocolFamily.INET);
        rx.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        rx.bind(new InetSocketAddress(LOOPBACK, 0));
        tx.bind(new InetSocketAddress(LOOPBACK, 0));
        tx.connect(rx.getLocalAddress());
        rx.connect(tx.getLocalAddress());
        receiver = new Thread(this::receive, "datagram receiver");
        receiver.setDaemon(true);
        receiver.start();
        System.out.printf("datagram: %s -> %s, receive buffer %d bytes%n", tx.getLocalAddress(),
                rx.getLocalAddress(), rx.getOption(StandardSocketOptions.SO_RCVBUF));
    }

    private static InetAddress loopback() {
        try {
            InetAddress a = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            if (!a.isLoopbackAddress()) {
                throw new IllegalStateException(a + " is not loopback");
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive() {
        ByteBuffer buffer = NicBenchmark.aligned(65536);
        try {
            while (true) {
                buffer.clear();
                if (rx.read(buffer) >= 0) {
                    counter.increment();
                }
            }
        } catch (ClosedChannelException closed) {
            // close(): done
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    @Override
    public boolean send(ByteBuffer frame) {
        try {
            return tx.write(frame) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ReceiveCounter counter() {
        return counter;
    }

    @Override
    public void close() {
        try {
            tx.close();
            rx.close();
            receiver.join(2000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

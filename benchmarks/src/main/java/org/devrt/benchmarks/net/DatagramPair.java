package org.devrt.benchmarks.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The baseline: Java {@link DatagramChannel} ping-pong on 127.0.0.1 (loopback only). The client is connected and
 * blocking; a responder thread receives on a blocking channel and sends each datagram back to its sender.
 */
final class DatagramPair implements AutoCloseable {
    private final DatagramChannel server;
    private final DatagramChannel client;
    private final Thread responder;
    private volatile boolean running = true;

    DatagramPair() throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        server = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        client = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        client.connect(server.getLocalAddress());
        responder = new Thread(this::respond, "datagram-udp-echo");
        responder.setDaemon(true);
        responder.start();
        System.out.printf("datagram: %s <-> %s%n", client.getLocalAddress(), server.getLocalAddress());
    }

    private void respond() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        while (running) {
            try {
                buf.clear();
                SocketAddress from = server.receive(buf);
                buf.flip();
                server.send(buf, from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (running) {
                    System.err.println("datagram responder: " + e);
                }
                return;
            }
        }
    }

    /** One round trip of {@code request}'s bytes. */
    boolean udp(ByteBuffer request, ByteBuffer reply) throws IOException {
        request.rewind();
        client.write(request);
        reply.clear();
        client.read(reply);
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
            client.close();
            responder.join(2000);
        } catch (IOException e) {
            System.err.println("closing: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

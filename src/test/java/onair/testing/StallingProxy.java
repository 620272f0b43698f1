package onair.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP proxy for one connection that copies both ways to an upstream server until {@link #stall()}, after
 * which it stops reading from the client: a remote that has gone slow, with small socket buffers so the client's
 * writes back up soon.
 */
public final class StallingProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean stalled;

    private StallingProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket();
        listener.setReceiveBufferSize(BUFFER);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        Thread.ofPlatform().name("stalling-proxy").daemon().start(this::serveOne);
    }

    public static StallingProxy start(InetSocketAddress upstream) throws IOException {
        return new StallingProxy(upstream);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing more is read from the client until the proxy closes. */
    public void stall() {
        stalled = true;
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        listener.close();
    }

    private void serveOne() {
        try (Socket client = listener.accept(); Socket server = new Socket(upstream.getAddress(), upstream.getPort())) {
            Thread.ofPlatform().name("stalling-proxy-back").daemon().start(() -> copy(server, client, false));
            copy(client, server, true);
        } catch (IOException closed) {
            released.countDown();
        }
    }

    private void copy(Socket from, Socket to, boolean stallable) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[4096];
            int read;
            while (true) {
                if (stallable && stalled) {
                    released.await();
                    return;
                }
                if ((read = in.read(buffer)) < 0) {
                    return;
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException closed) {
            released.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

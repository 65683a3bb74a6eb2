package dev.replicator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a server that stops passing answers on once {@code holdAfterBytes} of
 * them went through, until {@link #release()}: a copy that reads from it is then caught in the
 * middle of a transfer, for as long as the test needs.
 */
public final class GateProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final URI target;
  private final long holdAfterBytes;
  private final AtomicLong answered = new AtomicLong();
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean holding;

  public GateProxy(String target, long holdAfterBytes) throws IOException {
    this.target = URI.create(target);
    this.holdAfterBytes = holdAfterBytes;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "gate-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** Whether an answer is being held back. */
  public boolean holding() {
    return holding;
  }

  public void release() {
    released.countDown();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getHost(), target.getPort());
        pump(client.getInputStream(), server.getOutputStream(), false, client, server);
        pump(server.getInputStream(), client.getOutputStream(), true, client, server);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean answers, Socket a, Socket b) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (a;
                  b) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  if (answers
                      && answered.addAndGet(n) > holdAfterBytes
                      && released.getCount() > 0) {
                    holding = true;
                    released.await();
                    holding = false;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // a side closed: the other is closed with it
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "gate-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    release();
    listener.close();
  }
}

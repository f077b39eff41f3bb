package io.mediaurlingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;

/**
 * A source on 127.0.0.1 (raw sockets, so nothing buffers or ends its bodies for it) that never
 * stops sending on its own: {@code /endless.mp4} is a chunked body at full speed without an
 * end, {@code /trickle.mp4} announces 1 GiB and sends one byte every two seconds (both start
 * with a real MP4's bytes), {@code /trickle-chunked.mp4} sends a one-byte chunk every two seconds. It records when the client cut each connection off.
 */
public final class EndlessSource implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final byte[] head;
    private final List<Long> cutOffAtNanos = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public EndlessSource(byte[] head) throws IOException {
        this.head = head;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        threads.submit(this::acceptLoop);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** System.nanoTime() of every connection the client closed while this source was still sending. */
    public List<Long> cutOffs() {
        return cutOffAtNanos;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            String path = requestPath(in);
            if (path.equals("/endless.mp4")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] filler = new byte[64 * 1024];
                System.arraycopy(head, 0, filler, 0, Math.min(head.length, filler.length));
                while (!closed) {
                    out.write((Integer.toHexString(filler.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(filler);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    filler = new byte[64 * 1024];
                }
            } else if (path.equals("/trickle.mp4")) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: " + (1L << 30) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(head, 0, Math.min(head.length, 4096));
                out.flush();
                while (!closed) {
                    Thread.sleep(2000);
                    out.write(0);
                    out.flush();
                }
            } else if (path.equals("/trickle-chunked.mp4")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                while (!closed) {
                    out.write("1\r\n\0\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(2000);
                }
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            if (!closed) {
                cutOffAtNanos.add(System.nanoTime()); // the client closed the connection while we sent
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the request head; returns its path. */
    private static String requestPath(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        String[] requestLine = head.toString().split("\r\n", 2)[0].split(" ");
        return requestLine.length > 1 ? requestLine[1] : "";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        threads.shutdownNow();
    }
}

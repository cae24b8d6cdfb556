package io.backtrack.e2e.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 proxy in front of a real S3 server that misbehaves on purpose: per request, a {@link Rule} decides
 * whether it is forwarded, answered 503 SlowDown, or left without an answer (a stalled store), optionally after
 * part of the response went through. Requests keep their Host header, so S3 signatures still match; each
 * connection carries one request ({@code Connection: close} both ways).
 *
 * <pre>{@code
 * try (FaultyS3Proxy proxy = FaultyS3Proxy.start(s3.port(), FaultyS3Proxy.slowDownOncePerPart())) {
 *     agent(..., "--endpoint", proxy.endpoint(), ...);
 * }
 * }</pre>
 */
final class FaultyS3Proxy implements AutoCloseable {
    /** What to do with one request. */
    sealed interface Action permits Forward, SlowDown, Stall {
    }

    /** Forward it; with {@code stallAfterBytes} ≥ 0, stop relaying the response after that many bytes. */
    record Forward(long stallAfterBytes) implements Action {
        static final Forward ALL = new Forward(-1);
    }

    /** Answer 503 SlowDown (after reading the request body). */
    record SlowDown() implements Action {
    }

    /** Read nothing more and never answer: the store stopped. */
    record Stall() implements Action {
    }

    /** The request line and headers of one request. */
    record Request(String method, String target, List<String> headers) {
        String query() {
            int q = target.indexOf('?');
            return q < 0 ? "" : target.substring(q + 1);
        }

        String header(String name) {
            for (String h : headers) {
                if (h.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return h.substring(name.length() + 1).strip();
                }
            }
            return null;
        }

        String param(String name) {
            for (String kv : query().split("&")) {
                if (kv.startsWith(name + "=")) {
                    return kv.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final Function<Request, Action> rule;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger faults = new AtomicInteger();

    private FaultyS3Proxy(ServerSocket server, int upstreamPort, Function<Request, Action> rule) {
        this.server = server;
        this.upstreamPort = upstreamPort;
        this.rule = rule;
    }

    static FaultyS3Proxy start(int upstreamPort, Function<Request, Action> rule) {
        try {
            FaultyS3Proxy proxy = new FaultyS3Proxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                    upstreamPort, rule);
            Thread accept = new Thread(proxy::acceptLoop, "faulty-s3-accept");
            accept.setDaemon(true);
            accept.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rule that answers 503 to the first attempt of every part upload and forwards everything else. */
    static Function<Request, Action> slowDownOncePerPart() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return r -> r.method().equals("PUT") && r.param("partNumber") != null
                && seen.add(r.param("uploadId") + "#" + r.param("partNumber")) ? new SlowDown() : Forward.ALL;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests were answered 503 or stalled, or had their response cut. */
    int faults() {
        return faults.get();
    }

    /** "METHOD target → action" for every request, in order. */
    List<String> log() {
        return List.copyOf(log);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "faulty-s3-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            String[] requestLine = lines.remove(0).split(" ");
            Request request = new Request(requestLine[0], requestLine[1], lines);
            Action action = rule.apply(request);
            log.add(request.method() + " " + request.target() + " -> " + action);
            String contentLength = request.header("Content-Length");
            long length = contentLength == null ? 0 : Long.parseLong(contentLength);
            if (action instanceof Stall) {
                faults.incrementAndGet();
                closed.await();
            } else if (action instanceof SlowDown) {
                faults.incrementAndGet();
                in.readNBytes(Math.toIntExact(length));
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                        + "<Message>Please reduce your request rate.</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } else {
                forward(request, length, in, out, ((Forward) action).stallAfterBytes());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client gave up on us, or the proxy closed
        } finally {
            open.remove(client);
        }
    }

    private void forward(Request request, long length, InputStream in, OutputStream out, long stallAfter)
            throws IOException, InterruptedException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(upstream);
            StringBuilder head = new StringBuilder(request.method() + " " + request.target() + " HTTP/1.1\r\n");
            for (String h : request.headers()) {
                if (!h.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    head.append(h).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            copy(in, up, length);
            up.flush();
            InputStream down = upstream.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long relayed = 0;
            int n;
            while ((n = down.read(buf)) >= 0) {
                if (stallAfter >= 0 && relayed + n > stallAfter) {
                    out.write(buf, 0, (int) (stallAfter - relayed));
                    out.flush();
                    faults.incrementAndGet();
                    closed.await(); // the rest never comes
                    return;
                }
                out.write(buf, 0, n);
                relayed += n;
            }
            out.flush();
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("request body ended early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** The request line and headers, up to the blank line that ends them; null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = b == '\n' ? head.toString(StandardCharsets.ISO_8859_1) : "";
            if (text.endsWith("\r\n\r\n")) {
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}

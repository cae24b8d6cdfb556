package io.backtrack.e2e.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of S3 for multipart uploads, at memory speed: create, upload part, complete, abort, and a single
 * PUT. It checks no signature and records each part's size; with a {@code keepDir} it keeps the parts there until
 * the upload completes and records the object's SHA-256, without one it discards every byte, so a writer can be
 * driven through tens of GiB with no disk to hold them.
 */
final class StubS3Server implements AutoCloseable {
    /** A completed object: its size, the size of each part in order, and its SHA-256 when it was kept. */
    record Completed(long size, List<Long> partSizes, String sha256) {
    }

    private static final Pattern PART_NUMBER = Pattern.compile("<PartNumber>(\\d+)</PartNumber>");

    private final HttpServer server;
    private final Path keepDir;
    private final Map<String, ConcurrentSkipListMap<Integer, Long>> uploads = new ConcurrentHashMap<>();
    private final Map<String, Completed> objects = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> encryption = new ConcurrentHashMap<>();

    private StubS3Server(HttpServer server, Path keepDir) {
        this.server = server;
        this.keepDir = keepDir;
    }

    /** {@code keepDir}: where parts are kept to hash the object, or null to discard them. */
    static StubS3Server start(Path keepDir) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            StubS3Server stub = new StubS3Server(server, keepDir);
            server.createContext("/", stub::handle);
            server.setExecutor(Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "stub-s3");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The completed object under {@code key} ({@code bucket/key} as in the request path), or null. */
    Completed object(String path) {
        return objects.get(path);
    }

    /**
     * The server-side encryption headers ({@code x-amz-server-side-encryption} and its KMS key id, joined by a space)
     * the request that started the object {@code path} carried: the multipart upload's start or the single PUT.
     */
    String encryptionOf(String path) {
        return encryption.get(path);
    }

    /** Multipart uploads started and neither completed nor aborted. */
    int incompleteUploads() {
        return uploads.size();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring(1);
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            Map<String, String> params = params(query);
            String method = ex.getRequestMethod();
            boolean starts = (method.equals("POST") && query.startsWith("uploads"))
                    || (method.equals("PUT") && !params.containsKey("partNumber"));
            String sse = ex.getRequestHeaders().getFirst("x-amz-server-side-encryption");
            if (starts && sse != null) {
                String key = ex.getRequestHeaders().getFirst("x-amz-server-side-encryption-aws-kms-key-id");
                encryption.put(path, key == null ? sse : sse + " " + key);
            }
            if (method.equals("POST") && query.startsWith("uploads")) {
                String id = "upload-" + ids.incrementAndGet();
                uploads.put(id, new ConcurrentSkipListMap<>());
                xml(ex, "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>" + path + "</Key><UploadId>" + id
                        + "</UploadId></InitiateMultipartUploadResult>");
            } else if (method.equals("PUT") && params.containsKey("partNumber")) {
                int number = Integer.parseInt(params.get("partNumber"));
                var parts = uploads.get(params.get("uploadId"));
                if (parts == null) {
                    error(ex, 404, "NoSuchUpload");
                    return;
                }
                long size = receive(ex.getRequestBody(), params.get("uploadId") + "-" + number);
                parts.put(number, size);
                ex.getResponseHeaders().add("ETag", "\"" + number + "-" + size + "\"");
                ex.sendResponseHeaders(200, -1);
            } else if (method.equals("POST") && params.containsKey("uploadId")) {
                String id = params.get("uploadId");
                var parts = uploads.remove(id);
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (parts == null) {
                    error(ex, 404, "NoSuchUpload");
                    return;
                }
                List<Long> sizes = new ArrayList<>();
                MessageDigest sha = sha256();
                long total = 0;
                Matcher m = PART_NUMBER.matcher(body);
                while (m.find()) {
                    int number = Integer.parseInt(m.group(1));
                    long size = parts.get(number);
                    sizes.add(size);
                    total += size;
                    if (keepDir != null) {
                        Path kept = keepDir.resolve(id + "-" + number);
                        sha.update(Files.readAllBytes(kept));
                        Files.delete(kept);
                    }
                }
                objects.put(path, new Completed(total, List.copyOf(sizes),
                        keepDir == null ? null : HexFormat.of().formatHex(sha.digest())));
                xml(ex, "<CompleteMultipartUploadResult><Location>" + path + "</Location><Bucket>b</Bucket><Key>"
                        + path + "</Key><ETag>\"" + id + "-" + sizes.size() + "\"</ETag>"
                        + "</CompleteMultipartUploadResult>");
            } else if (method.equals("DELETE") && params.containsKey("uploadId")) {
                uploads.remove(params.get("uploadId"));
                ex.sendResponseHeaders(204, -1);
            } else if (method.equals("PUT")) {
                String name = "single-" + ids.incrementAndGet();
                long size = receive(ex.getRequestBody(), name);
                String sha = null;
                if (keepDir != null) {
                    sha = HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(keepDir.resolve(name))));
                    Files.delete(keepDir.resolve(name));
                }
                objects.put(path, new Completed(size, List.of(size), sha));
                ex.getResponseHeaders().add("ETag", "\"single\"");
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, -1);
            }
        }
    }

    /** Reads a request body, keeping it as {@code name} in the keep directory if there is one. */
    private long receive(InputStream in, String name) throws IOException {
        byte[] buf = new byte[256 * 1024];
        long total = 0;
        OutputStream out = keepDir != null ? Files.newOutputStream(keepDir.resolve(name))
                : OutputStream.nullOutputStream();
        try (out) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                total += n;
            }
        }
        return total;
    }

    private static void xml(HttpExchange ex, String body) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void error(HttpExchange ex, int status, String code) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            params.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return params;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

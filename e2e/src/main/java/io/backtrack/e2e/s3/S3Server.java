package io.backtrack.e2e.s3;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.Upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An S3-compatible server for tests: S3Proxy's standalone jar ({@code e2e/target/tools/s3proxy.jar}, copied by
 * the e2e build) run as a child process with the {@code filesystem-nio2} backend in a temp directory, AWS v2/v4
 * signatures with a fixed key pair, on 127.0.0.1. Its logging is turned down to WARN: at Jetty's DEBUG level it
 * slows to a few MB/s.
 *
 * <pre>{@code
 * S3Server s3 = S3Server.shared();
 * s3.createBucket("db-backups");
 * s3.listKeys("db-backups", "prod/");
 * }</pre>
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "backtrack-access";
    public static final String SECRET_KEY = "backtrack-secret-key-for-tests";
    private static S3Server shared;

    private final Process process;
    private final Path baseDir;
    private final int port;
    private final int tlsPort;
    /** The host the harness addresses: 127.0.0.1, or the virtual host S3Proxy takes path-style requests on. */
    private final String host;
    private final MinioClient client;
    private final MinioAsyncClient asyncClient;

    private S3Server(Process process, Path baseDir, int port, int tlsPort, String virtualHost) {
        this.process = process;
        this.baseDir = baseDir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.host = virtualHost == null ? "127.0.0.1" : virtualHost;
        // With a virtual host, S3Proxy reads any other Host as a bucket's: the harness addresses it by that name,
        // resolved here to the loopback address (this JVM's resolver knows no such name).
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient.Builder().dns(name -> name.equals(host)
                ? List.of(java.net.InetAddress.getLoopbackAddress()) : okhttp3.Dns.SYSTEM.lookup(name)).build();
        this.client = MinioClient.builder().endpoint(endpoint()).region("us-east-1")
                .credentials(ACCESS_KEY, SECRET_KEY).httpClient(http).build();
        this.asyncClient = MinioAsyncClient.builder().endpoint(endpoint()).region("us-east-1")
                .credentials(ACCESS_KEY, SECRET_KEY).httpClient(http).build();
        client.disableVirtualStyleEndpoint();
        asyncClient.disableVirtualStyleEndpoint();
    }

    public static S3Server start() {
        return start(freePort());
    }

    /** Starts S3Proxy on the given port and waits (up to 60 s) until it answers HTTP. */
    public static S3Server start(int port) {
        return start(port, Jit.QUICK_START);
    }

    /**
     * For the benchmarks: S3Proxy stands in for an object store on other machines, so it gets the JIT's full tiers.
     * With C1 only (the tests' quick start) it spent about twice the CPU per uploaded byte, on the cores the
     * measured backup shares with it.
     */
    public static S3Server startForThroughput() {
        return start(freePort(), Jit.THROUGHPUT);
    }

    /** How S3Proxy's JVM compiles: the tests move little data and want a quick start. */
    private enum Jit {
        QUICK_START(List.of("-XX:TieredStopAtLevel=1")),
        THROUGHPUT(List.of());

        private final List<String> options;

        Jit(List<String> options) {
            this.options = options;
        }
    }

    /**
     * S3Proxy answering HTTPS as well, with the keystore's certificate, and taking the first label of a Host under
     * {@code virtualHost} as the bucket (virtual-host style); the harness's own client keeps to plain HTTP.
     */
    public static S3Server startWithTls(Path keystore, String keystorePassword, String virtualHost) {
        return start(freePort(), Jit.QUICK_START, new TlsSettings(freePort(), keystore, keystorePassword, virtualHost));
    }

    private record TlsSettings(int port, Path keystore, String password, String virtualHost) {
    }

    private static S3Server start(int port, Jit jit) {
        return start(port, jit, null);
    }

    private static S3Server start(int port, Jit jit, TlsSettings tls) {
        try {
            Path base = Files.createTempDirectory("backtrack-s3-");
            Path data = Files.createDirectories(base.resolve("data"));
            Properties props = new Properties();
            props.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            props.setProperty("s3proxy.identity", ACCESS_KEY);
            props.setProperty("s3proxy.credential", SECRET_KEY);
            props.setProperty("jclouds.provider", "filesystem-nio2");
            props.setProperty("jclouds.filesystem.basedir", data.toString());
            props.setProperty("jclouds.identity", "unused");
            props.setProperty("jclouds.credential", "unused");
            if (tls != null) {
                props.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:" + tls.port());
                props.setProperty("s3proxy.keystore-path", tls.keystore().toString());
                props.setProperty("s3proxy.keystore-password", tls.password());
                props.setProperty("s3proxy.virtual-host", tls.virtualHost());
            }
            Path propsFile = base.resolve("s3proxy.properties");
            try (var out = Files.newOutputStream(propsFile)) {
                props.store(out, "backtrack e2e");
            }
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC"));
            command.addAll(jit.options);
            command.addAll(List.of("-DLOG_LEVEL=warn", "-DJETTY_LOG_LEVEL=warn",
                    "-jar", s3proxyJar().toString(), "--properties", propsFile.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("s3proxy.log").toFile())
                    .start();
            S3Server server = new S3Server(process, base, port, tls == null ? -1 : tls.port(),
                    tls == null ? null : tls.virtualHost());
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One server per JVM, stopped by a shutdown hook. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = start();
            S3Server s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3proxy-stop"));
        }
        return shared;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited (" + process.exitValue() + "): " + log());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                c.getResponseCode();
                c.disconnect();
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not answer within 60 s: " + log());
    }

    public String endpoint() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The HTTPS port of a server started {@link #startWithTls with TLS}. */
    public int tlsPort() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this S3Proxy was started without TLS");
        }
        return tlsPort;
    }

    /** The backend directory: each bucket is a subdirectory, each object a plain file under its key. */
    public Path dataDirectory() {
        return baseDir.resolve("data");
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public MinioClient client() {
        return client;
    }

    public void createBucket(String name) {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create bucket " + name, e);
        }
    }

    /** Keys of the objects under a prefix, recursively, sorted. */
    public List<String> listKeys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + bucket + "/" + prefix, e);
        }
        keys.sort(Comparator.naturalOrder());
        return keys;
    }

    /** Object keys of incomplete multipart uploads under a prefix. */
    public List<String> incompleteUploads(String bucket, String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            for (Upload u : asyncClient.listMultipartUploadsAsync(bucket, null, null, null, null, 1000, prefix, null,
                    null, null).get().result().uploads()) {
                keys.add(u.objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list multipart uploads of " + bucket, e);
        }
    }

    public byte[] readObject(String bucket, String key) {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + bucket + "/" + key, e);
        }
    }

    public void writeObject(String bucket, String key, byte[] content) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + bucket + "/" + key, e);
        }
    }

    /** Hex SHA-256 of the object's stored bytes. */
    public String sha256Of(String bucket, String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(readObject(bucket, key)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites the object with one byte (in the middle) flipped: same size, different SHA-256. */
    public void corruptOneByte(String bucket, String key) {
        byte[] content = readObject(bucket, key);
        content[content.length / 2] ^= 0x5a;
        writeObject(bucket, key, content);
    }

    private String log() {
        try {
            return Files.readString(baseDir.resolve("s3proxy.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try (Stream<Path> paths = Files.walk(baseDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp dir
        }
    }

    /** The S3Proxy jar: under {@code backtrack.root} (set by surefire) or the first ancestor of cwd holding it. */
    static Path s3proxyJar() {
        String root = System.getProperty("backtrack.root");
        List<Path> candidates = new ArrayList<>();
        if (root != null) {
            candidates.add(Path.of(root).resolve("e2e/target/tools/s3proxy.jar"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("e2e/target/tools/s3proxy.jar"));
            candidates.add(dir.resolve("target/tools/s3proxy.jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new IllegalStateException("s3proxy.jar not found (looked in " + candidates.get(0)
                        + "); build the e2e module first: ./mvnw -pl e2e generate-resources"));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
